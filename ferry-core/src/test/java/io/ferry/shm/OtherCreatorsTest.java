package io.ferry.shm;

import io.ferry.testing.OrdinaryUser;
import io.ferry.testing.PidNamespace;
import io.ferry.testing.Processes;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Other users and other pid namespaces on one `/dev/shm`: a new Ferry process never removes their
/// names or creator records, and still creates its own segments (under another creator tag).
///
/// Each Ferry process here is a child JVM run as a chosen pid of a new pid namespace
/// ([PidNamespace]), so that the test knows its pid before it starts and can plant names under it,
/// or start two with the same pid, as two containers of one pod sharing `/dev/shm` would. Nothing
/// here can be swept from this JVM (the children's records name their own namespaces, which this
/// process cannot judge): each test removes its pid's files itself.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class OtherCreatorsTest {
    private static final Path DEV_SHM = Path.of("/dev/shm");
    private static final int NOBODY = 65534;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    /// As root, the old start-up removed every `fy<pid>_…` name and the record `fy<pid>.pid`,
    /// whoever they belonged to.
    @Test
    void asRootAnotherUsersNamesUnderItsPidAreLeftAndItStillCreates() throws Exception {
        long pid = PidNamespace.randomPid();
        try {
            Planted planted = Planted.byNobody(pid);
            Child c = Child.start(pid, List.of(), "exit").awaitExit();
            c.assertCreatedAndExited();
            planted.assertUntouched();
            assertFalse(c.handedOver().startsWith(plainPrefix(pid)), "another tag than the planted one: " + c.handedOver());
        } finally {
            removeEverythingOf(pid);
        }
    }

    /// An ordinary user cannot remove another user's file from `/dev/shm` (a sticky directory): the
    /// old start-up failed with "Operation not permitted" on a planted name.
    @Test
    void anOrdinaryUserIsNotStoppedByAnotherUsersNamesUnderItsPid() throws Exception {
        long pid = PidNamespace.randomPid();
        try {
            Planted planted = Planted.byNobody(pid);
            Child c = Child.start(pid, OrdinaryUser.prefix(), "exit").awaitExit();
            c.assertCreatedAndExited();
            planted.assertUntouched();
        } finally {
            removeEverythingOf(pid);
        }
    }

    /// Taking another tag has an end: with its pid's own and all 36 variants held (here by another
    /// user's records), a process fails to create, saying why, and touches none of them.
    @Test
    void withEveryTagOfItsPidHeldItFailsSayingSo() throws Exception {
        long pid = PidNamespace.randomPid();
        try {
            List<Path> planted = new ArrayList<>();
            for (CreatorTag t : CreatorTag.candidates(pid)) {
                Path p = Files.writeString(DEV_SHM.resolve(t.recordName()), "pid=" + pid + " start=1 pidns=pid:[1]\n",
                        StandardOpenOption.CREATE_NEW);
                planted.add(p);
                try {
                    Files.setAttribute(p, "unix:uid", NOBODY);
                } catch (IOException e) {
                    Assumptions.abort("needs root to give a file to another user: " + e);
                }
            }
            Child c = Child.start(pid, List.of(), "exit").awaitExit();
            assertEquals(1, c.process.exitValue(), c.err);
            String t = "fy" + Long.toString(pid, 36);
            assertTrue(c.err.contains("SharedMemoryException: no creator tag free for this process (pid " + pid + ") in /dev/shm: the records "
                    + t + ".pid … " + t + "-z.pid are held by running processes, other users or other pid namespaces, or cannot be read"),
                    c.err);
            assertEquals(new TreeSet<>(planted.stream().map(p -> p.getFileName().toString()).toList()), ShmLeakCheck.filesOf(pid),
                    "the planted records, and nothing else");
            for (Path p : planted) {
                assertEquals(NOBODY, Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            }
        } finally {
            removeEverythingOf(pid);
        }
    }

    /// Two containers of one pod share `/dev/shm`, and their Ferry processes can have the same pid:
    /// the second used to remove the first one's live segments and its creator record.
    @Test
    void twoProcessesWithTheSamePidInTwoNamespacesKeepEachOthersSegments() throws Exception {
        long pid = PidNamespace.randomPid();
        Child first = null;
        try {
            first = Child.start(pid, List.of(), "hold");
            List<String> firstNames = first.awaitReady();
            Set<String> firstFiles = ShmLeakCheck.filesOf(pid);
            assertEquals(3, firstFiles.size(), "two segments and a creator record: " + firstFiles);
            String firstRecord = firstFiles.stream().filter(n -> n.endsWith(".pid")).findFirst().orElseThrow();
            byte[] firstRecordBytes = Files.readAllBytes(DEV_SHM.resolve(firstRecord));

            Child second = Child.start(pid, List.of(), "exit").awaitExit();
            second.assertCreatedAndExited();
            for (String n : firstNames) {
                assertTrue(ShmLeakCheck.exists(n), "the second process left the first one's segment " + n);
            }
            assertArrayEquals(firstRecordBytes, Files.readAllBytes(DEV_SHM.resolve(firstRecord)), "the first one's record is intact");
            assertFalse(firstNames.contains(second.handedOver()));
            String firstTag = firstNames.get(0).substring(0, firstNames.get(0).indexOf('_'));
            assertFalse(second.handedOver().startsWith(firstTag + "_"), "another tag: " + second.handedOver() + " beside " + firstNames);
            Set<String> records = new TreeSet<>(ShmLeakCheck.filesOf(pid).stream().filter(n -> n.endsWith(".pid")).toList());
            assertEquals(2, records.size(), "each kept its own record: " + records);
            List<String> namespaces = new ArrayList<>();
            for (String r : records) {
                namespaces.add(Files.readString(DEV_SHM.resolve(r)).replaceAll(".*pidns=(\\S+)\\s*", "$1"));
            }
            assertNotEquals(namespaces.get(0), namespaces.get(1), "two namespaces: " + namespaces);

            // Nor does this process's sweep touch them: it cannot judge other namespaces' creators.
            assertTrue(Sweep.run(p -> p == pid).removed().isEmpty());
            assertTrue(ShmLeakCheck.exists(firstNames.get(1)) && ShmLeakCheck.exists(second.handedOver()));
        } finally {
            if (first != null) {
                first.kill();
            }
            removeEverythingOf(pid);
        }
    }

    /// What the rules allow is still done: a record of this user, in the same namespace, of a
    /// process that is gone, is replaced, and its segments go.
    @Test
    void aStaleRecordOfThisUserAndNamespaceIsStillCleanedAtStart() throws Exception {
        long pid = PidNamespace.randomPid();
        String tag = "fy" + Long.toString(pid, 36);
        String stale = tag + "_stale1";
        try {
            // Written inside the child's namespace, just before the JVM starts as the same pid:
            // the recorded start time (1 tick after boot) is not the JVM's, so its creator is gone.
            String plant = "printf 'pid=%s start=1 pidns=%s\\n' " + pid + " \"$(readlink /proc/self/ns/pid)\" > /dev/shm/" + tag
                    + ".pid && : > /dev/shm/" + stale + " && exec \"$@\"";
            Child c = Child.start(pid, List.of("sh", "-c", plant, "sh"), "exit").awaitExit();
            c.assertCreatedAndExited();
            assertFalse(ShmLeakCheck.exists(stale), "the dead creator's segment was removed");
            assertTrue(c.handedOver().startsWith(tag + "_"), "the pid's own tag, its record being stale: " + c.handedOver());
            String record = Files.readString(DEV_SHM.resolve(tag + ".pid"));
            assertTrue(record.startsWith("pid=" + pid + " start=") && !record.startsWith("pid=" + pid + " start=1 "), record);
        } finally {
            removeEverythingOf(pid);
        }
    }

    /// A name that looks like Ferry's but has no record is not Ferry's to judge: another program's,
    /// or a process's of another pid namespace (the host's `fy1_…` seen from a container whose
    /// first process is pid 1). A new process that took the tag removed it as an earlier
    /// holder's leftover, and so did a sweep once the pid was free.
    @Test
    void namesWithoutARecordUnderItsPidAreLeft() throws Exception {
        long pid = PidNamespace.randomPid();
        String tag = "fy" + Long.toString(pid, 36);
        Path theirs = DEV_SHM.resolve(SegmentName.random(new CreatorTag(pid, CreatorTag.PLAIN)));
        try {
            Files.write(theirs, "someone else's".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE_NEW);
            Child c = Child.start(pid, List.of(), "exit").awaitExit();
            c.assertCreatedAndExited();
            assertTrue(c.handedOver().startsWith(tag + "_"), "the pid's own tag, which had no record: " + c.handedOver());
            assertEquals("someone else's", Files.readString(theirs), "the name without a record stays");
            assertTrue(Sweep.run(p -> p == pid).removed().stream().noneMatch(s -> s.name().equals(theirs.getFileName().toString())));
            assertTrue(Files.exists(theirs), "a sweep leaves it too");
        } finally {
            removeEverythingOf(pid);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /// A record and a segment of user nobody, named as Ferry names those of `pid`.
    record Planted(Path record, Path segment, byte[] recordBytes, byte[] segmentBytes) {
        static Planted byNobody(long pid) throws IOException {
            String tag = "fy" + Long.toString(pid, 36);
            byte[] rec = ("pid=" + pid + " start=4242 pidns=pid:[4026531836]\n").getBytes(StandardCharsets.US_ASCII);
            byte[] seg = new byte[64];
            Arrays.fill(seg, (byte) 0x5A);
            Path r = Files.write(DEV_SHM.resolve(tag + ".pid"), rec, StandardOpenOption.CREATE_NEW);
            Path s = Files.write(DEV_SHM.resolve(tag + "_planted"), seg, StandardOpenOption.CREATE_NEW);
            try {
                Files.setAttribute(r, "unix:uid", NOBODY);
                Files.setAttribute(s, "unix:uid", NOBODY);
            } catch (IOException e) {
                Files.deleteIfExists(r);
                Files.deleteIfExists(s);
                Assumptions.abort("needs root to give a file to another user: " + e);
            }
            return new Planted(r, s, rec, seg);
        }

        void assertUntouched() throws IOException {
            for (Path p : List.of(record, segment)) {
                assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " was removed");
                assertEquals(NOBODY, Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS), p + "'s owner");
            }
            assertArrayEquals(recordBytes, Files.readAllBytes(record));
            assertArrayEquals(segmentBytes, Files.readAllBytes(segment));
        }
    }

    /// A Ferry process ([SegmentHolderMain]) as pid `pid` of a new namespace.
    static final class Child {
        private final Process process;
        private final BufferedReader out;
        private final List<String> names = new ArrayList<>();
        private String err = "";

        private Child(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        }

        static Child start(long pid, List<String> wrapper, String mode) throws IOException {
            List<String> cmd = new ArrayList<>(wrapper);
            // Two JVMs with one pid share this machine's /tmp (containers would not): without
            // -XX:-UsePerfData the second warns that its hsperfdata file is the first one's.
            cmd.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                    "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), SegmentHolderMain.class.getName(), mode));
            return new Child(new ProcessBuilder(PidNamespace.command(pid, cmd)).start());
        }

        /// Reads the two names the child prints before `ready`. {@return them}
        List<String> awaitReady() throws IOException {
            for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
                names.add(line);
            }
            assertEquals(2, names.size(), () -> "the child printed " + names + "; stderr: " + stderrAfterKill());
            return List.copyOf(names);
        }

        private String stderrAfterKill() {
            try {
                kill();
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException | InterruptedException e) {
                return "(unreadable: " + e + ")";
            }
        }

        Child awaitExit() throws Exception {
            boolean exited = process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
            if (!exited) {
                kill();
            }
            err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            for (String line : new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList()) {
                if (!line.equals("ready")) {
                    names.add(line);
                }
            }
            assertTrue(exited, "the child did not exit within " + LIMIT + "; stderr: " + err);
            return this;
        }

        /// Exit 0, a segment owned and unlinked at exit, one handed over and left, nothing else said.
        void assertCreatedAndExited() {
            assertEquals(0, process.exitValue(), "exit code; stderr: " + err);
            assertEquals(2, names.size(), "names printed: " + names + "; stderr: " + err);
            for (String n : names) {
                assertTrue(n.length() <= SegmentName.GENERATED_LENGTH && n.matches("fy[0-9a-z._-]+"), n);
            }
            assertEquals("ferry: removing the shared memory this process still held at its exit: " + names.get(0), err.strip(),
                    "what the child said");
            assertFalse(ShmLeakCheck.exists(names.get(0)), "the exit unlinked the owned segment");
            assertTrue(ShmLeakCheck.exists(names.get(1)), "the handed-over segment waits for its receiver or a sweep");
        }

        String handedOver() {
            return names.get(1);
        }

        /// Kills the namespace (SIGKILL to `unshare`, which kills its child) and checks nothing of it runs.
        void kill() throws InterruptedException {
            List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            for (ProcessHandle p : tree) {
                assertTrue(Processes.awaitExit(p.pid(), Duration.ofSeconds(10)), "left running: " + p.pid() + " " + p.info());
            }
        }
    }

    private static String plainPrefix(long pid) {
        return "fy" + Long.toString(pid, 36) + "_";
    }

    private static void removeEverythingOf(long pid) throws IOException {
        for (String n : ShmLeakCheck.filesOf(pid)) {
            Files.deleteIfExists(DEV_SHM.resolve(n));
        }
    }
}
