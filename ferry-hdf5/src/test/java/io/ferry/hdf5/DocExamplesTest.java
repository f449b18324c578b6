package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/// The examples in the public doc comments, compiled and run as they are written there.
class DocExamplesTest {
    @TempDir
    Path dir;

    @Test
    void compression() {
        Compression none = Compression.NONE;
        Compression gzip = Compression.gzip(4);
        assert gzip instanceof Compression.Gzip g && g.level() == 4;
        assert Compression.parse("gzip:fast") == Compression.GZIP_FAST && Compression.GZIP_FAST.filterLevel() == 1;
        assertTrue(none instanceof Compression.None);
        assertTrue(Compression.parse("gzip:fast") == Compression.GZIP_FAST);
    }

    @Test
    void writeOptions() {
        WriteOptions o = WriteOptions.builder()
                .compression(Compression.gzip(4))
                .shuffle(true)
                .chunkBytes(2 << 20)
                .overwrite(true)
                .build();
        assert o.compression().equals(Compression.gzip(4)) && WriteOptions.DEFAULT.compression() == Compression.NONE;
        assertTrue(o.filtered());
    }

    @Test
    void writerThenFile() {
        Path target = dir.resolve("meth.h5");
        Path path = target;

        DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
        WriteOptions options = WriteOptions.builder().compression(Compression.gzip(4)).shuffle(true).build();
        try (Hdf5Writer writer = Hdf5Writer.create(target, options);
             Arena arena = Arena.ofConfined()) {
            DatasetWriter w = writer.dataset("sample1", "/data/sample1.txt", dt);
            NdArray chunk = NdArray.allocate(dt, arena, 1000);
            // ... fill chunk, then, as often as there are chunks:
            w.append(chunk);
            w.attribute("genome", "hg38");
            writer.commit();                 // the file appears at `target` only now
        }

        try (Hdf5File f = Hdf5File.open(path);
             Arena arena = Arena.ofConfined()) {
            for (DatasetInfo d : f.datasets()) {
                System.out.println(d.name() + " " + d.rows() + " rows");
            }
            NdArray all = f.read("sample1", arena);
            NdArray some = f.read("sample1", 10, 20, arena);    // rows 10 to 19
            assert some.equals(all.slice(10, 20));
            assertTrue(some.equals(all.slice(10, 20)));
        }
        assertTrue(Files.exists(target));
    }

    @Test
    void appendToAnExistingFile() throws java.io.IOException {
        Path target = dir.resolve("meth.h5");
        DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
        try (Hdf5Writer writer = Hdf5Writer.create(target, WriteOptions.DEFAULT); Arena arena = Arena.ofConfined()) {
            writer.dataset("sample1", dt).append(NdArray.allocate(dt, arena, 5));
            writer.commit();
        }

        try (Hdf5Writer writer = Hdf5Writer.append(target, WriteOptions.DEFAULT);
             Arena arena = Arena.ofConfined()) {
            writer.dataset("later/sample9", dt).append(NdArray.allocate(dt, arena, 10));
            writer.commit();                 // target has its old datasets and /later/sample9
        }

        try (Hdf5File f = Hdf5File.open(target)) {
            assertTrue(f.datasets().stream().map(d -> d.name() + ":" + d.rows()).toList().toString()
                    .matches("\\[/?sample1:5, /?later/sample9:10]|\\[/?later/sample9:10, /?sample1:5]"), f.datasets().toString());
        }
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".ferry-tmp")));
        }
    }
}
