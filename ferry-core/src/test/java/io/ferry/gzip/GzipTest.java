package io.ferry.gzip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.ferry.gzip.GzipStreamTest.ascii;
import static io.ferry.gzip.GzipStreamTest.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// [Gzip]: a file is gzip by its first bytes, whatever its name, and its text is read accordingly.
@org.junit.jupiter.api.Tag("process")
class GzipTest {
    @TempDir
    Path dir;

    @Test
    void gzipIsRecognisedByContentNotByName() throws IOException {
        byte[] text = ascii("1 2\n3 4\n");
        byte[] gz = GzipTool.compress(text);
        Path gzipNamedTxt = Files.write(dir.resolve("a.txt"), gz);
        Path plainNamedGz = Files.write(dir.resolve("b.txt.gz"), text);
        assertTrue(Gzip.isGzip(gzipNamedTxt));
        assertFalse(Gzip.isGzip(plainNamedGz));
        assertArrayEquals(text, readText(gzipNamedTxt));
        assertArrayEquals(text, readText(plainNamedGz));
    }

    @Test
    void shortFilesAreNotGzip() throws IOException {
        Path empty = Files.write(dir.resolve("e.gz"), new byte[0]);
        Path one = Files.write(dir.resolve("o.gz"), new byte[]{0x1f});
        assertFalse(Gzip.isGzip(empty));
        assertFalse(Gzip.isGzip(one));
        assertArrayEquals(new byte[0], readText(empty));
        assertArrayEquals(new byte[]{0x1f}, readText(one), "a lone 0x1f is text (numpy reads it as whitespace)");
    }

    /// A pipe is not opened to look at it (that would wait for a writer, or eat its first bytes).
    @Test
    @Timeout(10)
    void aPipeIsNotLookedAt() throws Exception {
        Path fifo = dir.resolve("fifo.gz");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertFalse(Gzip.isGzip(fifo));
    }

    @Test
    void aDamagedGzipFileThrowsWhileItsTextIsRead() throws IOException {
        byte[] a = GzipTool.compress(ascii("1 2\n"));
        byte[] b = GzipTool.compress(ascii("3 4\n"));
        Path cut = Files.write(dir.resolve("cut.txt"), java.util.Arrays.copyOf(concat(a, b), a.length + b.length - 3));
        try (InputStream in = Gzip.openText(cut)) {
            GzipFormatException e = assertThrows(GzipFormatException.class, in::readAllBytes);
            assertEquals(cut + ": gzip stream ends inside member 2 (at byte " + (a.length + b.length - 3) + " of "
                    + (a.length + b.length - 3) + "; the member starts at byte " + a.length + ")", e.getMessage());
        }
    }

    @Test
    void aMissingFileIsAnIOException() {
        assertThrows(IOException.class, () -> Gzip.openText(dir.resolve("nope.gz")));
        assertFalse(assertDoesNotThrowIsGzip(dir.resolve("nope.gz")), "not a regular file: not gzip");
    }

    private static boolean assertDoesNotThrowIsGzip(Path p) {
        try {
            return Gzip.isGzip(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] readText(Path f) throws IOException {
        try (InputStream in = Gzip.openText(f)) {
            return in.readAllBytes();
        }
    }
}
