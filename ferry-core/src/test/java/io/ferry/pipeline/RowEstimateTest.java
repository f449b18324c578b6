package io.ferry.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
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
        assertEquals(3, RowEstimate.of(input("a.txt", "1\n2\n3\n"), InputFormat.PLAIN));
        assertEquals(3, RowEstimate.of(input("b.txt", "1\n2\n3"), InputFormat.PLAIN));   // a last line without '\n'
        assertEquals(0, RowEstimate.of(input("c.txt", ""), InputFormat.PLAIN));
    }

    @Test
    void aLargeFileIsEstimatedFromItsFirstLines() throws IOException {
        Input in = input("big.txt", "12345678\n".repeat(100_000));     // 900 kB, 100k lines
        long rows = RowEstimate.of(in, InputFormat.PLAIN);
        assertTrue(Math.abs(rows - 100_000) <= 100, "estimate " + rows);   // the sample ends mid-line
    }

    /// A compressed format's text is sampled to its end or the sample's: counted exactly when it
    /// ends in the sample, unknown when it does not and the format cannot say its text size.
    @Test
    void aCompressedInputIsSampledAsItsFormatReadsIt() throws IOException {
        assertEquals(3, RowEstimate.of(gzipInput("s.z", "1\n2\n3\n"), JDK_GZIP));
        assertEquals(0, RowEstimate.of(gzipInput("e.z", ""), JDK_GZIP));
        assertEquals(RowEstimate.UNKNOWN, RowEstimate.of(gzipInput("big.z", "12345678\n".repeat(100_000)), JDK_GZIP));
    }

    /// gzip read by the JDK, its text size unknown: what a compressed format gives the pipeline
    private static final InputFormat JDK_GZIP = new InputFormat() {
        @Override
        public boolean compressed(Path file) {
            return true;
        }

        @Override
        public long textSize(Path file, long size) {
            return -1;
        }

        @Override
        public InputStream openText(Path file) throws IOException {
            return new GZIPInputStream(Files.newInputStream(file));
        }
    };

    private Input gzipInput(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        return new Input(0, f, "x", Files.size(f), false);
    }
}
