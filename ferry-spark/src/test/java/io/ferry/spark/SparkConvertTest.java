package io.ferry.spark;

import io.ferry.FerryException;
import io.ferry.hdf5.Compression;
import io.ferry.sample.MethylationTable;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The Spark job for real, in local mode with two cores and up to two attempts per task.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class SparkConvertTest {
    private static final String DTYPE = "chr:S10,pos:i4,pct:f4,c:i4,t:i4";
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("ferry-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stopSpark() {
        sc.close();
    }

    private List<Path> inputs() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(dir.resolve("data1.txt"));
        MethylationTable.write(files.get(0), 60_000, 1, false);    // ~1.5 MB: cut into parts
        files.add(dir.resolve("data2.cov.gz"));
        MethylationTable.write(files.get(1), 7_000, 2, true);      // gzip: one part
        files.add(dir.resolve("data3.txt"));
        MethylationTable.write(files.get(2), 10, 3, false);
        return files;
    }

    /// h5py reads each input's virtual dataset equal to np.loadtxt of the input.
    static void assertMatchesNumpy(Path h5, List<Path> files) {
        List<String> args = new ArrayList<>(List.of(h5.toString()));
        files.forEach(f -> args.add(f.toString()));
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as f:
                    for p in sys.argv[2:]:
                        name = p.split('/')[-1].split('.')[0]
                        d = f[name]
                        a = np.loadtxt(p, dtype=d.dtype, ndmin=1)
                        assert d.is_virtual, name
                        assert d.shape == a.shape, (name, d.shape, a.shape)
                        assert d[...].tobytes() == a.tobytes(), name
                        print(name, len(a))
                """, args.toArray(String[]::new));
        assertEquals(files.size(), said.strip().lines().count(), said);
    }

    private Path onlyPartsDir(Path out) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> dirs = s.filter(p -> p.getFileName().toString().startsWith(out.getFileName() + ".parts-")).toList();
            assertEquals(1, dirs.size(), dirs.toString());
            return dirs.get(0);
        }
    }

    @Test
    void partsOnExecutorsStitchedIntoOneDatasetPerInput() throws IOException {
        List<Path> files = inputs();
        Path out = dir.resolve("out.h5");
        Map<String, Long> rows = SparkConvert.files(sc, files).dtype(DTYPE).partBytes(300_000)
                .compression(Compression.gzip(1)).shuffle(true).to(out);
        assertEquals(Map.of("data1", 60_000L, "data2", 7_000L, "data3", 10L), rows);
        assertMatchesNumpy(out, files);
        try (Stream<Path> s = Files.list(onlyPartsDir(out))) {
            assertTrue(s.count() >= 7, "data1 cut into parts, plus data2 and data3");
        }
    }

    /// Spark retries a failed attempt; only the attempt it keeps is mapped, and nothing of the
    /// failed one stays in the parts folder.
    @Test
    void aRetriedPartIsMappedOnceAndTheFailedAttemptLeavesNothing() throws IOException {
        List<Path> files = inputs();
        Path out = dir.resolve("retried.h5");
        SparkConvert.files(sc, files).dtype(DTYPE).partBytes(300_000).failFirstAttempts(Set.of("0:1", "2:0")).to(out);
        assertMatchesNumpy(out, files);
        try (Stream<Path> s = Files.list(onlyPartsDir(out))) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(names.size(), names.stream().map(n -> n.replaceFirst("-attempt\\d+", "")).distinct().count(),
                    "one file per part: " + names);
            assertTrue(names.stream().noneMatch(n -> n.contains("ferry-tmp")), names.toString());
        }
    }

    @Test
    void aBadLineFailsTheJobNamingFileAndLineAndLeavesNothing() throws IOException {
        List<Path> files = inputs();
        List<String> lines = new ArrayList<>(Files.readAllLines(files.get(0)));
        lines.set(41_999, lines.get(41_999).replaceFirst("\t[0-9]+\t", "\t12x4\t"));
        Files.write(files.get(0), lines);
        Path out = dir.resolve("bad.h5");
        FerryException e = assertThrows(FerryException.class,
                () -> SparkConvert.files(sc, files).dtype(DTYPE).partBytes(300_000).to(out));
        assertTrue(e.getMessage().contains("data1.txt:42000:"), e.getMessage());
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains("bad.h5")).toList());
        }
    }

    @Test
    void anExistingOutputIsRefused() throws IOException {
        Path out = Files.writeString(dir.resolve("exists.h5"), "keep");
        assertThrows(FerryException.class, () -> SparkConvert.files(sc, inputs()).dtype(DTYPE).to(out));
        assertEquals("keep", Files.readString(out));
    }
}
