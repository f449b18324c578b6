package io.ferry.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A file renamed over, written to, touched or removed is not the file its stamp was taken of;
/// one only read is.
class FileStampTest {
    @TempDir
    Path dir;

    @Test
    void aFileReadOnlyIsUnchanged() throws IOException {
        Path f = Files.writeString(dir.resolve("t.txt"), "1 2\n3 4\n");
        FileStamp stamp = FileStamp.of(f);
        Files.readAllBytes(f);
        assertDoesNotThrow(() -> stamp.checkUnchanged(f));
    }

    @Test
    void aFileRenamedOverWithTheSameSizeAndTimeIsAnother() throws IOException {
        Path f = Files.writeString(dir.resolve("t.txt"), "1 2\n3 4\n");
        Path other = Files.writeString(dir.resolve("u.txt"), "5 6\n7 8\n");
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(f));
        FileStamp stamp = FileStamp.of(f);
        Files.move(other, f, StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(FileStamp.FileChangedException.class, () -> stamp.checkUnchanged(f));
        assertTrue(e.getMessage().startsWith(f + " changed while it was read: it was replaced or written to;"), e.getMessage());
    }

    @Test
    void aFileWrittenToOrTouchedOrRemovedHasChanged() throws IOException {
        Path f = Files.writeString(dir.resolve("t.txt"), "1 2\n3 4\n");
        FileStamp stamp = FileStamp.of(f);
        Files.writeString(f, "5 6\n", StandardOpenOption.APPEND);
        assertTrue(assertThrows(FileStamp.FileChangedException.class, () -> stamp.checkUnchanged(f)).getMessage()
                .contains("(8 bytes then, 12 now)"));
        FileStamp grown = FileStamp.of(f);
        Files.setLastModifiedTime(f, FileTime.fromMillis(0));
        assertThrows(FileStamp.FileChangedException.class, () -> grown.checkUnchanged(f));
        FileStamp touched = FileStamp.of(f);
        Files.delete(f);
        assertTrue(assertThrows(FileStamp.FileChangedException.class, () -> touched.checkUnchanged(f)).getMessage()
                .contains("it was removed or renamed"));
    }
}
