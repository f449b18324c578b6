package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry convert` reads a line up to the default limit (64 MiB) in both isolations: worker
/// processes, whose heap is small, get one sized from the limit; a longer line (the issue's
/// `nul.txt`, a gigabyte without a line break) is one line of error naming file and line.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class LongLineConvertTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    /// A line just under 64 MiB whose long field is quoted, so the line path holds its text too:
    /// the most a reader holds for a line. Plain and gzip, threads and processes.
    @Test
    void aLineJustUnderTheLimitConvertsInBothIsolations() throws IOException {
        String line = "1 \"" + "x".repeat(64 * MIB - 10) + "\" 2\n"; // 64 MiB - 4 bytes and its break
        Path plain = Files.writeString(dir.resolve("long.txt"), "5 \"a\" 6\n" + line + "3 \"y\" 4\n",
                StandardCharsets.US_ASCII);
        Path gz = dir.resolve("longz.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
            out.write(line.getBytes(StandardCharsets.US_ASCII));
            out.write("7 \"z\" 8\n".getBytes(StandardCharsets.US_ASCII));
        }
        for (String isolation : List.of("thread", "process")) {
            Path h5 = dir.resolve(isolation + ".h5");
            ShmCommandsTest.Run r = assertTimeoutPreemptively(Duration.ofMinutes(3), () -> ShmCommandsTest.ferry(
                    "convert", plain.toString(), gz.toString(), "-o", h5.toString(), "--dtype", "a:i4,b:i4",
                    "--usecols", "0,2", "--quotechar", "\"", "--isolation", isolation, "--workers", "2", "-q"));
            assertEquals(0, r.exit(), isolation + ": " + r.err());
            PythonPeer.run("""
                    import sys, h5py, numpy as np
                    with h5py.File(sys.argv[1], 'r') as f:
                        for p, name in ((sys.argv[2], 'long'), (sys.argv[3], 'longz')):
                            a = f[name][:]
                            b = np.loadtxt(p, dtype=a.dtype, usecols=(0, 2), quotechar='"', ndmin=1)
                            assert a.tobytes() == b.tobytes(), (name, a, b)
                    """, h5.toString(), plain.toString(), gz.toString());
        }
    }

    @Test
    void aGigabyteWithoutALineBreakIsAnErrorInBothIsolations() throws IOException {
        Path nul = dir.resolve("nul.txt");
        try (RandomAccessFile f = new RandomAccessFile(nul.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        for (String isolation : List.of("thread", "process")) {
            Path h5 = dir.resolve(isolation + ".h5");
            ShmCommandsTest.Run r = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> ShmCommandsTest.ferry(
                    "convert", nul.toString(), "-o", h5.toString(), "--dtype", "a:f8", "--isolation", isolation,
                    "--workers", "2", "-q"));
            assertEquals(1, r.exit(), isolation + ": " + r.err());
            assertTrue(r.err().contains(nul + ":1: line longer than 67108864 bytes (64 MiB, the line limit)"),
                    isolation + ": " + r.err());
            assertFalse(Files.exists(h5));
        }
    }
}
