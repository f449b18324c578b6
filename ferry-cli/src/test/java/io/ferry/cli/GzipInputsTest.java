package io.ferry.cli;

import io.ferry.sample.MethylationTable;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Gzip inputs through `ferry convert`, run as users get it (a child JVM): a gzip file cut short in
/// its second member fails the run with the file and the byte offset, leaves no output and nothing
/// in `/dev/shm`, and counts as a failure under `--keep-going`, in both isolations. Cut in the
/// second member's header, it used to convert the first member's rows and exit 0. A gzip file named `.txt` converts whole with two
/// workers (it used to be cut into byte ranges, which the loader then refused).
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class GzipInputsTest {
    @TempDir
    static Path inputs;
    @TempDir
    Path dir;

    static Path good;
    /// Cut inside the second member's header: `GZIPInputStream` took that for the end of the file.
    static Path cutInHeader;
    /// Cut inside the second member's data: `GZIPInputStream` said "Unexpected end of ZLIB input
    /// stream", without where.
    static Path cutInData;
    static byte[] first;

    @BeforeAll
    static void makeInputs() throws IOException {
        good = inputs.resolve("good.txt");
        SampleInputs.write(good, 20_000, 3);
        Path a = inputs.resolve("a.txt.gz");
        Path b = inputs.resolve("b.txt.gz");
        MethylationTable.write(a, 20_000, 4, true);
        MethylationTable.write(b, 20_000, 5, true);
        first = Files.readAllBytes(a);
        byte[] second = Files.readAllBytes(b);
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        cutInHeader = Files.write(inputs.resolve("cut.txt.gz"), Arrays.copyOf(both, first.length + 6));
        cutInData = Files.write(inputs.resolve("cut2.txt.gz"), Arrays.copyOf(both, first.length + second.length / 2));
    }

    /// {@return what ferry says of `cut`}: the file, the member, where the file ends and where
    /// the member starts
    static String cutMessage(Path cut) throws IOException {
        long end = Files.size(cut);
        return cut + ": gzip stream ends inside member 2 (at byte " + end + " of " + end + "; the member starts at byte "
                + first.length + ")";
    }

    @ParameterizedTest(name = "--isolation {0}, cut in the {1}")
    @CsvSource({"thread, header", "process, header", "thread, data"})
    void aGzipFileCutShortFailsTheRun(String isolation, String where) throws Exception {
        Path cut = where.equals("header") ? cutInHeader : cutInData;
        try (FerryJvm ferry = FerryJvm.start(convert(isolation, good, cut))) {
            ferry.assertExitsWithin(Duration.ofSeconds(120));
            String said = ferry.output();
            assertEquals(1, ferry.exitCode(), said);
            assertEquals("ferry convert: " + cutMessage(cut), said.strip(), "one line naming the file and the offset");
            assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
    }

    @ParameterizedTest(name = "--isolation {0}")
    @ValueSource(strings = {"thread", "process"})
    void keepGoingCountsItAFailure(String isolation) throws Exception {
        List<String> args = new ArrayList<>(List.of(convert(isolation, good, cutInHeader)));
        args.add("--keep-going");
        try (FerryJvm ferry = FerryJvm.start(args.toArray(String[]::new))) {
            ferry.assertExitsWithin(Duration.ofSeconds(120));
            String said = ferry.output();
            assertEquals(2, ferry.exitCode(), said);
            Path out = dir.resolve("out.h5");
            assertEquals("ferry convert: 1 of 2 inputs failed and are not in " + out + ":\n  " + cutMessage(cutInHeader),
                    said.strip());
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
            String keys = PythonPeer.run("import sys, h5py; f = h5py.File(sys.argv[1]); print(sorted(f.keys()), len(f['good']))",
                    out.toString());
            assertEquals("['good'] 20000", keys.strip());
        }
    }

    /// A gzip file named `.txt`, large enough that two workers would cut a plain file of its size
    /// in two (stored deflate: the file is as large as its text). Judged by h5py against numpy's
    /// loadtxt of the plain text.
    @Test
    void aGzipFileNamedTxtConvertsWholeWithTwoWorkers() throws Exception {
        Path text = dir.resolve("plain.tsv");
        MethylationTable.write(text, 450_000, 6);
        assertTrue(Files.size(text) > 9 << 20, "well over 8 MiB, the smallest part: " + Files.size(text));
        Path gz = dir.resolve("g.txt");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz)) {
            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        }) {
            Files.copy(text, o);
        }
        Path out = dir.resolve("out.h5");
        try (FerryJvm ferry = FerryJvm.start("convert", gz.toString(), "-o", out.toString(), "--dtype", SampleInputs.DTYPE,
                "--workers", "2", "--memory", "64M", "-q")) {
            ferry.assertExitsWithin(Duration.ofSeconds(120));
            assertEquals(0, ferry.exitCode(), ferry.output());
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
        String same = PythonPeer.run("""
                import sys, h5py, numpy as np
                dt = np.dtype([('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])
                want = np.loadtxt(sys.argv[2], dtype=dt, delimiter='\\t', ndmin=1)
                with h5py.File(sys.argv[1], 'r') as f:
                    got = f['g'][:]
                print(len(got), got.dtype == dt and np.array_equal(got, want))
                """, out.toString(), text.toString());
        assertEquals("450000 True", same.strip());
    }

    private String[] convert(String isolation, Path... files) {
        List<String> a = new ArrayList<>(List.of("convert"));
        for (Path f : files) {
            a.add(f.toString());
        }
        a.addAll(List.of("-o", dir.resolve("out.h5").toString(), "--dtype", SampleInputs.DTYPE, "--isolation", isolation,
                "--workers", "2", "-q"));
        return a.toArray(String[]::new);
    }
}
