package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Ferry's reader on files it did not write: h5py's, with gzip, padding, booleans, big-endian numbers.
@org.junit.jupiter.api.Tag("process")
class Hdf5FileTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatH5pyWrote() throws IOException {
        PythonPeer.require("numpy", "h5py");
        Path h5 = dir.resolve("py.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                import numpy.lib.recfunctions as rf
                out, d = sys.argv[1], sys.argv[2]
                rng = np.random.default_rng(5)
                n = 5000
                meth = np.zeros(n, dtype=[('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])
                meth['chr'] = [b'chr%d' % (1 + i // 1000) for i in range(n)]
                meth['pos'] = np.cumsum(rng.integers(2, 60, n))
                meth['c'] = rng.integers(0, 25, n); meth['t'] = rng.integers(0, 25, n)
                meth['pct'] = 100 * meth['c'] / np.maximum(1, meth['c'] + meth['t'])
                aligned = np.dtype([('flag', '?'), ('x', '>f8'), ('k', 'u2')], align=True)   # padded: itemsize 24
                al = np.zeros(300, dtype=aligned)
                al['flag'] = rng.integers(0, 2, 300).astype(bool); al['x'] = rng.normal(size=300); al['k'] = rng.integers(0, 60000, 300)
                grid = rng.normal(size=(10, 3, 4)).astype('<f4')
                with h5py.File(out, 'w') as f:
                    ds = f.create_dataset('meth', data=meth, chunks=(700,), compression='gzip', compression_opts=6, shuffle=True, maxshape=(None,))
                    ds.attrs['source'] = 'py.tsv'; ds.attrs['n'] = n; ds.attrs['scale'] = 0.5
                    ds.attrs['names'] = np.array([b'ab', b'cde'])
                    f.create_dataset('group/aligned', data=al, compression='gzip')
                    f.create_dataset('grid', data=grid)
                    f.attrs['who'] = 'h5py'
                meth.tofile(d + '/meth.bin')
                rf.repack_fields(al).tofile(d + '/aligned.bin')
                grid.tofile(d + '/grid.bin')
                """, h5.toString(), dir.toString());
        try (Hdf5File f = Hdf5File.open(h5); Arena arena = Arena.ofConfined()) {
            assertEquals(List.of("grid", "group/aligned", "meth"), f.datasets().stream().map(DatasetInfo::name).toList());
            DatasetInfo meth = f.dataset("meth");
            assertEquals(DType.parse("chr:S10,pos:<i4,pct:<f4,c:<i4,t:<i4"), meth.dtype().orElseThrow());
            assertArrayEquals(new long[] {5000}, meth.shape());
            assertArrayEquals(new long[] {-1}, meth.maxShape());
            assertArrayEquals(new long[] {700}, meth.chunk());
            assertEquals(List.of("shuffle", "gzip(6)"), meth.filters());
            assertEquals("py.tsv", meth.attributes().get("source"));
            assertEquals(5000L, meth.attributes().get("n"));
            assertEquals(0.5, meth.attributes().get("scale"));
            assertEquals(List.of("ab", "cde"), meth.attributes().get("names"));
            assertEquals("h5py", f.attributes().get("who"));

            NdArray all = f.read("meth", arena);
            assertSameBytes(dir.resolve("meth.bin"), all);
            assertEquals(all.slice(650, 1450), f.read("meth", 650, 1450, arena));

            NdArray aligned = f.read("group/aligned", arena);
            assertEquals(DType.parse("flag:?,x:>f8,k:<u2"), aligned.dtype());     // packed by Ferry: itemsize 11
            assertSameBytes(dir.resolve("aligned.bin"), aligned);

            NdArray grid = f.read("grid", arena);
            assertArrayEquals(new long[] {10, 3, 4}, grid.shape());
            assertEquals(List.of(), f.dataset("grid").filters());
            assertArrayEquals(new long[0], f.dataset("grid").chunk());
            assertSameBytes(dir.resolve("grid.bin"), grid);
        }
    }

    static void assertSameBytes(Path expected, NdArray actual) throws IOException {
        byte[] want = Files.readAllBytes(expected);
        assertArrayEquals(want, actual.segment().toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void missingAndNonHdf5FilesAreClearErrors() throws IOException {
        Hdf5Exception missing = assertThrows(Hdf5Exception.class, () -> Hdf5File.open(dir.resolve("nope.h5")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        Path text = Files.writeString(dir.resolve("text.h5"), "chr1\t100\n");
        Hdf5Exception notHdf5 = assertThrows(Hdf5Exception.class, () -> Hdf5File.open(text));
        // HDF5's own words, from its error stack
        assertTrue(notHdf5.getMessage().contains("not an HDF5 file"), notHdf5.getMessage());
        assertTrue(notHdf5.getMessage().contains("file signature not found"), notHdf5.getMessage());
    }

    @Test
    void hdf5ErrorsCarryHdf5sMessage() {
        Path out = dir.resolve("e.h5");
        try (Hdf5Writer writer = Hdf5Writer.create(out, WriteOptions.DEFAULT)) {
            writer.dataset("d", DType.parse("<i4"));
            writer.commit();
        }
        try (Hdf5File f = Hdf5File.open(out); Arena arena = Arena.ofConfined()) {
            Hdf5Exception e = assertThrows(Hdf5Exception.class, () -> f.read("absent", arena));
            assertTrue(e.getMessage().startsWith("cannot open dataset 'absent': "), e.getMessage());
            assertTrue(e.getMessage().contains("object 'absent' doesn't exist"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> f.read("d", 0, 1, arena));
        }
    }

    @Test
    void unsupportedTypesAreNamed() {
        PythonPeer.require("numpy", "h5py");
        Path h5 = dir.resolve("vlen.h5");
        PythonPeer.run("""
                import sys, h5py
                with h5py.File(sys.argv[1], 'w') as f:
                    f.create_dataset('words', data=['a', 'bc'], dtype=h5py.string_dtype())
                """, h5.toString());
        try (Hdf5File f = Hdf5File.open(h5); Arena arena = Arena.ofConfined()) {
            DatasetInfo info = f.dataset("words");
            assertTrue(info.dtype().isEmpty());
            assertTrue(info.typeProblem().contains("variable-length strings"), info.typeProblem());
            UnsupportedTypeException e = assertThrows(UnsupportedTypeException.class, () -> f.read("words", arena));
            assertTrue(e.getMessage().contains("variable-length"), e.getMessage());
        }
    }

    /// Fixed-size UTF-8 strings (h5py's `string_dtype('utf-8', n)`), alone or in a record, are no
    /// S<n>: HDF5 converts none to an ASCII string (reading failed, listings stopped there, and a
    /// stitched file of them could not be read). Unsigned attributes past 2^63 - 1 keep their value
    /// (a u8 of 2^64 - 1 read as 9223372036854775807); a float32 is a Float, a NUL inside a
    /// fixed string stays.
    @Test
    void utf8FixedStringsAreNamedAndUnsignedAttributesKeepTheirValues() {
        PythonPeer.require("numpy", "h5py");
        Path h5 = dir.resolve("utf8.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'w') as f:
                    f.create_dataset('names', shape=(2,), dtype=h5py.string_dtype('utf-8', 4))
                    f.create_dataset('rows', shape=(2,), dtype=[('s', h5py.string_dtype('utf-8', 4)), ('i', '<i4')])
                    f.attrs['u8max'] = np.uint64(2**64 - 1)
                    f.attrs['u8s'] = np.array([1, 2**63 + 5], dtype='u8')
                    f.attrs['i8min'] = np.int64(-2**63)
                    f.attrs['f4'] = np.float32(0.1)
                    f.attrs['nul'] = np.bytes_(b'ab\\x00c')
                """, h5.toString());
        try (Hdf5File f = Hdf5File.open(h5)) {
            for (String name : new String[]{"names", "rows"}) {
                DatasetInfo info = f.dataset(name);
                assertTrue(info.dtype().isEmpty(), name);
                assertTrue(info.typeProblem().contains("fixed-size UTF-8 strings"), info.typeProblem());
            }
            assertEquals(new java.math.BigInteger("18446744073709551615"), f.attributes().get("u8max"));
            assertEquals(java.util.List.of(1L, new java.math.BigInteger("9223372036854775813")), f.attributes().get("u8s"));
            assertEquals(Long.MIN_VALUE, f.attributes().get("i8min"));
            // a float32 as h5py gives it (0.10000000149011612 as a double), and a NUL inside a
            // fixed string kept, as numpy keeps it (the text ended there: "ab")
            assertEquals(0.1f, f.attributes().get("f4"));
            assertEquals("ab\0c", f.attributes().get("nul"));
        }
    }
}
