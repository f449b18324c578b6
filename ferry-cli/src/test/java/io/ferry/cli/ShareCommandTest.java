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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry share` as a user runs it: the handle on stdout, numpy reading the segment, `done` on stdin.
@ExtendWith(ShmLeakCheck.class)
class ShareCommandTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("basedir", ".")).resolve("../examples").normalize();

    @TempDir
    Path dir;

    /// numpy attaches the handle as the README shows and reads what `np.loadtxt` reads; after
    /// `done`, ferry exits 0 and the segment is gone.
    private void sharedAsNumpyReadsIt(Path file, String dtype, String numpyDtype) throws Exception {
        List<String> cmd = new ArrayList<>(FerryJvm.javaCommand());
        cmd.addAll(List.of("share", file.toString(), "--dtype", dtype));
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
        assertEquals(3, ShareCommand.lines(Files.writeString(dir.resolve("a"), "1\n2\n3")));
        assertEquals(3, ShareCommand.lines(Files.writeString(dir.resolve("b"), "1\n2\n3\n")));
        assertEquals(0, ShareCommand.lines(Files.writeString(dir.resolve("c"), "")));
    }
}
