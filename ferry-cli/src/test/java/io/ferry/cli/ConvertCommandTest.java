package io.ferry.cli;

import io.ferry.sample.MethylationTable;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry convert` end to end, judged by h5py and numpy: every dataset equals `np.loadtxt` of its input.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class ConvertCommandTest {
    @TempDir
    static Path inputs;
    @TempDir
    Path dir;

    static List<Path> four;
    static Path big;

    @BeforeAll
    static void makeInputs() throws IOException {
        four = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Path f = inputs.resolve("data" + i + (i == 4 ? ".cov.gz" : ".txt"));
            MethylationTable.write(f, 20_000 + 5_000 * i, i, i == 4);
            four.add(f);
        }
        big = inputs.resolve("big.txt");
        MethylationTable.write(big, 400_000, 42); // ~10 MB: split among workers
    }

    /// h5py reads every dataset back with numpy's dtype, equal byte for byte to np.loadtxt of the input.
    static void assertMatchesNumpy(Path h5, List<Path> files) {
        List<String> args = new ArrayList<>(List.of(h5.toString()));
        files.forEach(f -> args.add(f.toString()));
        String out = PythonPeer.run("""
                import sys, h5py, numpy as np
                dt = np.dtype([('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])
                with h5py.File(sys.argv[1], 'r') as f:
                    print(sorted(f.keys()))
                    for p in sys.argv[2:]:
                        name = p.split('/')[-1]
                        name = name[:-3] if name.endswith('.gz') else name
                        name = name.rsplit('.', 1)[0]
                        d = f[name]
                        a = np.loadtxt(p, dtype=dt, ndmin=1)
                        assert d.dtype == dt, (name, d.dtype)
                        assert d.shape == a.shape, (name, d.shape, a.shape)
                        # a chunk not much larger than the dataset (its rows are estimated; unknown for gzip)
                        assert p.endswith('.gz') or d.chunks[0] <= len(a) * 3 // 2 + 2, (name, d.chunks, len(a))
                        assert d[...].tobytes() == a.tobytes(), name
                        assert d.attrs['rows'] == len(a), name
                        print(name, len(a), d.compression, d.shuffle)
                """, args.toArray(String[]::new));
        for (Path f : files) {
            assertTrue(out.contains(io.ferry.pipeline.DatasetNames.of(f) + " "), out);
        }
    }

    static String datasetBytesHash(Path h5) {
        return PythonPeer.run("""
                import sys, h5py, hashlib
                with h5py.File(sys.argv[1], 'r') as f:
                    for k in sorted(f.keys()):
                        print(k, hashlib.sha256(f[k][...].tobytes()).hexdigest())
                """, h5.toString());
    }

    @Test
    void threadsAndProcessesWriteIdenticalDatasetsEqualToNumpy() {
        List<Path> all = Stream.concat(four.stream(), Stream.of(big)).toList();
        Path threads = dir.resolve("threads.h5");
        Path processes = dir.resolve("processes.h5");
        List<String> common = new ArrayList<>(all.stream().map(Path::toString).toList());
        common.addAll(List.of("--dtype", SAMPLE_DTYPE, "--memory", "4M", "--chunk-rows", "10000", "-q"));

        List<String> a = new ArrayList<>(common);
        a.addAll(List.of("-o", threads.toString(), "--isolation", "thread", "--workers", "3"));
        var r = ferry(Stream.concat(Stream.of("convert"), a.stream()).toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());

        List<String> b = new ArrayList<>(common);
        b.addAll(List.of("-o", processes.toString(), "--isolation", "process", "--workers", "2"));
        r = ferry(Stream.concat(Stream.of("convert"), b.stream()).toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());

        assertMatchesNumpy(threads, all);
        assertEquals(datasetBytesHash(threads), datasetBytesHash(processes));
    }

    @Test
    void aBigFileAloneIsSplitAmongWorkersAndKeepsItsOrder() {
        Path out = dir.resolve("big.h5");
        var r = ferry("convert", big.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE, "--workers", "4",
                "--compression", "gzip:1", "--shuffle");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1 dataset, 400,000 rows"), r.out());
        assertMatchesNumpy(out, List.of(big));
    }

    @Test
    void gzipFastWritesTheDeflateFilterThatH5pyReads() {
        Path out = dir.resolve("fast.h5");
        var r = ferry("convert", big.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE, "--workers", "2",
                "--compression", "gzip:fast", "--shuffle");
        assertEquals(0, r.exit(), r.err());
        assertMatchesNumpy(out, List.of(big));
        String filter = PythonPeer.run("""
                import sys, h5py
                with h5py.File(sys.argv[1], 'r') as f:
                    d = f['big']
                    print(d.compression, d.compression_opts, d.shuffle)
                """, out.toString());
        assertEquals("gzip 1 True", filter.strip());
    }

    @Test
    void aBadLineInTheThirdOfFourFilesFailsTheRunAndLeavesNothing() throws IOException {
        List<Path> files = copies();
        List<String> lines = new ArrayList<>(Files.readAllLines(files.get(2)));
        lines.set(1233, lines.get(1233).replaceFirst("\t[0-9]+\t", "\t12x4\t"));
        Files.write(files.get(2), lines);
        Path out = dir.resolve("out.h5");
        var r = ferry(args(files, out).toArray(String[]::new));
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(files.get(2) + ":1234:"), r.err());
        assertTrue(r.err().contains("12x4"), r.err());
        assertFalse(Files.exists(out));
        assertEquals(List.of(), leftovers(), "nothing beside the output");
    }

    @Test
    void keepGoingWritesTheOtherThreeAndExits2() throws IOException {
        List<Path> files = copies();
        Files.writeString(files.get(2), "chr1\t5\t1.0\t1\n", java.nio.file.StandardOpenOption.APPEND);
        Path out = dir.resolve("out.h5");
        List<String> a = args(files, out);
        a.add("--keep-going");
        var r = ferry(a.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("1 of 4 inputs failed"), r.err());
        assertTrue(r.err().contains(files.get(2).toString()), r.err());
        List<Path> good = List.of(files.get(0), files.get(1), files.get(3));
        assertMatchesNumpy(out, good);
        String keys = PythonPeer.run("import sys, h5py; print(sorted(h5py.File(sys.argv[1]).keys()))", out.toString());
        assertEquals("['data1', 'data2', 'data4']", keys.strip());
    }

    /// An input missing, or one Ferry does not read, is a failure `--keep-going` lists and goes on
    /// past, as one that fails while read is: the run stopped at once, exit 1, nothing written.
    /// Without it, the run still stops before any work.
    @Test
    void keepGoingGoesOnPastAMissingOrUnreadableInput() throws IOException {
        List<Path> good = copies();
        List<Path> files = new ArrayList<>(good);
        Path missing = dir.resolve("nope.txt");
        Path bzip2 = Files.writeString(dir.resolve("b.txt"), "BZh91AY&SY not text\n");
        files.add(1, missing);
        files.add(bzip2);
        Path out = dir.resolve("out.h5");
        List<String> a = args(files, out);
        var stopped = ferry(a.toArray(String[]::new));
        assertEquals(1, stopped.exit(), stopped.err());
        assertEquals("ferry convert: " + missing + ": no such file\n", stopped.err());
        assertFalse(Files.exists(out));
        a.add("--keep-going");
        var r = ferry(a.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("2 of 6 inputs failed"), r.err());
        assertTrue(r.err().contains("\n  " + missing + ": no such file\n"), r.err());
        assertTrue(r.err().contains("\n  " + bzip2 + ": is bzip2-compressed"), r.err());
        assertMatchesNumpy(out, good);
    }

    /// `--header`, `--dtype infer` and a grid read the start of every input before the run: an
    /// input whose header differs from the first's, or that is missing, stopped the whole run
    /// there (exit 1, nothing written), `--keep-going` or not. Keeping going, each is listed and
    /// left out, and the rest are what np.genfromtxt / np.loadtxt read; the first input that can
    /// be read, and has a header line, is the header the others must have.
    @Test
    void keepGoingGoesOnPastAnInputReadAheadThatFails() throws IOException {
        Path missing = dir.resolve("gone.txt");
        Path ab1 = Files.writeString(dir.resolve("ab1.txt"), "a\tb\n1\t2\n3\t4\n");
        Path ac = Files.writeString(dir.resolve("ac.txt"), "a\tc\n5\t6\n");
        Path ab2 = Files.writeString(dir.resolve("ab2.txt"), "a\tb\n7\t8\n");
        Path out = dir.resolve("h.h5");
        List<String> header = List.of("convert", missing.toString(), ab1.toString(), ac.toString(), ab2.toString(), "-o",
                out.toString(), "--header", "--dtype", "a:i4,b:f8", "-q");
        var stopped = ferry(header.toArray(String[]::new));
        assertEquals(1, stopped.exit(), stopped.err());
        assertFalse(Files.exists(out));
        List<String> going = new ArrayList<>(header);
        going.add("--keep-going");
        var r = ferry(going.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("2 of 4 inputs failed"), r.err());
        assertTrue(r.err().contains("\n  " + missing + ": no such file\n"), r.err());
        assertTrue(r.err().contains("\n  " + ac + ":1: its header differs from " + ab1 + "'s at column 2: 'c' here, 'b' there"),
                r.err());
        String read = PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as f:
                    print(sorted(f.keys()))
                    for name, path in (('ab1', sys.argv[2]), ('ab2', sys.argv[3])):
                        want = np.genfromtxt(path, names=True, dtype=[('a', '<i4'), ('b', '<f8')], delimiter='\\t')
                        print(name, f[name].dtype == want.dtype and (f[name][()] == want).all())
                """, out.toString(), ab1.toString(), ab2.toString());
        assertEquals("['ab1', 'ab2']\nab1 True\nab2 True", read.strip());

        // an empty input first: it has no header for the others to agree with, and ended the run
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        var afterEmpty = ferry("convert", empty.toString(), ab1.toString(), ac.toString(), "-o", out.toString(), "--header",
                "--dtype", "a:i4,b:f8", "--keep-going", "--force", "-q");
        assertEquals(2, afterEmpty.exit(), afterEmpty.err());
        assertTrue(afterEmpty.err().contains("\n  " + empty + ": no header line: the file is empty\n"), afterEmpty.err());
        assertTrue(afterEmpty.err().contains("\n  " + ac + ":1: its header differs from " + ab1 + "'s"), afterEmpty.err());
        assertEquals("['ab1']", PythonPeer.run("import sys, h5py; print(sorted(h5py.File(sys.argv[1]).keys()))",
                out.toString()).strip());

        // --dtype infer samples the inputs that can be read; a grid counts their columns
        Files.delete(out);
        for (String dtype : List.of("infer", "f8")) {
            var inferred = ferry("convert", ab1.toString(), missing.toString(), ab2.toString(), "-o", out.toString(),
                    "--skiprows", "1", "--dtype", dtype, "--keep-going", "--force", "-q");
            assertEquals(2, inferred.exit(), dtype + ": " + inferred.err());
            assertTrue(inferred.err().contains("1 of 3 inputs failed"), dtype + ": " + inferred.err());
            assertEquals("['ab1', 'ab2']", PythonPeer.run("import sys, h5py; print(sorted(h5py.File(sys.argv[1]).keys()))",
                    out.toString()).strip(), dtype);
        }
    }

    /// A missing input's `--json` error names it (`missing`), so a program tells it from other
    /// failures without reading the words: Python's package raises a FileNotFoundError for it.
    @Test
    void aMissingInputsJsonErrorNamesIt() throws Exception {
        Path missing = dir.resolve("nope.txt");
        try (FerryJvm ferry = FerryJvm.start("convert", missing.toString(), "-o", dir.resolve("o.h5").toString(),
                "--dtype", SAMPLE_DTYPE, "--json")) {
            ferry.assertExitsWithin(java.time.Duration.ofSeconds(60));
            assertEquals(1, ferry.exitCode(), ferry.output());
            String line = ferry.output().lines().filter(l -> l.startsWith("{\"error\"")).findFirst().orElseThrow();
            var error = io.ferry.json.Json.asObject(io.ferry.json.Json.asObject(io.ferry.json.Json.parse(line), "line")
                    .get("error"), "error");
            assertEquals("failed", error.get("kind"));
            assertEquals(missing.toString(), error.get("missing"));
            assertEquals(missing + ": no such file", error.get("message"));
        }
    }

    /// The groups a failed input's dataset name made go with it: `--keep-going` left an empty
    /// `/g/data3` for `--name g/{stem}/data`, and an empty `/new/data3` in a file it appended to.
    /// Groups the file had, empty ones too, and those other datasets went into, stay.
    @Test
    void keepGoingLeavesNoGroupForAFailedInput() throws IOException {
        List<Path> files = copies();
        Files.writeString(files.get(2), "chr1\t5\t1.0\t1\n", java.nio.file.StandardOpenOption.APPEND);
        Path out = dir.resolve("out.h5");
        List<String> a = args(files, out);
        a.addAll(List.of("--keep-going", "--name", "g/{stem}/data"));
        var r = ferry(a.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        String visit = "import sys, h5py; names = []; h5py.File(sys.argv[1]).visit(names.append); print(names)";
        assertEquals("['g', 'g/data1', 'g/data1/data', 'g/data2', 'g/data2/data', 'g/data4', 'g/data4/data']",
                PythonPeer.run(visit, out.toString()).strip());

        Path kept = dir.resolve("kept.h5");
        PythonPeer.run("import sys, h5py; f = h5py.File(sys.argv[1], 'w'); f.create_group('keep/empty'); f['x'] = [1]",
                kept.toString());
        a = args(files, kept);
        a.addAll(List.of("--keep-going", "--append", "--group", "new", "--name", "{stem}/x"));
        r = ferry(a.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        assertEquals("['keep', 'keep/empty', 'new', 'new/data1', 'new/data1/x', 'new/data2', 'new/data2/x', 'new/data4',"
                + " 'new/data4/x', 'x']", PythonPeer.run(visit, kept.toString()).strip());
    }

    /// Every input failing, keeping going: an empty file was written (and an appended one
    /// rewritten), exit 2. Now nothing is written, exit 1, each failure listed.
    @Test
    void keepGoingWithEveryInputFailingWritesNothing() throws IOException {
        List<Path> files = copies().subList(0, 2);
        for (Path f : files) {
            Files.writeString(f, "chr1\t5\t1.0\t1\n", java.nio.file.StandardOpenOption.APPEND);
        }
        Path out = dir.resolve("out.h5");
        List<String> a = args(files, out);
        a.add("--keep-going");
        var r = ferry(a.toArray(String[]::new));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().startsWith("ferry convert: every input failed; nothing was written to " + out + ":\n  "), r.err());
        // listed in input order (Map.copyOf's order, none, listed them differently run to run)
        int first = r.err().indexOf(files.get(0).toString()), second = r.err().indexOf(files.get(1).toString());
        assertTrue(first > 0 && second > first, r.err());
        assertFalse(Files.exists(out));
        // appending: the file stays as it was, byte for byte
        Path kept = SampleInputs.smallHdf5(dir.resolve("kept.h5"));
        byte[] before = Files.readAllBytes(kept);
        a = args(files, kept);
        a.addAll(List.of("--keep-going", "--append", "--group", "new"));
        r = ferry(a.toArray(String[]::new));
        assertEquals(1, r.exit(), r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(kept)), "the file was rewritten");
        assertEquals(List.of("kept.h5"), leftovers(), "nothing beside the output");
    }

    @Test
    void badCallsFailBeforeAnyWork() throws IOException {
        Path out = dir.resolve("out.h5");
        var missing = ferry("convert", dir.resolve("nope.txt").toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE);
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("nope.txt: no such file"), missing.err());

        var directory = ferry("convert", dir.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE);
        assertTrue(directory.err().contains("the folder holds no files to read"), directory.err()); // a folder is its files

        var noDir = ferry("convert", big.toString(), "-o", dir.resolve("no/such/dir/out.h5").toString(), "--dtype", SAMPLE_DTYPE);
        assertTrue(noDir.err().contains("does not exist"), noDir.err());

        Path twin = Files.createDirectories(dir.resolve("other")).resolve("big.csv");
        Files.copy(big, twin);
        var twins = ferry("convert", big.toString(), twin.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE);
        assertTrue(twins.err().contains("would both become dataset /big"), twins.err());

        Files.writeString(out, "precious");
        var exists = ferry("convert", big.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE);
        assertEquals(1, exists.exit());
        assertTrue(exists.err().contains("exists already; add --force"), exists.err());
        assertEquals("precious", Files.readString(out));
        var forced = ferry("convert", four.get(0).toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE, "--force", "-q");
        assertEquals(0, forced.exit(), forced.err());
        assertMatchesNumpy(out, List.of(four.get(0)));

        assertEquals(64, ferry("convert", big.toString(), "--dtype", SAMPLE_DTYPE).exit(), "no -o is a usage error");
        var badCompression = ferry("convert", big.toString(), "-o", dir.resolve("x.h5").toString(), "--dtype", SAMPLE_DTYPE,
                "--compression", "zstd");
        assertTrue(badCompression.err().contains("--compression is none, gzip, gzip:LEVEL (1-9) or gzip:fast"), badCompression.err());
    }

    /// `kill -9` of a worker JVM mid-file: the run exits non-zero naming the file, leaves no output
    /// and nothing in /dev/shm (the slot pool's name went as soon as every worker had mapped it).
    @Test
    void aKilledWorkerFailsTheRunNamingTheFile() throws Exception {
        Path huge = dir.resolve("huge.txt");
        MethylationTable.write(huge, 3_000_000, 7);
        Path out = dir.resolve("out.h5");
        try (FerryJvm ferry = FerryJvm.start("convert", huge.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE,
                "--isolation", "process", "--workers", "1", "--compression", "gzip:9", "--memory", "2M")) {
            ProcessHandle worker = ferry.awaitWorkers(1).getFirst();
            awaitReading(worker, 4 << 20); // mid-file: a fixed sleep killed it before it began on a loaded machine
            worker.destroyForcibly();
            ferry.assertExitsWithin(java.time.Duration.ofSeconds(60));
            String output = ferry.output();
            assertEquals(1, ferry.exitCode(), output);
            assertTrue(output.contains("was killed by signal 9 (SIGKILL) while parsing " + huge), output);
            assertFalse(Files.exists(out));
            assertEquals(List.of(), leftovers());
            assertEquals(java.util.Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
    }

    private List<Path> copies() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path f : four) {
            files.add(Files.copy(f, dir.resolve(f.getFileName())));
        }
        return files;
    }

    /// Waits until `process` has read `bytes` (`rchar` in `/proc/PID/io`): it is then parsing, whatever
    /// the machine's load did to its start.
    private static void awaitReading(ProcessHandle process, long bytes) throws Exception {
        Path io = Path.of("/proc", Long.toString(process.pid()), "io");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            long read = Files.readAllLines(io).stream().filter(l -> l.startsWith("rchar:"))
                    .mapToLong(l -> Long.parseLong(l.substring(6).trim())).findFirst().orElse(0);
            if (read >= bytes) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("worker " + process.pid() + " had not read " + bytes + " bytes within 60 s");
    }

    private static List<String> args(List<Path> files, Path out) {
        List<String> a = new ArrayList<>(List.of("convert"));
        files.forEach(f -> a.add(f.toString()));
        a.addAll(List.of("-o", out.toString(), "--dtype", SAMPLE_DTYPE, "--workers", "2", "--memory", "8M", "-q"));
        return a;
    }

    /// Files beside the output that are not inputs: a temporary output left behind would show here.
    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".h5") || n.contains("tmp")).toList();
        }
    }
}
