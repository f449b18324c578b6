package io.ferry.cli;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@org.junit.jupiter.api.Tag("process")
class InspectCommandTest {
    @TempDir
    Path dir;

    @Test
    void showsDatasetsAttributesAndFirstRows() {
        Path h5 = dir.resolve("out.h5");
        DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
        try (Arena arena = Arena.ofConfined();
             Hdf5Writer writer = Hdf5Writer.create(h5, WriteOptions.builder().compression(Compression.gzip(4)).shuffle(true).chunkRows(100).build())) {
            NdArray a = NdArray.allocate(dt, arena, 250);
            for (long i = 0; i < 250; i++) {
                a.column("chr").setBytes(i, "chr1".getBytes(StandardCharsets.US_ASCII));
                a.column("pos").setLong(i, 1000 + 10 * i);
                a.column("c").setLong(i, i % 7);
            }
            writer.dataset("sample1", "in/sample1.tsv", dt).append(a);
            writer.commit();
        }
        ShmCommandsTest.Run r = ferry("inspect", "--head", "2", h5.toString());
        assertEquals(0, r.exit(), r.err());
        String o = r.out();
        assertTrue(o.contains("dataset sample1"), o);
        assertTrue(o.contains("dtype        [('chr', '|S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]"), o);
        assertTrue(o.contains("rows         250"), o);
        assertTrue(o.contains("shape        (250,)  max (unlimited,)"), o);
        assertTrue(o.contains("chunks       (100,)"), o);
        assertTrue(o.contains("filters      shuffle, gzip(4)"), o);
        assertTrue(o.contains("source         in/sample1.tsv"), o);
        assertTrue(o.contains("rows           250"), o);
        assertTrue(o.contains("first 2 of 250 rows:"), o);
        assertTrue(o.contains("(b'chr1', 1010, 0.0, 1, 0)"), o);
        assertTrue(o.contains("created"), o);
        // One version: what ferry --version says is what the file records.
        String version = ferry("--version").out().lines().findFirst().orElseThrow();
        assertTrue(version.matches("ferry \\d+\\.\\d+\\.\\d+.*"), version);
        assertTrue(o.contains("ferry_version  " + version.substring("ferry ".length())), o);
    }

    @Test
    void missingOrNonHdf5FileIsAClearErrorWithExitCode1() throws IOException {
        ShmCommandsTest.Run missing = ferry("inspect", dir.resolve("nope.h5").toString());
        assertEquals(1, missing.exit());
        assertEquals("ferry inspect: " + dir.resolve("nope.h5") + ": no such file\n", missing.err());
        Path text = Files.writeString(dir.resolve("x.h5"), "not hdf5\n");
        ShmCommandsTest.Run notHdf5 = ferry("inspect", text.toString());
        assertEquals(1, notHdf5.exit());
        assertTrue(notHdf5.err().startsWith("ferry inspect: " + text + ": not an HDF5 file, or damaged: "), notHdf5.err());
        assertEquals(1, notHdf5.err().lines().count(), notHdf5.err());
        assertEquals(64, ferry("inspect").exit());
    }
}
