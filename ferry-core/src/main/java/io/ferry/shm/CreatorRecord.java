package io.ferry.shm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// The record a creating process leaves beside its segments, so a sweep can tell the process
/// that made `fy1k2j_…` from a later process that happens to get the same pid, or from a process
/// with the same pid in another pid namespace.
///
/// One small file per process, `/dev/shm/fy<creator tag>.pid` ([CreatorTag]), published whole
/// and exclusively ([#publish]) before the process creates its first segment (publishing it is how
/// a process claims its tag), and removed at its normal exit once none of its segments remain:
///
/// ```text
/// pid=73231 start=4410786 pidns=pid:[4026531836]
///     ^           ^             ^
///     |           |             the pid namespace the pid is counted in
///     |           start time, clock ticks after boot (field 22 of /proc/<pid>/stat)
///     the creator
/// ```
///
/// Living in `/dev/shm` it has the lifetime of the segments (both go at reboot).
final class CreatorRecord {
    private static final Pattern TEXT = Pattern.compile("pid=(\\d+) start=(-?\\d+) pidns=(\\S+)\\n");
    private static final int MAX_BYTES = 128;

    /// A process as the kernel knows it: when it started and in which pid namespace.
    record Identity(long startTicks, String pidNamespace) {
        // Written out: a record's own equals and hashCode are linked on their first call (about
        // 10 ms of method handles in a fresh JVM, which the start-up cache does not keep), and
        // the first call is at exit, where a caller such as ferry.loadtxt waits for it.
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && startTicks == other.startTicks
                    && Objects.equals(pidNamespace, other.pidNamespace);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(startTicks) * 31 + Objects.hashCode(pidNamespace);
        }
    }

    /// What is found under a tag's record name.
    sealed interface Reading {
        /// No record: nobody holds the tag.
        record None() implements Reading {
        }

        /// A file this process cannot judge by: another user's (which could say anything), not a
        /// regular file, or not a record of the tag's pid.
        record Foreign(String why) implements Reading {
        }

        /// A record of this user: the creator of the tag's names, and the file (to remove exactly it).
        record Found(Identity creator, NamedMemory.Entry file) implements Reading {
        }
    }

    private CreatorRecord() {
    }

    /// {@return what `dir` holds under `tag`'s record name}
    static Reading read(Path dir, CreatorTag tag) {
        Path p = dir.resolve(tag.recordName());
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,ino,isRegularFile,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            if (!Boolean.TRUE.equals(a.get("isRegularFile"))) {
                return new Reading.Foreign(p + " is not a regular file");
            }
            int uid = (Integer) a.get("uid");
            if (uid != DevShm.OwnUser.UID) {
                return new Reading.Foreign(p + " belongs to user " + uid);
            }
            byte[] bytes;
            try (InputStream in = Channels.newInputStream(Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            Matcher m = TEXT.matcher(new String(bytes, StandardCharsets.US_ASCII));
            if (bytes.length > MAX_BYTES || !m.matches() || Long.parseLong(m.group(1)) != tag.pid()) {
                return new Reading.Foreign(p + " is not a creator record of pid " + tag.pid());
            }
            NamedMemory.Entry file = new NamedMemory.Entry(tag.recordName(), bytes.length,
                    ((FileTime) a.get("lastModifiedTime")).toInstant(), uid, (Long) a.get("ino"));
            return new Reading.Found(new Identity(Long.parseLong(m.group(2)), m.group(3)), file);
        } catch (NoSuchFileException e) {
            return new Reading.None();
        } catch (IOException | RuntimeException e) {
            return new Reading.Foreign("cannot read " + p + ": " + e);
        }
    }

    /// Publishes `creator`'s record as `tag`'s, whole or not at all, unless the name exists: the
    /// text goes into a draft of the record's own ([CreatorTag#draftName]), which is given the
    /// record's name by a hard link (`link(2)`, which fails when the name exists: an exclusive
    /// create with contents) and then removed. A process killed between the two leaves the draft,
    /// which [Sweep] removes once it is a minute old. (An unnamed file given its name by `linkat`
    /// leaves nothing even then, but its four C calls, linked through FFM at the first use, took
    /// 70-90 ms of every cold `ferry share`.)
    /// {@return whether it was published}; false when the name is taken
    /// @throws IOException when `dir` does not let this process create files
    static boolean publish(Path dir, CreatorTag tag, Identity creator) throws IOException {
        Path p = dir.resolve(tag.recordName());
        byte[] text = text(tag.pid(), creator).getBytes(StandardCharsets.US_ASCII);
        Path draft = dir.resolve(tag.draftName(ThreadLocalRandom.current().nextLong() >>> 1));
        Files.createFile(draft, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(draft, text, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            Files.createLink(p, draft);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(draft);
        }
    }

    static String text(long pid, Identity id) {
        return "pid=" + pid + " start=" + id.startTicks() + " pidns=" + id.pidNamespace() + "\n";
    }

    /// {@return the identity of the running process `pid`}, empty when there is none (or a zombie)
    static Optional<Identity> running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // The command name (field 2) is in parentheses and may hold spaces and ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            char state = f[0].charAt(0);
            if (state == 'Z' || state == 'X' || state == 'x') {
                return Optional.empty();
            }
            return Optional.of(new Identity(Long.parseLong(f[19]), OWN_NAMESPACE));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // No /proc: fall back to what the JDK knows (no start time to compare, so no reuse guard).
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> new Identity(-1, OWN_NAMESPACE));
        }
    }

    /// This process's pid namespace as `/proc/self/ns/pid` names it (`pid:[4026531836]`), or
    /// [#UNKNOWN_NAMESPACE] when it cannot be read.
    static final String OWN_NAMESPACE = ownNamespace();
    static final String UNKNOWN_NAMESPACE = "unknown";

    private static String ownNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return UNKNOWN_NAMESPACE;
        }
    }

    static Identity self() {
        return running(ProcessHandle.current().pid()).orElseThrow(
                () -> new SharedMemoryException("cannot read this process's own entry in /proc"));
    }
}
