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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /// Ferry's files are np.save's, byte for byte, for the same dtype, shape and data: format 1.0
    /// with field names Latin-1 spells (`é`, ascii), 3.0 with a UTF-8 header for those it cannot
    /// (`μ`, `λ`, `名`, `😀`), which 1.0 wrote as `?` (np.load gave `?`, or "name already used" for
    /// two), 2.0 past 64 KiB of header; names of 1 to 64 letters move the header's end across a
    /// multiple of 64, where numpy pads a whole 64 bytes more. Ferry reads numpy's files back.
    @Test
    void ferrysFilesAreNpSavesByteForByte() throws IOException {
        List<String> specs = new ArrayList<>(List.of("μ:f8,b:i4", "μ:f8,λ:i4", "名:S3,x:>u2", "😀:f4",
                "é:i8,e:f8", "chr:S10,pos:i4", "<f8", "u1"));
        // names with characters Python's repr escapes: a no-break space and a soft hyphen, a line
        // separator, a zero-width space, a private-use character, a private-use one past U+FFFF
        specs.addAll(List.of("[['a\u00a0b', 'f8'], ['soft\u00adhyphen', 'i4']]", "[['x\u2028y', 'u1']]",
                "[['\u200bz', 'i2'], ['\ue000', 'u1']]", "[['\udb80\udc00', 'f4']]"));
        for (int k = 1; k <= 64; k++) {
            specs.add("n".repeat(k) + ":u1");
        }
        specs.add(fields("f", 4000));      // a header of 72 KB: 2.0
        specs.add(fields("名", 4000));     // and one UTF-8 must write: 3.0
        long[][] shapes = {{3}, {0}, {2, 3}, {1}};
        StringBuilder cases = new StringBuilder();
        List<Path[]> pairs = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            List<NdArray> arrays = new ArrayList<>();
            for (String spec : specs) {
                for (long[] shape : shapes) {
                    NdArray a = NdArray.allocate(DType.parse(spec), arena, shape);
                    for (long i = 0; i < a.segment().byteSize(); i++) {
                        a.segment().set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7 + pairs.size()));
                    }
                    Path ferry = dir.resolve("ferry" + pairs.size() + ".npy");
                    Path data = dir.resolve("data" + pairs.size() + ".bin");
                    Path numpy = dir.resolve("numpy" + pairs.size() + ".npy");
                    Npy.write(a, ferry);
                    Files.write(data, a.segment().toArray(ValueLayout.JAVA_BYTE));
                    cases.append("{\"descr\": ").append(a.dtype().descrJson()).append(", \"shape\": ")
                            .append(Arrays.toString(shape)).append(", \"data\": \"").append(data)
                            .append("\", \"out\": \"").append(numpy).append("\"}\n");
                    pairs.add(new Path[]{ferry, numpy});
                    arrays.add(a);
                }
            }
            Path manifest = Files.writeString(dir.resolve("cases.jsonl"), cases);
            PythonPeer.run("""
                    import json, sys, warnings, numpy as np
                    warnings.simplefilter('ignore')  # 'Stored array in format 3.0. It can only be read by NumPy >= 1.17'
                    for line in open(sys.argv[1]):
                        c = json.loads(line)
                        d = c['descr']
                        dt = np.dtype([tuple(f) for f in d] if isinstance(d, list) else d)
                        np.save(c['out'], np.frombuffer(open(c['data'], 'rb').read(), dtype=dt).reshape(c['shape']))
                    """, manifest.toString());
            Set<Integer> versions = new TreeSet<>();
            for (int i = 0; i < pairs.size(); i++) {
                byte[] numpys = Files.readAllBytes(pairs.get(i)[1]);
                versions.add((int) numpys[6]);
                String what = arrays.get(i).dtype() + " " + Arrays.toString(arrays.get(i).shape())
                        + ", version " + numpys[6];
                assertArrayEquals(numpys, Files.readAllBytes(pairs.get(i)[0]), what);
                assertEquals(arrays.get(i), Npy.read(pairs.get(i)[1], arena), what);
            }
            assertEquals(Set.of(1, 2, 3), versions);
        }
    }

    /// A mapped file of names Latin-1 cannot spell is 3.0 too, its header padded to the length it
    /// was made with, and np.load reads its names.
    @Test
    void aMappedNpyOfNamesLatin1CannotSpellIsFormat3() throws IOException {
        Path x = dir.resolve("names.npy");
        try (MappedNpy npy = MappedNpy.create(OutputFile.of(x, true, List.of()), DType.parse("μ:f8,λ:i4"), 1000)) {
            npy.data().set(ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, 2.5);
            npy.data().set(ValueLayout.JAVA_INT_UNALIGNED, 8, 7);
            npy.commit(new long[]{1});
        }
        assertEquals("(3, 0) ('\\u03bc', '\\u03bb') [(2.5, 7)]", PythonPeer.run("""
                import sys, numpy as np
                a = np.load(sys.argv[1])
                print(np.lib.format.read_magic(open(sys.argv[1], 'rb')), ascii(a.dtype.names), a.tolist())
                """, x.toString()).strip());
    }

    /// `n` fields `prefix0` to `prefix<n-1>`, each a `u1`.
    private static String fields(String prefix, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append(prefix).append(i).append(":u1");
        }
        return s.toString();
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

    /// A damaged header's shape is an error naming the file: a huge shape was a bare "long
    /// overflow" (ArithmeticException), a negative one "negative dimension in shape".
    @Test
    void aDamagedShapeIsAClearError() throws IOException {
        Map<String, String> shapes = Map.of("(4611686018427387904, 4)", "of more elements than a file can hold",
                "(-2, 3)", "has a negative dimension in its shape (-2, 3)",
                "(1152921504606846976,)", "of more bytes than a file can hold");
        for (var e : shapes.entrySet()) {
            Path f = dir.resolve("damaged.npy");
            String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + e.getKey() + ", }";
            String padded = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
            byte[] header = padded.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, (byte) (header.length >> 8)});
            out.write(header);
            out.write(new byte[64]);
            Files.write(f, out.toByteArray());
            try (Arena arena = Arena.ofConfined()) {
                NpyFormatException x = assertThrows(NpyFormatException.class, () -> Npy.read(f, arena), e.getKey());
                assertTrue(x.getMessage().contains("damaged.npy") && x.getMessage().contains(e.getValue()), x.getMessage());
            }
        }
    }
}
