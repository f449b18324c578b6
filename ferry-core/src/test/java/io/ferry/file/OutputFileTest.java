package io.ferry.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The rules every writer of a named output follows: never over an input, never over anything
/// but a regular file, a temporary name that always fits, the replaced file's mode kept, and what
/// dead writers left removed (and nothing else).
@org.junit.jupiter.api.Tag("process")
class OutputFileTest {
    @TempDir
    Path dir;

    @Test
    void writesAtomicallyThroughATemporaryFileBesideTheTarget() throws IOException {
        Path target = dir.resolve("out.txt");
        OutputFile out = OutputFile.of(target, false, List.of());
        Path temporary = out.createTemporary();
        assertEquals(dir, temporary.getParent());
        assertTrue(temporary.getFileName().toString().startsWith(".out.txt."), temporary.toString());
        assertTrue(temporary.getFileName().toString().endsWith(OutputFile.SUFFIX), temporary.toString());
        Files.writeString(temporary, "new\n");
        assertFalse(Files.exists(target), "nothing at the target before the commit");
        out.commit();
        assertEquals("new\n", Files.readString(target));
        assertFalse(Files.exists(temporary));
    }

    /// An append works on a copy of the file, renamed over it at the end: what another program
    /// wrote to the file meanwhile (an h5py session) was lost, exit 0. The commit now refuses.
    @Test
    void aCopyIsNotCommittedOverAFileWrittenMeanwhile() throws IOException {
        Path target = Files.writeString(dir.resolve("data.h5"), "before\n");
        OutputFile out = OutputFile.of(target, true, List.of());
        Path copy = out.createTemporaryCopy();
        assertEquals("before\n", Files.readString(copy));
        Files.writeString(copy, "appended\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(target, "someone else's\n", java.nio.file.StandardOpenOption.APPEND);
        OutputFileException e = assertThrows(OutputFileException.class, out::commit);
        assertEquals(OutputFileException.Problem.CHANGED, e.problem());
        assertEquals(target + ": it was written to while the rows were appended to a copy of it (another program wrote"
                + " it); not replaced, nothing appended: run again when it is done", e.getMessage());
        assertEquals("before\nsomeone else's\n", Files.readString(target));
        out.discard();
        assertEquals(List.of("data.h5"), names());
    }

    /// The copy, and a new file replacing one, keep the file's owner and group where this process
    /// may set them (root here): an append by another user made the file theirs, and `--force` by
    /// root made a `600` file root's, either locking its owner out.
    @Test
    void aCopyAndAReplacementKeepTheOwnerAndGroup() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Path target = Files.writeString(dir.resolve("theirs.h5"), "data\n");
        Files.setAttribute(target, "unix:uid", 1234);
        Files.setAttribute(target, "unix:gid", 4321);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        OutputFile out = OutputFile.of(target, true, List.of());
        out.createTemporaryCopy();
        out.commit();
        assertEquals(1234, Files.getAttribute(target, "unix:uid"));
        assertEquals(4321, Files.getAttribute(target, "unix:gid"));
        assertEquals("data\n", Files.readString(target));

        OutputFile replacing = OutputFile.of(target, true, List.of());
        Files.writeString(replacing.createTemporary(), "new\n");
        replacing.commit();
        assertEquals(1234, Files.getAttribute(target, "unix:uid"));
        assertEquals(4321, Files.getAttribute(target, "unix:gid"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals("new\n", Files.readString(target));
    }

    @Test
    void discardLeavesTheTargetAsItWas() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old\n");
        OutputFile out = OutputFile.of(target, true, List.of());
        Files.writeString(out.createTemporary(), "new\n");
        out.discard();
        out.discard();
        assertEquals("old\n", Files.readString(target));
        assertEquals(List.of("out.txt"), names());
    }

    @Test
    void anOutputThatIsAnInputIsRefusedHoweverItIsNamed() throws IOException {
        Path input = Files.writeString(dir.resolve("in.txt"), "1 2\n");
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path symlink = Files.createSymbolicLink(dir.resolve("link.txt"), input);
        Path hardLink = Files.createLink(dir.resolve("hard.txt"), input);
        for (Path output : List.of(input, sub.resolve("../in.txt"), symlink, hardLink)) {
            OutputFileException e = assertThrows(OutputFileException.class,
                    () -> OutputFile.of(output, true, List.of(dir.resolve("other.txt"), input)));
            assertEquals(OutputFileException.Problem.IS_AN_INPUT, e.problem(), output.toString());
            assertTrue(e.getMessage().startsWith(output + ": is the input " + input), e.getMessage());
        }
        // and the other way round: the input named through the link
        OutputFileException e = assertThrows(OutputFileException.class, () -> OutputFile.of(input, true, List.of(hardLink)));
        assertEquals(OutputFileException.Problem.IS_AN_INPUT, e.problem());
        assertEquals("1 2\n", Files.readString(input));
    }

    @Test
    void anythingButARegularFileIsRefusedEvenWhenReplacing() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path socket = dir.resolve("sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Path directory = Files.createDirectory(dir.resolve("d.h5"));
            Path toDevice = Files.createSymbolicLink(dir.resolve("null.h5"), Path.of("/dev/null"));
            Path dangling = Files.createSymbolicLink(dir.resolve("dangling.h5"), dir.resolve("nowhere.h5"));
            assertRefused(Path.of("/dev/null"), "/dev/null: is a character device, not a regular file");
            assertRefused(fifo, fifo + ": is a named pipe (FIFO), not a regular file");
            assertRefused(socket, socket + ": is a socket, not a regular file");
            assertRefused(directory, directory + ": is a directory");
            assertRefused(toDevice, toDevice + ": is a symbolic link to /dev/null, which is a character device");
            assertRefused(dangling, dangling + ": is a symbolic link to " + dir.resolve("nowhere.h5") + ", which is missing");
            Files.delete(toDevice);
        }
        assertFalse(Files.isRegularFile(Path.of("/dev/null")));
    }

