package io.ferry.shm;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The sweep, for real: child processes that are killed, and pids that are reused.
/// Every sweep here is limited to the pids of processes this test started, so the sweep never
/// touches anything of other people's concurrent runs.
@ExtendWith(ShmLeakCheck.class)
class SweepTest {
    private static final Path DEV_SHM = Path.of("/dev/shm");

    static Process startJava(Class<?> main, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    @Test
    void atANormalExitTheOwnedSegmentsGoAndTheHandedOverOnesWaitForTheSweep() throws Exception {
        Process child = startJava(SegmentHolderMain.class, "exit");
        long pid = child.pid();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String owned = lines.get(0);
        String handedOver = lines.get(1);
        try {
            assertFalse(ShmLeakCheck.exists(owned), "the exit hook unlinked the owned segment");
            assertTrue(err.contains("never released by this process: " + owned), err);
            assertTrue(ShmLeakCheck.exists(handedOver), "a disowned segment is the receiver's to unlink");
            assertTrue(Files.exists(DEV_SHM.resolve(CreatorRecord.fileName(pid))), "the record stays while the creator's segments do");

            Sweep.Report r = Sweep.run(p -> p == pid);
            assertEquals(List.of(handedOver), r.removed().stream().map(FerrySegment::name).toList());
            assertEquals(List.of(CreatorRecord.fileName(pid)), r.creatorRecords());
        } finally {
            ShmLeakCheck.remove(owned);
            ShmLeakCheck.remove(handedOver);
            ShmLeakCheck.remove(CreatorRecord.fileName(pid));
        }
    }

    @Test
    void docExample() {
        // Sweeps only this test's own (nonexistent) creator, so other people's runs are untouched.
        Sweep.Report r = Sweep.run(pid -> pid == -1);
        for (FerrySegment s : r.removed()) {
            System.out.println("removed " + s.name() + " of pid " + s.creatorPid());
        }
        assertTrue(r.removed().isEmpty());
    }

    @Test
    void afterKillMinus9TheSweepLeavesNothingOfTheChild() throws Exception {
        Process child = startJava(SegmentHolderMain.class);
        long pid = child.pid();
        List<String> names = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
                names.add(line);
            }
            assertEquals(2, names.size(), "child printed " + names);
            assertEquals(ShmLeakCheck.segmentsOf(pid), new java.util.TreeSet<>(names));
            assertTrue(Files.exists(DEV_SHM.resolve(CreatorRecord.fileName(pid))));

            // While the child runs, the sweep keeps its segments and lists them as running.
            Sweep.Report running = Sweep.run(p -> p == pid);
            assertTrue(running.removed().isEmpty());
            assertEquals(2, running.kept().size());
            assertTrue(Sweep.list().stream().filter(s -> s.creatorPid() == pid)
                    .allMatch(s -> s.creator() == CreatorState.RUNNING));
        } finally {
            child.destroyForcibly();            // SIGKILL: no shutdown hook runs
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        // A consumer that attached before the kill keeps the memory whatever happens to the name.
        SharedSegment consumer = SharedSegment.attach(names.get(0), 4096);
        assertEquals(2, ShmLeakCheck.segmentsOf(pid).size(), "kill -9 left the segments, as it would");

        Sweep.Report r = Sweep.run(p -> p == pid);
        assertEquals(names.stream().sorted().toList(), r.removed().stream().map(FerrySegment::name).sorted().toList());
        assertEquals(4096 + 8192, r.bytesFreed());
        assertTrue(r.removed().stream().allMatch(s -> s.creator() == CreatorState.GONE && s.creatorPid() == pid));
        assertEquals(List.of(CreatorRecord.fileName(pid)), r.creatorRecords());
        assertTrue(ShmLeakCheck.segmentsOf(pid).isEmpty());
        assertFalse(Files.exists(DEV_SHM.resolve(CreatorRecord.fileName(pid))));
        assertEquals(0x5EED_F00DL, consumer.memory().get(java.lang.foreign.ValueLayout.JAVA_LONG, 0));
        consumer.close();
    }

