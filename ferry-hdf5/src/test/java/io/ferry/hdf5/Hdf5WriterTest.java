package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Files written by [Hdf5Writer], read by h5py (Debian's, HDF5 1.10) and checked byte for byte.
@org.junit.jupiter.api.Tag("process")
class Hdf5WriterTest {
    @TempDir
    Path dir;

    /// Appends `a` in pieces of random sizes (some smaller than a chunk, some spanning several).
    static void appendInPieces(DatasetWriter w, NdArray a, long seed, long maxPiece) {
        SplittableRandom r = new SplittableRandom(seed);
        long at = 0;
        while (at < a.length()) {
            long n = Math.min(a.length() - at, 1 + r.nextLong(maxPiece));
            w.append(a.slice(at, at + n));
            at += n;
        }
    }

    // h5py reads each dataset, compares dtype and bytes, and reports the storage settings it sees.
    static final String CHECK_DATASET = """
            import sys, json, h5py, numpy as np
            path, name, descr, expected = sys.argv[1:5]
            f = h5py.File(path, 'r')
            ds = f[name]
            want = np.dtype([tuple(x) for x in json.loads(descr)]) if descr.startswith('[') else np.dtype(json.loads(descr))
            assert ds.dtype == want, (ds.dtype, want)
            raw = open(expected, 'rb').read()
            got = ds[...]
            assert got.dtype == want, (got.dtype, want)
            if got.tobytes() != raw:
                exp = np.frombuffer(raw, dtype=want).reshape(got.shape)
                bad = np.nonzero(got.reshape(len(got), -1) != exp.reshape(len(exp), -1))[0]
                sys.exit('%s: %d rows differ, first %s: got %r, expected %r' % (name, len(set(bad)), bad[:5], got[bad[0]], exp[bad[0]]))
            a = dict(ds.attrs)
            assert json.loads(a['dtype']) == json.loads(descr), a['dtype']
            assert isinstance(a['ferry_version'], str) and isinstance(f.attrs['created'], str)
            print(json.dumps({'shape': list(ds.shape), 'maxshape': [m if m is not None else -1 for m in ds.maxshape],
                              'chunks': list(ds.chunks), 'compression': ds.compression,
                              'level': ds.compression_opts, 'shuffle': ds.shuffle, 'rows': int(a['rows']),
                              'source': a.get('source'), 'fill_time': ds.id.get_create_plist().get_fill_time()}))
            """;

    @ParameterizedTest(name = "gzip {0}, shuffle {1}, parallel {2}")
    @CsvSource({
            "0, false, true",
            "0, true, true",
            "1, false, true",
            "1, true, true",
            "4, false, true",
            "4, true, true",
            "9, false, true",
            "9, true, true",
            "4, true, false",
            "0, false, false",
    })
    void h5pyReadsEveryCompressionSettingByteForByte(int gzip, boolean shuffle, boolean parallel) {
        PythonPeer.require("numpy", "h5py");
        Path out = dir.resolve("m.h5");
        long rows = 25_013;                            // 12 full chunks of 2000 and a partial one
        WriteOptions o = WriteOptions.builder()
                .compression(gzip == 0 ? Compression.NONE : Compression.gzip(gzip))
                .shuffle(shuffle).parallelCompression(parallel).chunkRows(2000).threads(2).build();
        try (Arena arena = Arena.ofShared()) {
            NdArray a = TestRecords.methylation(arena, rows, 7);
            try (Hdf5Writer writer = Hdf5Writer.create(out, o)) {
                DatasetWriter w = writer.dataset("sample1", "/data/sample1.tsv", a.dtype());
                appendInPieces(w, a, 11, 4500);
                writer.commit();
            }
            Path expected = TestRecords.save(a, dir.resolve("m.bin"));
            String seen = PythonPeer.run(CHECK_DATASET, out.toString(), "sample1", a.dtype().descrJson(), expected.toString());
            assertTrue(seen.contains("\"shape\": [25013]"), seen);
            assertTrue(seen.contains("\"maxshape\": [-1]"), seen);
            assertTrue(seen.contains("\"chunks\": [2000]"), seen);
            assertTrue(seen.contains("\"rows\": 25013"), seen);
            assertTrue(seen.contains("\"source\": \"/data/sample1.tsv\""), seen);
            assertTrue(seen.contains("\"shuffle\": " + (shuffle ? "true" : "false")), seen);
            assertTrue(seen.contains(gzip == 0 ? "\"compression\": null" : "\"compression\": \"gzip\", \"level\": " + gzip), seen);
            // Unfiltered chunks are never filled first (h5py's FILL_TIME_NEVER is 1, IFSET 2):
            // HDF5 would otherwise fill each new chunk and write it whole before the data.
            assertTrue(seen.contains("\"fill_time\": " + (gzip == 0 && !shuffle ? 1 : 2)), seen);

            // and Ferry's own reader agrees
            try (Hdf5File f = Hdf5File.open(out)) {
                assertEquals(a, f.read("sample1", arena));
                assertEquals(a.slice(1999, 4001), f.read("sample1", 1999, 4001, arena));
                DatasetInfo info = f.dataset("sample1");
                assertEquals(gzip == 0 ? Compression.NONE : Compression.gzip(gzip), info.compression());
                assertEquals(25_013L, info.attributes().get("rows"));
            }
        }
    }

    /// Compression buffers grow with the datasets being written plus the threads, not with their
    /// product: each dataset keeps two compressors and its share of the threads.
    @Test
    void compressionBuffersGrowWithDatasetsPlusThreadsNotTheirProduct() {
        assertEquals(34, ParallelCompression.maxCompressors(32, 1));    // alone: every thread busy
        assertEquals(3, ParallelCompression.maxCompressors(32, 32));
        assertEquals(3, ParallelCompression.maxCompressors(2, 4));
        WriteOptions o = WriteOptions.builder().compression(Compression.gzip(9)).shuffle(true).chunkRows(4000).threads(8).build();
        DType dt = TestRecords.methylation(Arena.global(), 1, 1).dtype();
        long chunk = 4000 * dt.itemSize(), compressor = chunk + chunk + chunk / 64 + 1024;
        assertEquals(34 * compressor + chunk, DatasetWriter.workingBytes(o.toBuilder().threads(32).build(), dt, 1));
        assertTrue(DatasetWriter.workingBytes(o.toBuilder().threads(32).build(), dt, 32) <= 4 * 32 * compressor + 32 * chunk);

        int datasets = 8;
        try (Arena arena = Arena.ofShared()) {
            NdArray a = TestRecords.methylation(arena, 30 * 4000, 5);
            int most = 0;
            try (Hdf5Writer writer = Hdf5Writer.create(dir.resolve("many.h5"), o)) {
                List<DatasetWriter> writers = new ArrayList<>();
                for (int d = 0; d < datasets; d++) {
                    writers.add(writer.dataset("d" + d, a.dtype()));
                }
                for (long at = 0; at < a.length(); at += 10 * 4000) {   // 10 chunks to each in turn
                    for (DatasetWriter w : writers) {
                        w.append(a.slice(at, at + 10 * 4000));
                        most = Math.max(most, writers.stream().mapToInt(DatasetWriter::compressors).sum());
                    }
                }
                writer.commit();
            }
            assertTrue(most <= datasets * ParallelCompression.maxCompressors(8, datasets), "compressors at most: " + most);
            try (Hdf5File f = Hdf5File.open(dir.resolve("many.h5"))) {
                for (int d = 0; d < datasets; d++) {
                    assertEquals(a, f.read("d" + d, arena));
                }
            }
        }
    }

    @Test
    void severalDatasetsOfDifferentDtypesInOneFile() {
        PythonPeer.require("numpy", "h5py");
        Path out = dir.resolve("several.h5");
        DType mixed = DType.parse("a:>i4,b:>f8,c:<u2,d:?,e:S3,f:>i8,g:u1,h:<f4");
        DType grid = DType.parse("<f4");
        DType plain = DType.parse(">i2");
        WriteOptions o = WriteOptions.builder().compression(Compression.gzip(4)).shuffle(true).chunkBytes(4096).build();
        try (Arena arena = Arena.ofShared()) {
            NdArray m = TestRecords.methylation(arena, 3001, 1);
            NdArray x = TestRecords.random(mixed, arena, 2, 1234);
            NdArray g = TestRecords.random(grid, arena, 3, 37, 4, 5);     // (time, lat, lon)
            NdArray p = TestRecords.random(plain, arena, 4, 999);
            try (Hdf5Writer writer = Hdf5Writer.create(out, o)) {
                appendInPieces(writer.dataset("meth", m.dtype()), m, 1, 700);
                appendInPieces(writer.dataset("mixed/records", x.dtype()), x, 2, 300);
                appendInPieces(writer.dataset("grid", grid, 4, 5), g, 3, 10);
                appendInPieces(writer.dataset("plain", plain), p, 4, 100);
                writer.attribute("experiment", "several").attribute("answer", 42L).attribute("pi", 3.25);
                writer.commit();
            }
            record Case(String name, NdArray a) {
            }
            for (Case c : List.of(new Case("meth", m), new Case("mixed/records", x), new Case("grid", g), new Case("plain", p))) {
                Path expected = TestRecords.save(c.a(), dir.resolve(c.name().replace('/', '_') + ".bin"));
                String seen = PythonPeer.run(CHECK_DATASET, out.toString(), c.name(), c.a().dtype().descrJson(), expected.toString());
                assertTrue(seen.contains("\"rows\": " + c.a().length()), seen);
            }
            String shapes = PythonPeer.run("""
                    import sys, h5py
                    f = h5py.File(sys.argv[1], 'r')
                    print(f['grid'].shape, f['grid'].maxshape, f['grid'].chunks)
                    print(f['mixed/records'].dtype['d'], f['mixed/records'].dtype.descr)
                    print(f.attrs['experiment'], f.attrs['answer'], f.attrs['pi'])
                    """, out.toString());
            assertTrue(shapes.contains("(37, 4, 5) (None, 4, 5) (51, 4, 5)"), shapes);   // 4096 / 80 bytes per row
            assertTrue(shapes.contains("bool [('a', '>i4'), ('b', '>f8'), ('c', '<u2'), ('d', '|b1'), ('e', ('|S3'"), shapes);
            assertTrue(shapes.contains("several 42 3.25"), shapes);
            try (Hdf5File f = Hdf5File.open(out)) {
                assertEquals(x, f.read("mixed/records", arena));
                assertEquals(g, f.read("grid", arena));
                assertEquals(g.slice(5, 9), f.read("grid", 5, 9, arena));
                assertEquals(List.of("grid", "meth", "mixed/records", "plain"),
                        f.datasets().stream().map(DatasetInfo::name).toList());
                assertEquals("several", f.attributes().get("experiment"));
            }
        }
    }

    @Test
    void h5dumpShowsTheCompoundTheStringsTheChunksAndTheFilters() throws IOException {
        Path out = dir.resolve("dump.h5");
        WriteOptions o = WriteOptions.builder().compression(Compression.gzip(4)).shuffle(true).chunkRows(1000).build();
        try (Arena arena = Arena.ofShared(); Hdf5Writer writer = Hdf5Writer.create(out, o)) {
            writer.dataset("sample1", TestRecords.METHYLATION).append(TestRecords.methylation(arena, 2500, 3));
            writer.dataset("big", DType.parse("x:>i8,ok:?")).append(TestRecords.random(DType.parse("x:>i8,ok:?"), arena, 1, 10));
            writer.commit();
        }
        PythonPeer.Result r = PythonPeer.exec(List.of("h5dump", "-H", "-p", out.toString()), null, 60);
        if (r.exit() == 127 || r.stderr().contains("No such file")) {
            PythonPeer.require("h5dump_missing");    // fails under CI, skips elsewhere, saying what is missing
        }
        assertEquals(0, r.exit(), r.stderr());
        String h = r.stdout().replaceAll("\\s+", " ");
        assertTrue(h.contains("DATASET \"sample1\" { DATATYPE H5T_COMPOUND { H5T_STRING { STRSIZE 10; STRPAD H5T_STR_NULLPAD;"
                + " CSET H5T_CSET_ASCII; CTYPE H5T_C_S1; } \"chr\"; H5T_STD_I32LE \"pos\"; H5T_IEEE_F32LE \"pct\";"
                + " H5T_STD_I32LE \"c\"; H5T_STD_I32LE \"t\"; }"), h);
        assertTrue(h.contains("DATASPACE SIMPLE { ( 2500 ) / ( H5S_UNLIMITED ) }"), h);
        assertTrue(h.contains("CHUNKED ( 1000 )"), h);
        assertTrue(h.contains("FILTERS { PREPROCESSING SHUFFLE COMPRESSION DEFLATE { LEVEL 4 } }"), h);
        assertTrue(h.contains("H5T_STD_I64BE \"x\"; H5T_ENUM { H5T_STD_I8LE; \"FALSE\" 0; \"TRUE\" 1; } \"ok\";"), h);
        assertTrue(h.contains("ATTRIBUTE \"ferry_version\""), h);
        assertTrue(h.contains("ATTRIBUTE \"created\""), h);
    }

    @Test
    void heapArraysAreCopiedToNativeMemoryOnTheWay() {
        PythonPeer.require("numpy", "h5py");
        for (boolean gzip : new boolean[] {false, true}) {
            Path out = dir.resolve("heap" + gzip + ".h5");
            WriteOptions o = WriteOptions.builder().compression(gzip ? Compression.gzip(1) : Compression.NONE).chunkRows(64).build();
            try (Arena arena = Arena.ofConfined()) {
                NdArray a = TestRecords.methylation(arena, 300, 5);
                NdArray heap = NdArray.wrap(a.dtype(), java.lang.foreign.MemorySegment.ofArray(
                        a.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)), 300);
                try (Hdf5Writer writer = Hdf5Writer.create(out, o)) {
                    appendInPieces(writer.dataset("d", a.dtype()), heap, 9, 100);
                    writer.commit();
                }
                try (Hdf5File f = Hdf5File.open(out)) {
                    assertEquals(a, f.read("d", arena));
                }
            }
        }
    }

    /// A dtype of 3,000 `f8` fields: HDF5's datatype message is larger than an object header
    /// message may be (64 KiB), and the error was HDF5's alone, "object header message is too
    /// large" (a tester found it). It says what that means and what to do; the file is not made.
    @Test
    void aDtypeTooLargeForHdf5SaysWhyAndWhatToDo() {
        DType wide = DType.parse(java.util.stream.IntStream.range(0, 3000).mapToObj(i -> "c" + i + ":f8")
                .collect(java.util.stream.Collectors.joining(",")));
        Path out = dir.resolve("wide.h5");
        try (Hdf5Writer w = Hdf5Writer.create(out, WriteOptions.DEFAULT)) {
            Hdf5Exception e = org.junit.jupiter.api.Assertions.assertThrows(Hdf5Exception.class, () -> w.dataset("wide", wide));
            assertTrue(e.getMessage().startsWith("cannot create dataset 'wide': its dtype of 3000 fields is too large for"
                    + " HDF5, which keeps a dataset's datatype in one object header message of at most 64 KiB (h5py is"
                    + " refused the same"), e.getMessage());
            assertTrue(e.getMessage().contains("write a 2-D grid of that type (ferry convert --dtype f8)"), e.getMessage());
            assertTrue(e.getMessage().contains(". HDF5 said: cannot create dataset 'wide': object header message is too"
                    + " large ("), e.getMessage());
        }
        assertTrue(java.nio.file.Files.notExists(out));
    }

    @Test
    void emptyDatasetIsWrittenWithZeroRows() {
        Path out = dir.resolve("empty.h5");
        try (Hdf5Writer writer = Hdf5Writer.create(out, WriteOptions.builder().compression(Compression.gzip(4)).build())) {
            writer.dataset("none", TestRecords.METHYLATION);
            writer.commit();
        }
        try (Hdf5File f = Hdf5File.open(out); Arena arena = Arena.ofConfined()) {
            assertEquals(0, f.read("none", arena).length());
            assertEquals(0L, f.dataset("none").attributes().get("rows"));
        }
    }
}
