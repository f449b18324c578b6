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
@org.junit.jupiter.api.Tag("process")
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
            assertTrue(err.contains("still held at its exit: " + owned), err);
            assertTrue(ShmLeakCheck.exists(handedOver), "a disowned segment is the receiver's to unlink");
            assertTrue(Files.exists(DEV_SHM.resolve(recordOf(handedOver))), "the record stays while the creator's segments do");

            Sweep.Report r = Sweep.run(p -> p == pid);
            assertEquals(List.of(handedOver), r.removed().stream().map(FerrySegment::name).toList());
            assertEquals(List.of(recordOf(handedOver)), r.creatorRecords());
        } finally {
            ShmLeakCheck.remove(owned);
            ShmLeakCheck.remove(handedOver);
            ShmLeakCheck.remove(recordOf(handedOver));
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
            assertTrue(Files.exists(DEV_SHM.resolve(recordOf(names.get(0)))));

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
        assertEquals(List.of(recordOf(names.get(0))), r.creatorRecords());
        assertTrue(ShmLeakCheck.segmentsOf(pid).isEmpty());
        assertFalse(Files.exists(DEV_SHM.resolve(recordOf(names.get(0)))));
        assertEquals(0x5EED_F00DL, consumer.memory().get(java.lang.foreign.ValueLayout.JAVA_LONG, 0));
        consumer.close();
    }

    @Test
    void aReusedPidDoesNotKeepADeadCreatorsSegments() throws Exception {
        Process other = new ProcessBuilder("sleep", "120").start();   // holds a pid, never made segments
        long pid = other.pid();
        CreatorTag tag = new CreatorTag(pid, CreatorTag.PLAIN);
        String stale = SegmentName.random(tag);
        try {
            Files.write(DEV_SHM.resolve(stale), new byte[32]);
            long realStart = CreatorRecord.running(pid).orElseThrow().startTicks();

            writeRecord(tag, realStart, CreatorRecord.OWN_NAMESPACE);
            assertEquals(CreatorState.RUNNING, CreatorTags.creator(DEV_SHM, tag));
            assertTrue(Sweep.run(p -> p == pid).removed().isEmpty());

            writeRecord(tag, realStart, "pid:[1]");
            assertEquals(CreatorState.UNKNOWN, CreatorTags.creator(DEV_SHM, tag), "another container's pid: keep");
            assertTrue(Sweep.run(p -> p == pid).removed().isEmpty());

            // The record says the creator started at another time: this pid is a later process.
            writeRecord(tag, realStart - 1, CreatorRecord.OWN_NAMESPACE);
            assertEquals(CreatorState.GONE, CreatorTags.creator(DEV_SHM, tag));
            Sweep.Report r = Sweep.run(p -> p == pid);
            assertEquals(List.of(stale), r.removed().stream().map(FerrySegment::name).toList());
            assertEquals(List.of(tag.recordName()), r.creatorRecords());
            assertFalse(ShmLeakCheck.exists(stale));
        } finally {
            other.destroyForcibly().waitFor();
            ShmLeakCheck.remove(stale);
            ShmLeakCheck.remove(tag.recordName());
        }
    }

    /// A variant tag (`fy<pid>-<v>_…`, taken when another process held the pid's own) is judged by
    /// its own record, whatever holds the pid's: here another user's record that would say "gone".
    @Test
    void aVariantTagIsJudgedByItsOwnRecord() throws Exception {
        Process other = new ProcessBuilder("sleep", "120").start();
        long pid = other.pid();
        CreatorTag plain = new CreatorTag(pid, CreatorTag.PLAIN);
        CreatorTag variant = new CreatorTag(pid, 7);
        String segment = SegmentName.random(variant);
        assertTrue(segment.startsWith("fy" + Long.toString(pid, 36) + "-7_") && segment.length() == SegmentName.GENERATED_LENGTH, segment);
        try {
            Files.write(DEV_SHM.resolve(segment), new byte[16]);
            Path theirs = writeRecord(plain, 1, CreatorRecord.OWN_NAMESPACE);
            giveToNobody(theirs);
            long realStart = CreatorRecord.running(pid).orElseThrow().startTicks();

            writeRecord(variant, realStart, CreatorRecord.OWN_NAMESPACE);
            assertEquals(CreatorState.RUNNING, CreatorTags.creator(DEV_SHM, variant));
            Sweep.Report running = Sweep.run(p -> p == pid);
            assertTrue(running.removed().isEmpty() && running.creatorRecords().isEmpty(), running.toString());
            assertEquals(List.of(segment), running.kept().stream().map(FerrySegment::name).toList());
            assertEquals(pid, running.kept().get(0).creatorPid());

            writeRecord(variant, realStart + 1, CreatorRecord.OWN_NAMESPACE);
            Sweep.Report r = Sweep.run(p -> p == pid);
            assertEquals(List.of(segment), r.removed().stream().map(FerrySegment::name).toList());
            assertEquals(List.of(variant.recordName()), r.creatorRecords(), "not the other user's record");
            assertTrue(Files.exists(theirs));
        } finally {
            other.destroyForcibly().waitFor();
            ShmLeakCheck.remove(segment);
            ShmLeakCheck.remove(variant.recordName());
            ShmLeakCheck.remove(plain.recordName());
        }
    }

    /// A record this process cannot trust makes the creator unknown, and nothing of it is removed,
    /// though the pid has exited: one of another user, a symlink, and one that is not a record.
    @Test
    void aRecordThatCannotBeTrustedKeepsTheSegments() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        long pid = done.pid();
        CreatorTag tag = new CreatorTag(pid, CreatorTag.PLAIN);
        String segment = SegmentName.random(tag);
        Path record = DEV_SHM.resolve(tag.recordName());
        try {
            Files.write(DEV_SHM.resolve(segment), new byte[16]);
            // no record: another program's name that looks like Ferry's, or another pid namespace's
            assertEquals(CreatorState.UNKNOWN, CreatorTags.creator(DEV_SHM, tag), "no record: cannot be judged");
            assertTrue(Sweep.run(p -> p == pid).removed().isEmpty());
            assertTrue(ShmLeakCheck.exists(segment));

            giveToNobody(writeRecord(tag, 1, CreatorRecord.OWN_NAMESPACE));
            assertKept(pid, tag, segment);
            Files.delete(record);

            Path target = Files.createTempFile("ferry-record", ".pid");
            try {
                Files.writeString(target, CreatorRecord.text(pid, new CreatorRecord.Identity(1, CreatorRecord.OWN_NAMESPACE)));
                Files.createSymbolicLink(record, target);
                assertKept(pid, tag, segment);
                Files.delete(record);
            } finally {
                Files.delete(target);
            }

            Files.writeString(record, "pid=" + pid + " start=1");   // cut short
            assertKept(pid, tag, segment);
            Files.writeString(record, CreatorRecord.text(pid + 1, new CreatorRecord.Identity(1, CreatorRecord.OWN_NAMESPACE)));
            assertKept(pid, tag, segment);
        } finally {
            ShmLeakCheck.remove(segment);
            Files.deleteIfExists(record);
        }
    }

    private static void assertKept(long pid, CreatorTag tag, String segment) {
        assertEquals(CreatorState.UNKNOWN, CreatorTags.creator(DEV_SHM, tag));
        Sweep.Report r = Sweep.run(p -> p == pid);
        assertTrue(r.removed().isEmpty() && r.creatorRecords().isEmpty(), r.toString());
        assertTrue(ShmLeakCheck.exists(segment) && Files.exists(DEV_SHM.resolve(tag.recordName()), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /// {@return the creator record of the segment `name`'s creator}
    private static String recordOf(String name) {
        return SegmentName.creatorTag(name).orElseThrow().recordName();
    }

    private static Path writeRecord(CreatorTag tag, long startTicks, String pidNamespace) throws java.io.IOException {
        return Files.writeString(DEV_SHM.resolve(tag.recordName()),
                CreatorRecord.text(tag.pid(), new CreatorRecord.Identity(startTicks, pidNamespace)));
    }

    private static void giveToNobody(Path p) throws java.io.IOException {
        try {
            Files.setAttribute(p, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (java.io.IOException e) {
            Files.delete(p);
            org.junit.jupiter.api.Assumptions.abort("needs root to give a file to another user: " + e);
        }
    }

    /// Names without a record are not Ferry's to judge, though their pid has exited: Ferry records
    /// a creator before its first segment. They were judged by the pid alone, and removed.
    @Test
    void withoutARecordNoNameIsTouched() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        long pid = done.pid();
        String stale = SegmentName.random(new CreatorTag(pid, CreatorTag.PLAIN));
        String notFerry = "psm_" + Long.toString(pid, 16);
        try {
            Files.write(DEV_SHM.resolve(stale), new byte[8]);
            Files.write(DEV_SHM.resolve(notFerry), new byte[8]);
            Sweep.Report r = Sweep.run(p -> p == pid);
            assertEquals(List.of(), r.removed());
            assertEquals(List.of(stale), r.kept().stream().map(FerrySegment::name).toList());
            assertTrue(ShmLeakCheck.exists(stale) && ShmLeakCheck.exists(notFerry));
        } finally {
            ShmLeakCheck.remove(stale);
            ShmLeakCheck.remove(notFerry);
        }
    }

    /// A process killed while it published its creator record leaves the record's draft: a sweep
    /// removes it once it is older than publishing ever takes, and leaves a fresh one.
    @Test
    void aDraftLeftByAKilledPublisherIsSweptOnceOld() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        long pid = done.pid();
        CreatorTag tag = new CreatorTag(pid, CreatorTag.PLAIN);
        Path old = DEV_SHM.resolve(tag.draftName(1));
        Path fresh = DEV_SHM.resolve(tag.draftName(2));
        try {
            Files.writeString(old, "pid=" + pid);   // cut short, as a kill mid-write leaves it
            Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(Sweep.DRAFT_LIFE).minusSeconds(5)));
            Files.writeString(fresh, "");
            Sweep.Report r = Sweep.run(p -> p == pid);
            assertEquals(List.of(old.getFileName().toString()), r.creatorRecords());
            assertFalse(Files.exists(old));
            assertTrue(Files.exists(fresh));
        } finally {
            Files.deleteIfExists(old);
            Files.deleteIfExists(fresh);
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
        String theirs = SegmentName.random(new CreatorTag(pid, CreatorTag.PLAIN));
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