    @Test
    void aReusedPidDoesNotKeepADeadCreatorsSegments() throws Exception {
        Process other = new ProcessBuilder("sleep", "120").start();   // holds a pid, never made segments
        long pid = other.pid();
        String stale = SegmentName.random(pid);
        try {
            Files.write(DEV_SHM.resolve(stale), new byte[32]);
            long realStart = CreatorRecord.running(pid).orElseThrow().startTicks();

            CreatorRecord.write(DEV_SHM, pid, new CreatorRecord.Identity(realStart, CreatorRecord.OWN_NAMESPACE));
            assertEquals(CreatorState.RUNNING, CreatorRecord.judge(DEV_SHM, pid));
            assertTrue(Sweep.run(p -> p == pid).removed().isEmpty());

            CreatorRecord.write(DEV_SHM, pid, new CreatorRecord.Identity(realStart, "pid:[1]"));
            assertEquals(CreatorState.UNKNOWN, CreatorRecord.judge(DEV_SHM, pid), "another container's pid: keep");
            assertTrue(Sweep.run(p -> p == pid).removed().isEmpty());

            // The record says the creator started at another time: this pid is a later process.
            CreatorRecord.write(DEV_SHM, pid, new CreatorRecord.Identity(realStart - 1, CreatorRecord.OWN_NAMESPACE));
            assertEquals(CreatorState.GONE, CreatorRecord.judge(DEV_SHM, pid));
            Sweep.Report r = Sweep.run(p -> p == pid);
            assertEquals(List.of(stale), r.removed().stream().map(FerrySegment::name).toList());
            assertEquals(List.of(CreatorRecord.fileName(pid)), r.creatorRecords());
            assertFalse(ShmLeakCheck.exists(stale));
        } finally {
            other.destroyForcibly().waitFor();
            ShmLeakCheck.remove(stale);
            ShmLeakCheck.remove(CreatorRecord.fileName(pid));
        }
    }

    @Test
    void withoutARecordAnExitedPidIsGoneAndOnlyFerryNamesAreTouched() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        long pid = done.pid();
        String stale = SegmentName.random(pid);
        String notFerry = "psm_" + Long.toString(pid, 16);
        try {
            Files.write(DEV_SHM.resolve(stale), new byte[8]);
            Files.write(DEV_SHM.resolve(notFerry), new byte[8]);
            Sweep.Report r = Sweep.run(p -> p == pid);
            assertEquals(List.of(stale), r.removed().stream().map(FerrySegment::name).toList());
            assertTrue(ShmLeakCheck.exists(notFerry));
        } finally {
            ShmLeakCheck.remove(stale);
            ShmLeakCheck.remove(notFerry);
        }
    }

    @Test
    void aSweepNeverRemovesThisProcesssSegments() {
        try (SharedSegment mine = SharedSegment.create(16)) {
            long me = ProcessHandle.current().pid();
            Sweep.Report r = Sweep.run(p -> p == me);
            assertTrue(r.removed().isEmpty());
            assertTrue(ShmLeakCheck.exists(mine.name()));
        }
    }

    @Test
    void anotherUsersSegmentsAreNeverSwept() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        long pid = done.pid();
        String theirs = SegmentName.random(pid);
        Path p = Files.write(DEV_SHM.resolve(theirs), new byte[8]);
        try {
            try {
                Files.setAttribute(p, "unix:uid", 65534);
            } catch (java.io.IOException e) {
                org.junit.jupiter.api.Assumptions.abort("needs root to give a file to another user: " + e);
            }
            assertTrue(Sweep.run(x -> x == pid).removed().isEmpty());
            assertTrue(ShmLeakCheck.exists(theirs));
            assertTrue(Sweep.list().stream().noneMatch(s -> s.name().equals(theirs)));
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
