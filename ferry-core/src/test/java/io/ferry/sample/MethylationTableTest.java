package io.ferry.sample;

import io.ferry.array.Column;
import io.ferry.array.NdArray;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@org.junit.jupiter.api.Tag("process")
class MethylationTableTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path dir;

    private static byte[] table(long lines, long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MethylationTable.write(out, lines, seed);
        return out.toByteArray();
    }

    @Test
    void sameSeedSameBytes() throws IOException {
        assertArrayEquals(table(2000, 5), table(2000, 5));
        assertFalse(java.util.Arrays.equals(table(2000, 5), table(2000, 6)));
        Path a = dir.resolve("a.gz");
        Path b = dir.resolve("b.gz");
        MethylationTable.write(a, 2000, 5, true);
        MethylationTable.write(b, 2000, 5, true);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "gzip output is deterministic too");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(a))) {
            assertArrayEquals(table(2000, 5), in.readAllBytes());
        }
        assertEquals(0, table(0, 1).length);
    }

    @Test
    void realisticRows() throws IOException {
        Path f = dir.resolve("m.txt");
        Files.write(f, table(10_000, 9));
        try (Arena arena = Arena.ofConfined()) {
            NdArray t = TextLoader.of(MethylationTable.DTYPE, LoadOptions.builder().delimiter('\t').build()).load(f, arena);
            assertEquals(10_000, t.length());
            Column chr = t.column("chr");
            Column pos = t.column("pos");
            Column pct = t.column("pct");
            Column c = t.column("c");
            Column u = t.column("t");
            assertEquals("chr1", chr.getString(0));
            assertEquals("chrM", chr.getString(9_999));
            int chromosomes = 1;
            for (long i = 0; i < t.length(); i++) {
                int depth = c.getInt(i) + u.getInt(i);
                assertTrue(depth >= 1 && c.getInt(i) >= 0 && u.getInt(i) >= 0);
                assertEquals(100.0 * c.getInt(i) / depth, pct.getFloat(i), 0.005 + 1e-5);
                if (i > 0 && chr.getString(i).equals(chr.getString(i - 1))) {
                    assertTrue(pos.getInt(i) > pos.getInt(i - 1), "positions increase");
                } else if (i > 0) {
                    chromosomes++;
                }
            }
            assertEquals(25, chromosomes);
        }
        long bytes = Files.size(f);
        assertTrue(bytes > 22 * 10_000 && bytes < 27 * 10_000, "about 24 bytes a line: " + bytes);
    }

    @Test
    void examplesAreWhatTheGeneratorMakes() throws IOException {
        assertArrayEquals(table(3000, 1), Files.readAllBytes(EXAMPLES.resolve("sample1.txt")));
        assertArrayEquals(table(4000, 2), Files.readAllBytes(EXAMPLES.resolve("sample2.txt")));
        assertArrayEquals(table(5000, 3), Files.readAllBytes(EXAMPLES.resolve("sample3.txt")));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(EXAMPLES.resolve("sample4.txt.gz")))) {
            assertArrayEquals(table(5000, 4), in.readAllBytes());
        }
    }

    @Test
    void examplesLoadAsNumpyLoadsThem() throws IOException {
        PythonPeer.require("numpy");
        for (String name : new String[]{"sample1.txt", "sample2.txt", "sample3.txt", "sample4.txt.gz"}) {
            Path f = EXAMPLES.resolve(name).toAbsolutePath();
            String hex = PythonPeer.run("""
                    import sys, numpy as np
                    dt = [('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]
                    print(np.loadtxt(sys.argv[1], dtype=dt, delimiter='\\t', ndmin=1).tobytes().hex())
                    """, f.toString()).strip();
            try (Arena arena = Arena.ofConfined()) {
                NdArray t = TextLoader.of(MethylationTable.DTYPE, LoadOptions.builder().delimiter('\t').build()).load(f, arena);
                assertEquals(hex, HexFormat.of().formatHex(t.segment().toArray(ValueLayout.JAVA_BYTE)), name);
            }
        }
    }
}
