package io.ferry.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowEstimateTest {
    @TempDir
    Path dir;

    private Input input(String name, String text) throws IOException {
        Path f = Files.writeString(dir.resolve(name), text);
        return new Input(0, f, "x", Files.size(f), true);
    }

    @Test
    void aSmallFileIsCountedExactly() throws IOException {
        assertEquals(3, RowEstimate.of(input("a.txt", "1\n2\n3\n")));
        assertEquals(3, RowEstimate.of(input("b.txt", "1\n2\n3")));   // a last line without '\n'
        assertEquals(0, RowEstimate.of(input("c.txt", "")));
    }

    @Test
    void aLargeFileIsEstimatedFromItsFirstLines() throws IOException {
        Input in = input("big.txt", "12345678\n".repeat(100_000));     // 900 kB, 100k lines
        long rows = RowEstimate.of(in);
        assertTrue(Math.abs(rows - 100_000) <= 100, "estimate " + rows);   // the sample ends mid-line
    }

    @Test
    void aSmallGzipFileIsCountedExactly() throws IOException {
        assertEquals(3, RowEstimate.of(gzipInput("s.txt.gz", "1\n2\n3\n")));
        assertEquals(0, RowEstimate.of(gzipInput("e.txt.gz", "")));
    }

    @Test
    void aLargeGzipFileIsEstimatedFromItsTrailerAndFirstLines() throws IOException {
        Input in = gzipInput("big.txt.gz", "12345678\n".repeat(100_000)); // 900 kB of text, a few kB
        long rows = RowEstimate.of(in);
        assertTrue(Math.abs(rows - 100_000) <= 100, "estimate " + rows);
    }

    /// Gzip is recognised by content: a plain file named `.gz` is counted as text, a gzip file
    /// named `.txt` is inflated.
    @Test
    void gzipIsTakenByContentNotByName() throws IOException {
        assertEquals(2, RowEstimate.of(input("d.txt.gz", "whatever\nelse")));
        assertEquals(3, RowEstimate.of(gzipInput("s.txt", "1\n2\n3\n")));
    }

    /// A damaged gzip file is the conversion's to report, when it reads it: the estimate is unknown.
    @Test
    void aDamagedGzipFileIsUnknown() throws IOException {
        Input in = gzipInput("s.txt.gz", "1\n2\n3\n");
        Files.write(in.file(), Arrays.copyOf(Files.readAllBytes(in.file()), (int) in.size() - 5));
        assertEquals(RowEstimate.UNKNOWN, RowEstimate.of(new Input(0, in.file(), "x", in.size() - 5, false)));
    }

    private Input gzipInput(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return new Input(0, f, "x", Files.size(f), false);
    }
}
