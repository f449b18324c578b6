package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.text.NumpyLoadtxt.Case;
import io.ferry.text.NumpyLoadtxt.Expect;
import io.ferry.text.TextParseException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Long number tokens cost time in proportion to their length (an integer longer than any value of
/// its type is an error at once; it took 40 s for a megabyte of digits), and lines are read up to
/// [LoadOptions#maxLineBytes()] and refused beyond it, in memory bounded by the limit (a gigabyte
/// without a line break grew a buffer to 2.7 GB and failed with an int overflow).
@org.junit.jupiter.api.Tag("process")
class LongTokensAndLinesTest {
    private static final int MIB = 1 << 20;
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.ISO_8859_1);
    }

    private Path gzip(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(content.getBytes(StandardCharsets.ISO_8859_1));
        }
        return f;
    }

    private static NdArray load(Path f, String dtype, LoadOptions options, Arena arena) throws IOException {
        return TextLoader.of(DType.parse(dtype), options).load(f, arena);
    }

    private static TextParseException refused(Path f, String dtype, LoadOptions options) {
        return assertTimeoutPreemptively(QUICK, () -> {
            try (Arena arena = Arena.ofConfined()) {
                return assertThrows(TextParseException.class, () -> load(f, dtype, options, arena));
            }
        });
    }

    @Test
    void megabytesOfDigitsAreAnIntegerErrorAtOnce() throws IOException {
        for (int mb : new int[]{1, 4}) {
            Path f = file("digits" + mb + ".txt", "1 2\n3 " + "7".repeat(mb * MIB) + "\n");
            for (String t : List.of("i4", "i8", "u8", "b1")) {
                TextParseException e = refused(f, t, LoadOptions.DEFAULT);
                assertEquals(Problem.OUT_OF_RANGE, e.problem(), t);
                assertEquals(2, e.line());
                assertTrue(e.getMessage().endsWith("77777777...' is out of range for " + DType.parse(t).scalar().str()
                        + (t.equals("b1") ? " (-9223372036854775808..9223372036854775807)" : "")
                        + (t.equals("i4") ? " (-2147483648..2147483647)" : "")
                        + (t.equals("i8") ? " (-9223372036854775808..9223372036854775807)" : "")
                        + (t.equals("u8") ? " (0..18446744073709551615)" : "")), e.getMessage());
            }
        }
    }

    /// numpy's values, each read within the time limit: leading zeros of any length, lenient
    /// integers past their type (numpy's float cast), floats of a megabyte of digits.
    @Test
    void longTokensGiveNumpysValues() throws IOException {
        List<Case> cases = new ArrayList<>();
        LoadOptions lenient = LoadOptions.builder().lenient(true).build();
        String zeros = "0".repeat(MIB);
        cases.add(new Case("a megabyte of leading zeros, i4", file("z.txt", zeros + "7 -" + zeros + "8\n"),
                DType.parse("i4"), "", LoadOptions.DEFAULT));
        cases.add(new Case("a megabyte of leading zeros, u8", file("zu.txt", zeros + "18446744073709551615 1\n"),
                DType.parse("u8"), "", LoadOptions.DEFAULT));
        Path digits = file("d.txt", "1".repeat(MIB) + " -" + "9".repeat(MIB) + "\n");
        for (String t : List.of("i1", "i4", "i8", "u4", "u8")) {
            cases.add(new Case("a megabyte of digits, lenient " + t, digits, DType.parse(t), "", lenient));
        }
        Path floats = file("f.txt", "1." + "3".repeat(MIB) + " 0." + zeros + "123 " + "3".repeat(MIB) + "e-" + MIB
                + " 1" + zeros + "e-1048570\n");
        cases.add(new Case("a megabyte of float digits, f8", floats, DType.parse("f8"), "", LoadOptions.DEFAULT));
        cases.add(new Case("a megabyte of float digits, f4", floats, DType.parse("f4"), "", LoadOptions.DEFAULT));
        cases.add(new Case("a megabyte of float digits, delimited", file("fd.csv", "1." + "3".repeat(MIB) + " ,2\n"),
                DType.parse("f8"), "delimiter=','", LoadOptions.builder().delimiter(',').build()));
        Path huge = file("o.txt", "3".repeat(MIB) + "\n");
        cases.add(new Case("a megabyte of digits is inf: strict refuses", huge, DType.parse("f8"), "",
                () -> LoadOptions.DEFAULT, Expect.REFUSED_BY_FERRY, 1, false));
        cases.add(new Case("a megabyte of digits is inf: lenient", huge, DType.parse("f8"), "", lenient));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> NumpyLoadtxt.assertAsNumpy(cases, dir));
    }

    @Test
    void linesUpToTheLimitAreReadLongerOnesRefused() throws IOException {
        LoadOptions small = LoadOptions.builder().maxLineBytes(MIB).build();
        String fits = "1 " + " ".repeat(MIB - 4) + " 2"; // MIB bytes
        String over = fits + " ";
        String beyondTheBuffer = "3 " + "0".repeat(300_000) + "4";
        int n = 0;
        for (boolean gz : new boolean[]{false, true}) {
            for (String sep : List.of("\n", "\r\n", "\r")) {
                for (String last : List.of(sep, "")) {
                    String text = String.join(sep, "5 6", fits, beyondTheBuffer, fits, "7 8") + last;
                    Path f = gz ? gzip("fits" + n++ + ".gz", text) : file("fits" + n++ + ".txt", text);
                    assertTimeoutPreemptively(QUICK, () -> {
                        try (Arena arena = Arena.ofConfined()) {
                            NdArray a = load(f, "f8", small, arena);
                            assertEquals(List.of(5L, 2L), List.of(a.shape()[0], a.shape()[1]), f.toString());
                            assertEquals(2.0, a.getDouble(3));
                            assertEquals(4.0, a.getDouble(5));
                            assertEquals(8.0, a.getDouble(9));
                        }
                    });
                    for (int line = 1; line <= 3; line++) { // first, after a long line, last
                        List<String> lines = new ArrayList<>(List.of("1 2", fits, "3 4"));
                        lines.set(line - 1, over);
                        String t = String.join(sep, lines) + last;
                        Path g = gz ? gzip("over" + n++ + ".gz", t) : file("over" + n++ + ".txt", t);
                        TextParseException e = refused(g, "f8", small);
                        assertEquals(g + ":" + line + ": line longer than 1048576 bytes (1 MiB, the line limit)",
                                e.getMessage());
                        assertEquals(Problem.LINE_TOO_LONG, e.problem());
                        assertEquals("max_line_bytes=4M", e.hint().map(h -> h.option() + "=" + h.value()).orElse(null),
                                "the hint: four times the limit");
                    }
                }
            }
        }
    }

    @Test
    void aLongLineInEveryByteRange() throws IOException {
        LoadOptions small = LoadOptions.builder().maxLineBytes(MIB).build();
        String fits = "1" + " ".repeat(MIB - 2) + "2";
        Path f = file("ranges.txt", "3 4\n" + fits + "\n5 6\n" + fits + " \n7 8\n");
        TextLoader loader = TextLoader.of(DType.parse("f8"), small);
        long size = Files.size(f);
        int errors = 0;
        for (ByteRange r : ByteRange.split(size, 7)) {
            try (TableReader reader = loader.open(f, r); Arena arena = Arena.ofConfined()) {
                var chunk = arena.allocate(100 * reader.rowBytes());
                while (reader.read(chunk, 100) > 0) {
                    // every row of the range
                }
            } catch (TextParseException e) {
                errors++;
                assertEquals(f + ":4: line longer than 1048576 bytes (1 MiB, the line limit)", e.getMessage());
            }
        }
        assertEquals(1, errors, "only the range that owns line 4 reads it");
    }

    /// The issue's `nul.txt`: a gigabyte (a sparse file, NUL bytes) without a line break, read in a
    /// JVM of 96 MiB: the error, in bounded memory, in seconds (the reader looks ahead for the
    /// line's end without keeping it). A gzip stream cannot look ahead: its buffer grows to the
    /// limit, in a heap of 64 MiB and what [TextLoader#readerHeapBytes()] says.
    @Test
    void aGigabyteWithoutALineBreakFailsInBoundedMemory() throws Exception {
        Path nul = dir.resolve("nul.txt");
        try (RandomAccessFile f = new RandomAccessFile(nul.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        assertLoadFailsIn(96, nul, nul + ":1: line longer than 67108864 bytes (64 MiB, the line limit)");
        Path gz = dir.resolve("nul.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 160; i++) {
                out.write(zeros);
            }
        }
        long heap = 64 + (TextLoader.of(DType.parse("f8")).readerHeapBytes() >> 20) + 1;
        assertLoadFailsIn(heap, gz, gz + ":1: line longer than 67108864 bytes (64 MiB, the line limit)");
    }

    private static void assertLoadFailsIn(long heapMiB, Path file, String message) throws Exception {
        // A worker process's options (ferry-hdf5's Convert.defaultWorkerJvmOptions), but its heap.
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElseThrow(), "-Xms16m",
                "-Xmx" + heapMiB + "m", "-Xmn8m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                LoadOne.class.getName(), file.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "done within a minute");
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(message + "\n", said);
            assertEquals(3, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    /// Loads a file as `f8` in a JVM of its own: prints the error's message and exits 3 for a
    /// [TextParseException]; anything else (an `OutOfMemoryError`) is the JVM's exit 1.
    public static final class LoadOne {
        public static void main(String[] args) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                TextLoader.of(DType.parse("f8")).load(Path.of(args[0]), arena);
            } catch (TextParseException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
