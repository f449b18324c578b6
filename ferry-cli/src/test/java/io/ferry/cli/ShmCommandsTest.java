package io.ferry.cli;

import io.ferry.dtype.DType;
import io.ferry.shm.SegmentName;
import io.ferry.shm.SharedArray;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class ShmCommandsTest {
    record Run(int exit, String out, String err) {
    }

    /// Runs `ferry` in this JVM as the command line does (Ferry's error handling and exit codes),
    /// with every subcommand. {@return its exit code and what it printed}
    static Run ferry(String... args) {
        return ferry(Main.commandLine(), args);
    }

    /// Runs `args` with `cl`, such as `Main.commandLine(args)`: the command line `main` makes.
    static Run ferry(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static SharedArray methylation() {
        SharedArray s = SharedArray.create(DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4"), 3);
        for (int i = 0; i < 3; i++) {
            s.array().column("chr").setBytes(i, ("chr" + (i + 1)).getBytes());
            s.array().column("pos").setLong(i, 100 + i);
            s.array().column("pct").setDouble(i, 0.5);
        }
        return s;
    }

    @Test
    void attachPrintsShapeDtypeAndFirstRows(@TempDir Path dir) throws Exception {
        try (SharedArray s = methylation()) {
            Run r = ferry("attach", s.handleJson(), "--rows", "2");
            assertEquals(0, r.exit(), r.err());
            assertEquals("segment  " + s.name() + " (78 bytes)\n"
                    + "shape    (3,)\n"
                    + "dtype    [('chr', '|S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]\n"
                    + "rows     first 2 of 3\n"
                    + "(b'chr1', 100, 0.5, 0, 0)\n(b'chr2', 101, 0.5, 0, 0)\n", r.out());

            Path f = Files.writeString(dir.resolve("h.json"), s.handleJson());
            Run fromFile = ferry("attach", f.toString());
            assertEquals(0, fromFile.exit(), fromFile.err());
            assertTrue(fromFile.out().contains("rows     all 3"), fromFile.out());
            assertTrue(ShmLeakCheck.exists(s.name()), "attach leaves the segment");
        }
    }

    @Test
    void attachErrorsAreOneClearLineAndExitOne() {
        String missing = SegmentName.random();
        Run r = ferry("attach", "{\"name\": \"" + missing + "\", \"shape\": [3], \"dtype\": \"<f4\"}");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("ferry attach: no shared-memory segment '" + missing + "'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Run bad = ferry("attach", "{\"name\": \"../x\", \"shape\": [3], \"dtype\": \"<f4\"}");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("bad shared-memory segment name '../x'"), bad.err());

        Run noFile = ferry("attach", "no-such-handle.json");
        assertEquals(1, noFile.exit());
        assertTrue(noFile.err().startsWith("ferry attach: no-such-handle.json: no such file; give the handle JSON itself"), noFile.err());

        assertEquals(64, ferry("attach").exit(), "a usage error is 64 (EX_USAGE)");
    }

    @Test
    void listShowsThisProcesssSegmentsAsRunning() {
        try (SharedArray s = methylation()) {
            Run r = ferry("shm", "list");
            assertEquals(0, r.exit(), r.err());
            String line = r.out().lines().filter(l -> l.startsWith(s.name())).findFirst().orElseThrow();
            assertTrue(line.matches(s.name() + " +78 B +" + ProcessHandle.current().pid() + "  running"), line);
        }
    }

    /// Space held where no segment is listed (an array whose name is gone, as every
    /// ferry.loadtxt array's is; another program's file) is said, so a full /dev/shm with
    /// nothing listed is explained.
    @Test
    void listSaysWhatSpaceNoSegmentAccountsFor() throws Exception {
        Path other = Path.of("/dev/shm", "not-ferrys-" + ProcessHandle.current().pid());
        try {
            Files.write(other, new byte[2 << 20]);
            Run r = ferry("shm", "list");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("/dev/shm has ") && l.contains(" in use is in no segment"
                    + " listed here: arrays still mapped whose names are gone")), r.out());
        } finally {
            Files.deleteIfExists(other);
        }
    }

    @Test
    void cleanRemovesTheSegmentsOfAnExitedProcess() throws Exception {
        long pid = exitedPid();
        String stale = "fy" + Long.toString(pid, 36) + "_abc123";
        // as a Ferry process leaves them: its record first (names without one are not Ferry's to judge)
        String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        Path record = Files.writeString(Path.of("/dev/shm", "fy" + Long.toString(pid, 36) + ".pid"),
                "pid=" + pid + " start=1 pidns=" + ns + "\n");
        Path p = Files.write(Path.of("/dev/shm", stale), new byte[100]);
        try {
            Run r = ferry("shm", "clean", "--creator", Long.toString(pid));
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("removed " + stale + " (100 B) of pid " + pid + ", which has exited"), r.out());
            assertTrue(r.out().contains("removed 1 segment, 100 B freed"), r.out());
            assertFalse(Files.exists(p));
            assertFalse(Files.exists(record));
            Run again = ferry("shm", "clean", "--creator", Long.toString(pid));
            assertTrue(again.out().startsWith("nothing to remove"), again.out());
        } finally {
            Files.deleteIfExists(p);
            Files.deleteIfExists(record);
        }
    }

    /// A process killed after its segments were gone leaves its creator record alone: clean removes
    /// it, and says so (it said "nothing to remove", and the file went).
    @Test
    void cleanSaysItRemovedACreatorRecordLeftAlone() throws Exception {
        long pid = exitedPid();
        String record = "fy" + Long.toString(pid, 36) + ".pid";
        String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        Path p = Files.writeString(Path.of("/dev/shm", record), "pid=" + pid + " start=1 pidns=" + ns + "\n");
        try {
            Run r = ferry("shm", "clean", "--creator", Long.toString(pid));
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().startsWith("removed 1 creator record of exited processes (" + record + "); no segment was left"),
                    r.out());
            assertFalse(Files.exists(p));
        } finally {
            Files.deleteIfExists(p);
        }
    }

    /// A segment under a variant tag (`fy<pid>-<n>_…`, which a process takes when another holds its
    /// pid's names) is listed with its pid and judged by its own record: kept while its creator is
    /// in another pid namespace or runs, removed once it is gone.
    @Test
    void listAndCleanJudgeAVariantTagByItsOwnRecord() throws Exception {
        Process other = new ProcessBuilder("sleep", "120").start();
        long pid = other.pid();
        String tag = "fy" + Long.toString(pid, 36) + "-3";
        String segment = tag + "_abcd";
        Path record = Path.of("/dev/shm", tag + ".pid");
        try {
            Files.write(Path.of("/dev/shm", segment), new byte[16]);
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            long start = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
            String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();

            Files.writeString(record, "pid=" + pid + " start=" + start + " pidns=pid:[1]\n");
            assertTrue(listed(segment).matches(segment + " +16 B +" + pid + "  unknown \\(another pid namespace, or no readable record\\)"),
                    listed(segment));
            Run kept = ferry("shm", "clean", "--creator", Long.toString(pid));
            assertEquals("nothing to remove: no segments of exited Ferry processes\n"
                    + "kept 1 segment whose creator cannot be judged from here (another pid namespace, "
                    + "or a creator record of another user or unreadable)\n", kept.out());

            Files.writeString(record, "pid=" + pid + " start=" + start + " pidns=" + namespace + "\n");
            assertTrue(listed(segment).endsWith(pid + "  running"), listed(segment));
            assertTrue(ferry("shm", "clean", "--creator", Long.toString(pid)).out().endsWith("kept 1 segment of running processes\n"));

            Files.writeString(record, "pid=" + pid + " start=" + (start - 1) + " pidns=" + namespace + "\n");
            assertTrue(listed(segment).endsWith(pid + "  exited"), listed(segment));
            Run r = ferry("shm", "clean", "--creator", Long.toString(pid));
            assertEquals("removed " + segment + " (16 B) of pid " + pid + ", which has exited\nremoved 1 segment, 16 B freed\n", r.out());
            assertFalse(ShmLeakCheck.exists(segment) || Files.exists(record), "the segment and its record are gone");
        } finally {
            other.destroyForcibly().waitFor();
            Files.deleteIfExists(Path.of("/dev/shm", segment));
            Files.deleteIfExists(record);
        }
    }

    /// A creator record left without segments by a process that could not clean up (a Python pool
    /// worker ended by SIGTERM): the listing said "no Ferry segments" over it. Now it says so, and
    /// that clean removes it. (The record is judged exited: its start time is not the process's.)
    @Test
    void listNamesCreatorRecordsLeftWithoutSegments() throws Exception {
        Process other = new ProcessBuilder("sleep", "120").start();
        long pid = other.pid();
        Path record = Path.of("/dev/shm", "fy" + Long.toString(pid, 36) + "-5.pid");
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            long start = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
            String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            Files.writeString(record, "pid=" + pid + " start=" + (start - 1) + " pidns=" + namespace + "\n");
            Run r = ferry("shm", "list");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.matches("\\d+ creator records? of exited processes left without segments"
                    + " \\(pid (\\d+, )*" + pid + "(, \\d+)*\\); 'ferry shm clean' removes (it|them)")), r.out());
            Run clean = ferry("shm", "clean", "--creator", Long.toString(pid));
            assertEquals(0, clean.exit(), clean.err());
            assertFalse(Files.exists(record), clean.out());
            assertFalse(ferry("shm", "list").out().contains("(pid " + pid + ")"));
        } finally {
            other.destroyForcibly().waitFor();
            Files.deleteIfExists(record);
        }
    }

    private static String listed(String segment) {
        Run r = ferry("shm", "list");
        assertEquals(0, r.exit(), r.err());
        return r.out().lines().filter(l -> l.startsWith(segment + " ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
    }

    /// picocli formats descriptions with `String.format`: a bare `%` makes it print a warning on
    /// standard error (its own stream, not the command's) and the raw text. Checked in a child JVM,
    /// as users run it, for every command.
    @Test
    void everyCommandsHelpFormatsWithoutWarnings() throws java.io.IOException {
        List<String> cmd = new java.util.ArrayList<>(FerryJvm.javaCommand());
        cmd.add("help");
        var top = io.ferry.testing.PythonPeer.exec(cmd, null, 60);
        assertEquals(0, top.exit(), top.toString());
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            List<String> c = new java.util.ArrayList<>(FerryJvm.javaCommand());
            c.addAll(List.of(sub, "--help"));
            var r = io.ferry.testing.PythonPeer.exec(c, null, 60);
            assertEquals(0, r.exit(), sub + ": " + r);
            assertFalse(r.stderr().contains("WARN") || r.stdout().contains("WARN"), sub + ": " + r.stderr());
        }
    }

    @Test
    void helpOnEveryLevel() {
        assertTrue(ferry("shm", "--help").out().contains("clean"));
        assertTrue(ferry("shm", "clean", "--help").out().contains("--creator"));
        assertTrue(ferry("attach", "--help").out().contains("Examples:"));
    }

    /// {@return the pid of a process that has just exited}
    private static long exitedPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }
}