    @Test
    void anOutputNamedThroughProcIsRefusedAndTheFileOpenThereIsLeftAlone() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious\n");
        try (FileChannel open = FileChannel.open(victim, StandardOpenOption.READ)) {
            String fd = descriptorOf(victim);
            for (String name : List.of("/proc/self/fd/" + fd, "/dev/fd/" + fd, "/proc/" + ProcessHandle.current().pid()
                    + "/fd/" + fd)) {
                assertRefused(Path.of(name), name + ": names a file a process has open (through /proc/");
            }
            Path link = Files.createSymbolicLink(dir.resolve("out.h5"), Path.of("/proc/self/fd/" + fd));
            assertRefused(link, link + ": names a file a process has open (through /proc/self/fd/" + fd + ")");
            // `..` after a link goes up from where the link leads: read as text, this one passed
            Path real = dir.toRealPath();
            Files.createSymbolicLink(dir.resolve("sub"), real);
            Path up = Files.createSymbolicLink(dir.resolve("up.h5"),
                    Path.of("sub/" + "../".repeat(real.getNameCount()) + "proc/self/fd/" + fd));
            assertRefused(up, up + ": names a file a process has open (through /proc/");
        }
        // standard output and error: whatever this JVM has there (a file, a pipe, a terminal)
        assertRefused(Path.of("/dev/stdout"), "/dev/stdout: names a file a process has open (through /proc/self/fd/1)");
        assertRefused(Path.of("/dev/stderr"), "/dev/stderr: names a file a process has open (through /proc/self/fd/2)");
        assertEquals("precious\n", Files.readString(victim));
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, "*" + OutputFile.SUFFIX)) {
            assertFalse(left.iterator().hasNext(), "a temporary file was left");
        }
    }

    /// A procfs mounted elsewhere (a container's `/host/proc`) has the same magic links: its
    /// `self/fd/N` was followed to the file open there, and replaced. Needs `mount` (root).
    @Test
    void anOutputThroughAProcfsMountedElsewhereIsRefused() throws Exception {
        Path mounted = Files.createDirectory(dir.resolve("myproc"));
        Process mount = new ProcessBuilder("mount", "-t", "proc", "proc", mounted.toString()).redirectErrorStream(true).start();
        mount.getInputStream().readAllBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "mounting a procfs needs root");
        try {
            Path victim = Files.writeString(dir.resolve("victim.txt"), "precious\n");
            try (FileChannel open = FileChannel.open(victim, StandardOpenOption.READ)) {
                Path name = mounted.resolve("self/fd/" + descriptorOf(victim));
                assertRefused(name, name + ": names a file a process has open (through " + mounted.toRealPath());
            }
            assertEquals("precious\n", Files.readString(victim));
        } finally {
            assertEquals(0, new ProcessBuilder("umount", "-l", mounted.toString()).start().waitFor());
        }
    }

    /// {@return the descriptor at which this process has `file` open}
    private static String descriptorOf(Path file) throws IOException {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).equals(file)) {
                        return fd.getFileName().toString();
                    }
                } catch (IOException gone) {
                    // the descriptor the listing itself used, closed since
                }
            }
        }
        throw new AssertionError(file + " is not open");
    }

    private static void assertRefused(Path output, String message) {
        // a named pipe is only examined, never opened: opening it would wait for a writer
        OutputFileException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(OutputFileException.class, () -> OutputFile.of(output, true, List.of())));
        assertEquals(OutputFileException.Problem.NOT_A_REGULAR_FILE, e.problem(), e.getMessage());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenAsked() throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old\n");
        OutputFileException e = assertThrows(OutputFileException.class, () -> OutputFile.of(target, false, List.of()));
        assertEquals(OutputFileException.Problem.EXISTS, e.problem());
        assertEquals(target + ": exists already, and replacing it was not asked for", e.getMessage());

        Path later = dir.resolve("later.txt");
        OutputFile out = OutputFile.of(later, false, List.of());
        Path temporary = out.createTemporary();
        Files.writeString(later, "someone else's\n");
        OutputFileException raced = assertThrows(OutputFileException.class, out::commit);
        assertEquals(OutputFileException.Problem.EXISTS, raced.problem());
        assertEquals("someone else's\n", Files.readString(later));
        assertTrue(Files.exists(temporary), "the caller discards it");
        out.discard();
    }

    @Test
    void replacingSwapsTheNewFileInAndLeavesTheOldOneOnlyToItsOtherNames() throws IOException {
        replacing(4);                             // renamed over the old file
        Files.delete(dir.resolve("link.txt"));
        Files.delete(dir.resolve("out.txt"));
        replacing(OutputFile.EXCHANGE_BYTES);     // swapped with it (sparse: no data written)
    }

    /// Replaces a file that has another name by a new file of `size` bytes starting "new\n".
    private void replacing(long size) throws IOException {
        Path target = Files.writeString(dir.resolve("out.txt"), "old\n");
        Path otherName = Files.createLink(dir.resolve("link.txt"), target);
        OutputFile out = OutputFile.of(target, true, List.of());
        Path temporary = out.createTemporary();
        Files.writeString(temporary, "new\n");
        try (var f = new java.io.RandomAccessFile(temporary.toFile(), "rw")) {
            f.setLength(size);
        }
        Object newFile = Files.getAttribute(temporary, "unix:ino");
        try (var reader = Files.newInputStream(target)) { // a reader of the old file keeps it
            out.commit();
            assertEquals("old\n", new String(reader.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (var in = Files.newInputStream(target)) {
            assertEquals("new\n", new String(in.readNBytes(4), StandardCharsets.UTF_8));
        }
        assertEquals(size, Files.size(target));
        assertEquals(newFile, Files.getAttribute(target, "unix:ino"), "the very file written, not a copy");
        assertEquals("old\n", Files.readString(otherName));
        assertEquals(1, (int) Files.getAttribute(otherName, "unix:nlink"), "the replaced file has no other name left");
        assertEquals(List.of("link.txt", "out.txt"), names());
    }

    @Test
    void anExchangeNeedsBothFiles() throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "a");
        io.ferry.libc.Libc.ErrnoException e = assertThrows(io.ferry.libc.Libc.ErrnoException.class,
                () -> io.ferry.libc.Libc.exchange(a.toString(), dir.resolve("missing").toString()));
        assertEquals(2, e.errno(), "ENOENT");
        assertEquals("a", Files.readString(a));
        Path b = Files.writeString(dir.resolve("b"), "b");
        io.ferry.libc.Libc.exchange(a.toString(), b.toString());
        assertEquals("b", Files.readString(a));
        assertEquals("a", Files.readString(b));
    }

    @Test
    void aMissingDirectoryIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        OutputFileException e = assertThrows(OutputFileException.class,
                () -> OutputFile.of(dir.resolve("no/such/out.h5"), true, List.of()));
        assertEquals(OutputFileException.Problem.NO_DIRECTORY, e.problem());
        assertEquals(dir.resolve("no/such/out.h5") + ": the directory " + dir.resolve("no/such") + " does not exist", e.getMessage());
        OutputFileException underFile = assertThrows(OutputFileException.class,
                () -> OutputFile.of(file.resolve("out.h5"), true, List.of()));
        assertEquals(file.resolve("out.h5") + ": the directory " + file + " is a regular file, not a directory", underFile.getMessage());
    }

    /// The temporary name adds about 45 bytes to the output's: a name near 255 bytes used to fail
    /// with "File name too long".
    @Test
    void anyValidNameGetsATemporaryNameThatFits() throws IOException {
        var encoder = java.nio.charset.Charset.forName(System.getProperty("sun.jnu.encoding")).newEncoder();
        for (String name : List.of("a".repeat(250) + ".h5", "é".repeat(126) + ".h5", "x".repeat(OutputFile.STEM_MAX),
                "x".repeat(OutputFile.STEM_MAX + 1), "\uD83D\uDE00".repeat(63))) {
            if (!encoder.canEncode(name)) {
                continue; // a JVM whose file names are ASCII (the C locale) cannot name it at all
            }
            assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= OutputFile.NAME_MAX, name);
            Path target = dir.resolve(name);
            OutputFile out = OutputFile.of(target, true, List.of());
            Path temporary = out.createTemporary();
            assertTrue(temporary.getFileName().toString().getBytes(StandardCharsets.UTF_8).length <= OutputFile.NAME_MAX);
            Files.writeString(temporary, name);
            out.commit();
            assertEquals(name, Files.readString(target));
            Files.delete(target);
        }
        assertEquals(List.of(), names());
        // a long name's temporary files are still found by the sweep: the same stem, a dead pid
        Path target = dir.resolve("b".repeat(240));
        Path stale = Files.createFile(withPid(OutputFile.temporaryFor(target), deadPid()));
        assertEquals(List.of(stale), OutputFile.sweepStale(target));
    }

    @Test
    void theReplacedFilesModeIsKept() throws IOException {
        for (String mode : List.of("rw-------", "rw-rw-r--", "r--r-----", "rwxr-x---")) {
            Path target = Files.writeString(dir.resolve("out.txt"), "old\n");
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
            OutputFile out = OutputFile.of(target, true, List.of());
            Path temporary = out.createTemporary();
            Set<PosixFilePermission> whileWriting = Files.getPosixFilePermissions(temporary);
            assertTrue(whileWriting.containsAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)),
                    "the owner can fill it: " + whileWriting);
            Set<PosixFilePermission> others = EnumSet.copyOf(whileWriting);
            others.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            assertTrue(PosixFilePermissions.fromString(mode).containsAll(others),
                    "no one else gets more than the replaced file gave: " + whileWriting + " for " + mode);
            Files.writeString(temporary, "new\n");
            out.commit();
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
            assertEquals("new\n", Files.readString(target));
            Files.delete(target);
        }
    }

    @Test
    void aSymbolicLinkToAFileIsWrittenThrough() throws IOException {
        Path real = Files.writeString(Files.createDirectory(dir.resolve("real")).resolve("data.h5"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("data.h5"), real);
        OutputFile out = OutputFile.of(link, true, List.of());
        assertEquals(real.toRealPath(), out.target());
        Path temporary = out.createTemporary();
        assertEquals(real.toRealPath().getParent(), temporary.getParent(), "beside the file it replaces");
        Files.writeString(temporary, "new\n");
        out.commit();
        assertTrue(Files.isSymbolicLink(link), "the link stays");
        assertEquals("new\n", Files.readString(real));
    }

    @Test
    void aNewWriterRemovesWhatADeadWriterOfItsTargetLeft() throws Exception {
        Path target = dir.resolve("out.h5");
        long dead = deadPid();
        Path stale = Files.createFile(withPid(OutputFile.temporaryFor(target), dead));
        Path live = Files.createFile(OutputFile.temporaryFor(target)); // ours: alive
        Path otherHost = Files.createFile(dir.resolve(".out.h5.0-" + Long.toHexString(dead) + "-1.ferry-tmp"));
        Path otherTarget = Files.createFile(withPid(OutputFile.temporaryFor(dir.resolve("other.h5")), dead));
        Path notOurs = Files.createFile(dir.resolve(".out.h5.notes.ferry-tmp"));

        OutputFile out = OutputFile.of(target, false, List.of());
        Path temporary = out.createTemporary();
        assertFalse(Files.exists(stale), "a dead writer's temporary file is removed");
        assertTrue(Files.exists(temporary));
        for (Path kept : List.of(live, otherHost, otherTarget, notOurs)) {
            assertTrue(Files.exists(kept), kept + " is kept");
        }
        out.discard();
    }

    @Test
    void readsThePidOnlyFromTagsOfThisHost() {
        Path name = OutputFile.temporaryFor(dir.resolve("x.h5")).getFileName();
        String tag = name.toString().substring(".x.h5.".length(), name.toString().length() - OutputFile.SUFFIX.length());
        assertEquals(ProcessHandle.current().pid(), OutputFile.pidOf(tag));
        assertEquals(-1, OutputFile.pidOf("0-" + Long.toHexString(ProcessHandle.current().pid()) + "-1"));
        assertEquals(-1, OutputFile.pidOf("notes"));
    }

    /// A pid means a process only in its pid namespace: a temporary file of this host name made in
    /// another one (another container on a shared volume) is not this namespace's to judge. Its
    /// pid could name no process here, and its live writer's file was removed as a dead one's.
    @Test
    void readsThePidOnlyFromTagsOfThisPidNamespace() throws Exception {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        String here = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        String pid = Long.toHexString(ProcessHandle.current().pid());
        assertEquals(ProcessHandle.current().pid(), OutputFile.pidOf(Integer.toHexString((host + " " + here).hashCode()) + "-" + pid + "-1"));
        assertEquals(-1, OutputFile.pidOf(Integer.toHexString((host + " pid:[1]").hashCode()) + "-" + pid + "-1"));
        assertEquals(-1, OutputFile.pidOf(Integer.toHexString(host.hashCode()) + "-" + pid + "-1"));   // the former tags
    }

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /// {@return the pid of a process that has exited}
    static long deadPid() throws IOException {
        Process p = new ProcessBuilder("true").start();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return p.pid();
    }

    /// {@return `temp` with `pid` in place of this process's}
    static Path withPid(Path temp, long pid) {
        String name = temp.getFileName().toString();
        String ours = "-" + Long.toHexString(ProcessHandle.current().pid()) + "-";
        return temp.resolveSibling(name.replace(ours, "-" + Long.toHexString(pid) + "-"));
    }
}
