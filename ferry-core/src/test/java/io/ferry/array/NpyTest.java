package io.ferry.array;

import io.ferry.dtype.DType;
import io.ferry.file.OutputFile;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@org.junit.jupiter.api.Tag("process")
class NpyTest {
    @TempDir
    Path dir;

    @Test
    void docExample() throws IOException {
        Path file = Files.createTempFile(dir, "ferry", ".npy");
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = NdArray.allocate(DType.parse("<f8"), arena, 2, 3);
            a.setDouble(5, 2.5);
            Npy.write(a, file);
            assertEquals(a, Npy.read(file, arena));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void mappedNpyDocExample() throws IOException {
        Path x = dir.resolve("x.npy");
        OutputFile out = OutputFile.of(x, true, List.of());
        try (MappedNpy npy = MappedNpy.create(out, DType.parse("<i4"), 1000)) {
            npy.data().set(ValueLayout.JAVA_INT_UNALIGNED, 0, 7);   // row 0
            npy.commit(new long[]{1});                               // np.load gives array([7])
        }
        assertEquals("[7] int32", PythonPeer.run("""
                import sys, numpy as np
                a = np.load(sys.argv[1]); print(a, a.dtype)
                """, x.toString()).strip());
    }

    /// A mapped file cut to fewer rows, of any shape, is what numpy reads; one never committed
    /// leaves nothing, and the file it would have replaced is as it was.
    @Test
    void aMappedNpyCutToItsRowsOrDiscarded() throws IOException {
        Path x = dir.resolve("grid.npy");
        DType f8 = DType.parse("<f8");
        for (long[] shape : new long[][]{{2, 3}, {3}, {0, 3}, {0}}) {
            try (MappedNpy npy = MappedNpy.create(OutputFile.of(x, true, List.of()), f8, 100_000, 3)) {
                for (int i = 0; i < 6; i++) {
                    npy.data().setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, i, i + 0.5);
                }
                npy.commit(shape);
            }
            String expected = java.util.Arrays.toString(shape) + " " + (shape[0] == 0 ? "[]" : shape.length == 2
                    ? "[0.5, 1.5, 2.5, 3.5, 4.5, 5.5]" : "[0.5, 1.5, 2.5]");
            assertEquals(expected, PythonPeer.run("""
                    import sys, numpy as np
                    a = np.load(sys.argv[1]); print(list(a.shape), a.ravel().tolist())
                    """, x.toString()).strip());
            assertEquals(Npy.header(f8, new long[]{Long.MAX_VALUE, Long.MAX_VALUE}).length + 8L * Math.max(0, shape.length == 2
                    ? shape[0] * shape[1] : shape[0]), Files.size(x));
        }
        byte[] before = Files.readAllBytes(x);
        try (MappedNpy npy = MappedNpy.create(OutputFile.of(x, true, List.of()), f8, 10)) {
            npy.data().set(ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, 1.0);
        }
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(x)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(x), files.toList());
        }
    }

    /// numpy reads what Ferry writes: same dtype, same shape, same bytes.
    @Test
    void numpyLoadsFerrysFiles() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            NdArray rec = NdArray.allocate(DType.parse("chr:S10,pos:i4,pct:f4,c:>i8,flag:b1"), arena, 5);
            for (int r = 0; r < 5; r++) {
                rec.column("chr").setBytes(r, ("chr" + r).getBytes());
                rec.column("pos").setLong(r, 1000L * r - 7);
                rec.column("pct").setDouble(r, r / 3.0);
                rec.column("c").setLong(r, -r);
                rec.column("flag").setLong(r, r % 2);
            }
            NdArray cube = NdArray.allocate(DType.parse("<f4"), arena, 2, 3, 4);
            for (int i = 0; i < 24; i++) {
                cube.setDouble(i, i * 0.25);
            }
            for (NdArray a : new NdArray[] {rec, cube}) {
                Path f = dir.resolve("a.npy");
                Npy.write(a, f);
                String out = PythonPeer.run("""
                        import sys, numpy as np
                        a = np.load(sys.argv[1])
                        print(a.dtype.descr if a.dtype.names else a.dtype.str)
                        print(list(a.shape))
                        print(a.tobytes().hex())
                        """, f.toString());
                String[] lines = out.strip().split("\n");
                assertEquals(a.dtype().descr(), lines[0]);
                assertEquals(java.util.Arrays.toString(a.shape()), lines[1]);
                assertEquals(HexFormat.of().formatHex(a.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)), lines[2]);
            }
        }
    }

    /// Ferry reads what numpy writes, including big-endian and structured arrays.
    @Test
    void ferryLoadsNumpysFiles() throws IOException {
        Path f = dir.resolve("np.npy");
        String hex = PythonPeer.run("""
                import sys, numpy as np
                a = np.zeros(4, dtype=[('name', 'S6'), ('x', '>f8'), ('n', '<u2')])
                a['name'] = [b'a', b'bb', b'cccccc', b'']
                a['x'] = [1.5, -0.0, np.inf, 1e-300]
                a['n'] = [0, 1, 65535, 7]
                np.save(sys.argv[1], a)
                print(a.tobytes().hex())
                """, f.toString()).strip();
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = Npy.read(f, arena);
            assertEquals(DType.parse("[('name', '|S6'), ('x', '>f8'), ('n', '<u2')]"), a.dtype());
            assertEquals(hex, HexFormat.of().formatHex(a.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            assertEquals("cccccc", a.column("name").getString(2));
            assertEquals(65535, a.column("n").getLong(2));
        }
    }

    @Test
    void notAnNpyFileIsAClearError() throws IOException {
        Path f = dir.resolve("bad.npy");
        Files.writeString(f, "hello, this is text");
        try (Arena arena = Arena.ofConfined()) {
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(f, arena));
            assertTrue(e.getMessage().contains("bad.npy does not start with the .npy magic"), e.getMessage());
        }
    }
}
