package io.ferry.file;

import io.ferry.FerryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// The examples in the doc comments of `io.ferry.file`, as written there (with `assert` made into
/// assertions).
class DocExamplesTest {
    @TempDir
    Path dir;

    @Test
    void fileKind() throws IOException {
        assertTrue(FileKind.of(Path.of("/dev/null")) == FileKind.CHARACTER_DEVICE);
        assertTrue(FileKind.of(Path.of("/dev/null")).description().equals("a character device"));
    }

    @Test
    void inputFile() {
        try {
            InputFile.checkReadable(Path.of("/dev/null"));
            fail();
        } catch (FerryException e) {
            assertTrue(e.getMessage().equals("/dev/null: is a character device, not a regular file; write it to a file first"));
        }
    }

    @Test
    void inputMissingException() {
        try {
            InputFile.checkReadable(java.nio.file.Path.of("no-such-table.txt"));
            fail();
        } catch (InputMissingException e) {
            assertTrue(e.details().equals(java.util.Map.of("missing", "no-such-table.txt")));
            assertTrue(e.getMessage().equals("no-such-table.txt: no such file"));
        }
    }

    @Test
    void outputFile() throws IOException {
        Path input = Files.writeString(dir.resolve("input.txt"), "1 2\n");

        OutputFile out = OutputFile.of(dir.resolve("result.txt"), true, List.of(input));
        Path temporary = out.createTemporary();
        Files.writeString(temporary, "done\n");
        out.commit();                      // result.txt appears, or is replaced, only now
        assertTrue(Files.readString(dir.resolve("result.txt")).equals("done\n"));
    }

    @Test
    void fileStamp() throws IOException {
        Path table = Files.writeString(dir.resolve("sample1.txt"), "chr1\t1\t100.0\t8\t0\n");
        FileStamp before = FileStamp.of(table);
        before.checkUnchanged(table);   // throws FileChangedException had it changed
    }

    @Test
    void rawNames() {
        assertTrue(RawNames.undecodable(Path.of("données.txt")).isEmpty());   // valid UTF-8
        assertTrue(RawNames.escaped(new byte[]{'c', 'a', 'f', (byte) 0xe9}).equals("caf\\xe9"));
    }

    @Test
    void fileErrors() {
        String said = FileErrors.describe(new java.nio.file.NoSuchFileException("big.txt"));
        assertTrue(said.equals("big.txt: no such file (removed or renamed?)"));
    }
}
