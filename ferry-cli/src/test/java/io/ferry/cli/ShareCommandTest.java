package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.ferry.testing.Checkout.EXAMPLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry share` as a user runs it: the handle on stdout, numpy reading the segment, `done` on stdin.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class ShareCommandTest {
    @TempDir
    Path dir;

    /// numpy attaches the handle as the README shows and reads what `np.loadtxt` reads; after
    /// `done`, ferry exits 0 and the segment is gone.
    private void sharedAsNumpyReadsIt(Path file, String dtype, String numpyDtype) throws Exception {
        sharedAsNumpyReadsIt("", file, dtype, numpyDtype);
    }

    /// As [#sharedAsNumpyReadsIt(Path, String, String)], `ferry share` run by `bash -c` after
    /// `shellPrefix` (a `ulimit`) when there is one.
    private void sharedAsNumpyReadsIt(String shellPrefix, Path file, String dtype, String numpyDtype) throws Exception {
        List<String> cmd = new ArrayList<>(FerryJvm.javaCommand());
        cmd.addAll(List.of("share", file.toString(), "--dtype", dtype));
        if (!shellPrefix.isEmpty()) {
            StringBuilder b = new StringBuilder(shellPrefix).append("; exec");
            for (String a : cmd) {
                b.append(" '").append(a.replace("'", "'\\''")).append('\'');
            }
            cmd = List.of("bash", "-c", b.toString());
        }
        Process ferry = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(ferry.getInputStream(), StandardCharsets.UTF_8));
             Writer in = ferry.outputWriter()) {
            String handle = out.readLine();
            assertTrue(handle != null && handle.startsWith("{\"name\": \"fy"), String.valueOf(handle));
            String name = handle.substring(10, handle.indexOf('"', 10));
            String said = PythonPeer.run("""
                    import sys, json, numpy as np
                    from multiprocessing.shared_memory import SharedMemory
                    from multiprocessing import resource_tracker
                    h = json.loads(sys.argv[1])
                    shm = SharedMemory(name=h["name"])
                    resource_tracker.unregister(shm._name, "shared_memory")
                    dt = [tuple(f) for f in h["dtype"]] if isinstance(h["dtype"], list) else np.dtype(h["dtype"])
                    a = np.ndarray(tuple(h["shape"]), dtype=dt, buffer=shm.buf)
                    b = np.loadtxt(sys.argv[2], dtype=eval(sys.argv[3]), ndmin=1)
                    assert a.shape == b.shape, (a.shape, b.shape)
                    assert a.tobytes() == b.tobytes()
                    print(a.shape)
                    del a
                    shm.close()
                    """, handle, file.toString(), numpyDtype);
            assertFalse(said.isBlank());
            assertTrue(Files.exists(Path.of("/dev/shm", name)), "kept until done");
            in.write("done\n");
            in.flush();
            assertTrue(ferry.waitFor(30, TimeUnit.SECONDS), "ferry share ends after done");
            assertEquals(0, ferry.exitValue());
            assertFalse(Files.exists(Path.of("/dev/shm", name)), "unlinked after done");
        } finally {
            ferry.destroyForcibly();
        }
    }

    /// Each shared array keeps its segment open until it is taken: more inputs than the process may
    /// open failed wherever the next file was opened, in words that did not say why (a JDK file
    /// "not found", or a 59-line stack trace). They are refused before any work, with the limit.
    @Test
    void moreInputsThanOpenFilesAreRefusedWithTheLimit() throws Exception {
        List<String> args = new ArrayList<>(List.of("share", "--dtype", "f8", "--timeout", "1"));
        for (int i = 0; i < 150; i++) {
            args.add(Files.writeString(dir.resolve("m" + i + ".txt"), i + "\n").toString());
        }
        try (FerryJvm ferry = FerryJvm.startInShell("ulimit -n 128", args.toArray(String[]::new))) {
            ferry.assertExitsWithin(java.time.Duration.ofSeconds(60));
            assertEquals(1, ferry.exitCode(), ferry.output());
            assertTrue(ferry.output().startsWith("ferry share: 150 inputs: each shared array keeps a file open until it"
                    + " is taken, and this process may open 128 files (ulimit -n; "), ferry.output());
            assertEquals(1, ferry.output().strip().lines().count(), ferry.output());
            assertEquals(java.util.Set.of(), ferry.shmLeftovers());
        }
        // with room for none, it said "share at most 1 at once" to the one input it refused
        assertEquals("1 input: each shared array keeps a file open until it is taken, and this process may open 18 files"
                + " (ulimit -n; 9 are open already, and a load needs about 12 more): raise the limit to 22 or more",
                ShareCommand.tooManyToKeepOpen(1, 18, 9));
        assertEquals(null, ShareCommand.tooManyToKeepOpen(1, 22, 9));
    }

    @Test
    void aPlainFileWithCommentsAndBlankLines() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(EXAMPLES.resolve("sample1.txt")));
        lines.add(0, "# a comment line");
        lines.add(100, "");
        lines.add("chr1\t1\t2.5\t3\t4  # a trailing comment");
        Path file = Files.write(dir.resolve("t.txt"), lines);
        sharedAsNumpyReadsIt(file, "chr:S10,pos:i4,pct:f4,c:i4,t:i4",
                "[('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]");
    }

    /// Under `ulimit -f` the segment, a file in `/dev/shm`, was made as long as the file's bytes
    /// could hold rows (12 times the array here) and refused ("File too large") far below the
    /// limit: the lines are counted instead, and an array that fits is shared. (See
    /// [FullDiskTest] for one that does not.)
    @Test
    void aFileSizeLimitAboveTheArray() throws Exception {
        Path file = dir.resolve("in.txt");
        SampleInputs.write(file, 100_000, 3);
        long arrayBytes = io.ferry.text.TextLoader.lines(file) * io.ferry.dtype.DType.parse(SampleInputs.DTYPE).itemSize();
        sharedAsNumpyReadsIt("ulimit -f " + arrayBytes * 3 / 2 / 1024, file, SampleInputs.DTYPE,
                "[('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]");
    }

    /// A procfs file says its size is 0 but has lines: shared as numpy reads it, read from its
    /// start as a gzip file is, where it failed as a file that "changed while it was read".
    @Test
    void aProcFileOfSizeZero() throws Exception {
        sharedAsNumpyReadsIt(Path.of("/proc/sys/kernel/printk"), "i8", "'<i8'");
        sharedAsNumpyReadsIt(Files.writeString(dir.resolve("empty.txt"), ""), "f8", "'<f8'");
    }

    @Test
    void aGzipFile() throws Exception {
        sharedAsNumpyReadsIt(EXAMPLES.resolve("sample4.txt.gz"), "chr:S10,pos:i4,pct:f4,c:i4,t:i4",
                "[('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]");
    }

    @Test
    void aPlainDtypeGivesRowsByColumns() throws Exception {
        Path file = Files.writeString(dir.resolve("m.txt"), "1 2 3\n4 5 6\n\n7 8 9");
        sharedAsNumpyReadsIt(file, "f8", "'<f8'");
    }

    @Test
    void oneRowOfAPlainDtypeHasNumpysShape() throws Exception {
        sharedAsNumpyReadsIt(Files.writeString(dir.resolve("one.txt"), "1 2 3\n"), "f8", "'<f8'");
        sharedAsNumpyReadsIt(Files.writeString(dir.resolve("none.txt"), "# 1 2 3\n"), "f8", "'<f8'");
    }

    /// A lone `\r` ends a line: the array is sized by lines counted as the loader counts them (a
    /// count of `\n` alone made room for one row and dropped the others).
    @Test
    void linesEndedByCarriageReturns() throws Exception {
        sharedAsNumpyReadsIt(Files.writeString(dir.resolve("cr.txt"), "1 2\r3 4\r5 6\r"), "f8", "'<f8'");
    }

    @Test
    void linesCountsALastLineWithoutNewline() throws IOException {
        assertEquals(3, io.ferry.text.TextLoader.lines(Files.writeString(dir.resolve("a"), "1\n2\n3")));
        assertEquals(3, io.ferry.text.TextLoader.lines(Files.writeString(dir.resolve("b"), "1\n2\n3\n")));
        assertEquals(0, io.ferry.text.TextLoader.lines(Files.writeString(dir.resolve("c"), "")));
    }

    private static Process share(ProcessBuilder.Redirect stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(FerryJvm.javaCommand());
        cmd.add("share");
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectInput(stdin).start();
    }

    private static String nameIn(String handle) {
        return (String) io.ferry.json.Json.asObject(io.ferry.json.Json.parse(handle), "handle").get("name");
    }

    /// From a script, standard input is often /dev/null: its end used to remove the segment before
    /// any consumer could map it. Now the segment waits; the consumer taking it over (removing the
    /// name, as SharedMemory.unlink() does) ends the wait with exit 0.
    @Test
    void theEndOfStdinKeepsTheSegmentUntilTheConsumerRemovesTheName() throws Exception {
        Process p = share(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")),
                EXAMPLES.resolve("sample1.txt").toString(), "--dtype", "chr:S10,pos:i4,pct:f4,c:i4,t:i4");
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            String name = nameIn(out.readLine());
            Thread.sleep(500);
            assertTrue(Files.exists(Path.of("/dev/shm", name)), "still there after the end of stdin");
            assertTrue(p.isAlive());
            Files.delete(Path.of("/dev/shm", name));      // the consumer takes it over
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ferry share ends once the name is gone");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /// A table on standard input is the table only: the reader of the consumer's words used to
    /// read it too, taking whole buffers of its lines (the array came short, exit 0), or cutting
    /// a line (an error about a line that is fine). Lines of 16 bytes fill those buffers exactly.
    @Test
    void aTableOnStandardInputKeepsEveryRow() throws Exception {
        Path table = dir.resolve("n16.txt");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 200_000; i++) {
            text.append(String.format("%015d%n", i));
        }
        Files.writeString(table, text);
        Process p = share(ProcessBuilder.Redirect.from(table.toFile()), "-", "--dtype", "i8", "--timeout", "60");
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            String handle = out.readLine();
            String said = PythonPeer.run("""
                    import sys, json, numpy as np
                    from multiprocessing.shared_memory import SharedMemory
                    from multiprocessing import resource_tracker
                    h = json.loads(sys.argv[1])
                    shm = SharedMemory(name=h["name"])
                    resource_tracker.unregister(shm._name, "shared_memory")
                    shm.unlink()   # taken over: ferry share ends
                    a = np.ndarray(tuple(h["shape"]), dtype=np.dtype(h["dtype"]), buffer=shm.buf)
                    b = np.loadtxt(sys.argv[2], dtype="i8")
                    print(a.shape == b.shape and a.tobytes() == b.tobytes(), a.shape)
                    del a
                    shm.close()
                    """, handle, table.toString());
            assertEquals("True (200000,)", said.strip());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ferry share ends once the name is gone");
            assertEquals(0, p.exitValue());
            assertEquals("", new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aTimeoutRemovesWhatNobodyTook() throws Exception {
        Process p = share(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")),
                EXAMPLES.resolve("sample2.txt").toString(), "--dtype", "chr:S10,pos:i4,pct:f4,c:i4,t:i4", "--timeout", "0.5");
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            String name = nameIn(out.readLine());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue());
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("ferry share: no consumer took " + name + " within 0.5 s (--timeout); removed", err.strip());
            assertFalse(Files.exists(Path.of("/dev/shm", name)));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /// `--json`, as the Python package drives it: one line per array with its file and dataset, in
    /// input order; `done` removes the names; a parse error comes as an error line with its place.
    @Test
    void jsonLinesForAProgramDrivingIt() throws Exception {
        Process p = share(ProcessBuilder.Redirect.PIPE, EXAMPLES.resolve("sample4.txt.gz").toString(),
                EXAMPLES.resolve("sample1.txt").toString(), "--dtype", "chr:S10,pos:i4,pct:f4,c:i4,t:i4", "--json");
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8); Writer in = p.outputWriter()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                var line = io.ferry.json.Json.asObject(io.ferry.json.Json.parse(out.readLine()), "line");
                var array = io.ferry.json.Json.asObject(line.get("array"), "array");
                assertEquals((long) i, array.get("index"));
                assertEquals(i == 0 ? "sample4" : "sample1", array.get("dataset"));
                names.add((String) io.ferry.json.Json.asObject(array.get("handle"), "handle").get("name"));
            }
            in.write("done\n");
            in.flush();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            for (String n : names) {
                assertFalse(Files.exists(Path.of("/dev/shm", n)));
            }
        } finally {
            p.destroyForcibly().waitFor();
        }

        Path bad = Files.writeString(dir.resolve("bad.txt"), "chr1\t10\t1.5\t3\t4\nchr1\t3000000000\t1.5\t3\t4\n");
        Process q = share(ProcessBuilder.Redirect.PIPE, bad.toString(), "--dtype", "chr:S10,pos:i4,pct:f4,c:i4,t:i4", "--json");
        try {
            String said = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(q.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, q.exitValue());
            var error = io.ferry.json.Json.asObject(io.ferry.json.Json.asObject(io.ferry.json.Json.parse(said), "line").get("error"), "error");
            assertEquals("parse", error.get("kind"));
            assertEquals(bad.toString(), error.get("file"));
            assertEquals(2L, error.get("line"));
            assertEquals(6L, error.get("column"));
            assertEquals("3000000000", error.get("text"));
            assertTrue(((String) error.get("field")).contains("'pos'"), String.valueOf(error.get("field")));
            String err = new String(q.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals("ferry share: " + error.get("message"), err, "standard error keeps its one line");
        } finally {
            q.destroyForcibly().waitFor();
        }
    }

    /// A consumer that went away before reading the handle (`ferry share f | true`), or an output
    /// that cannot take it (`/dev/full`): no one can take the array, so waiting for one (for ever,
    /// without --timeout) kept it in `/dev/shm`. The share fails at once and removes it.
    @Test
    void aHandleNoOneCanReadEndsTheShare() throws Exception {
        for (boolean full : new boolean[]{false, true}) {
            List<String> cmd = new ArrayList<>(FerryJvm.javaCommand());
            cmd.addAll(List.of("share", EXAMPLES.resolve("sample1.txt").toString(), "--dtype", "chr:S10,pos:i4,pct:f4,c:i4,t:i4"));
            ProcessBuilder b = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (full) {
                b.redirectOutput(ProcessBuilder.Redirect.to(new java.io.File("/dev/full")));
            }
            Process p = b.start();
            try {
                if (!full) {
                    p.getInputStream().close();   // the consumer is gone before the handle comes
                }
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ends without a consumer");
                assertEquals(1, p.exitValue());
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(err.startsWith("ferry share: could not write the handle of fy"), err);
                assertTrue(err.contains("no consumer can take it; removed"), err);
            } finally {
                p.destroyForcibly().waitFor();
            }
        }
    }

    /// With `--json` the end of standard input means the driving program is gone: the arrays go.
    @Test
    void withJsonTheEndOfStdinRemovesTheArrays() throws Exception {
        Process p = share(ProcessBuilder.Redirect.PIPE, EXAMPLES.resolve("sample3.txt").toString(),
                "--dtype", "chr:S10,pos:i4,pct:f4,c:i4,t:i4", "--json");
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            var line = io.ferry.json.Json.asObject(io.ferry.json.Json.parse(out.readLine()), "line");
            String name = (String) io.ferry.json.Json.asObject(io.ferry.json.Json.asObject(line.get("array"), "a").get("handle"), "h").get("name");
            assertTrue(Files.exists(Path.of("/dev/shm", name)));
            p.getOutputStream().close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue());
            assertFalse(Files.exists(Path.of("/dev/shm", name)));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}
