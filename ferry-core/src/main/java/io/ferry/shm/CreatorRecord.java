package io.ferry.shm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// The record a creating process leaves beside its segments, so a sweep can tell the process
/// that made `fy1k2j_…` from a later process that happens to get the same pid.
///
/// One small file per process, `/dev/shm/fy<pid base 36>.pid`, written before the process creates
/// its first segment and removed at its normal exit once none of its segments remain:
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
    static final Pattern FILE_NAME = Pattern.compile("fy([0-9a-z]{1,6})\\.pid");

    /// A process as the kernel knows it: when it started and in which pid namespace.
    record Identity(long startTicks, String pidNamespace) {
    }

    private CreatorRecord() {
    }

    static String fileName(long pid) {
        return SegmentName.PREFIX + Long.toString(pid, 36) + ".pid";
    }

    static Optional<Identity> read(Path dir, long pid) {
        try {
            Path p = dir.resolve(fileName(pid));
            if (!Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS).equals(DevShm.OwnUser.UID)) {
                return Optional.empty();   // not written by this user: not to be trusted
            }
            String text = Files.readString(p, StandardCharsets.US_ASCII);
            Matcher m = Pattern.compile("pid=(\\d+) start=(\\d+) pidns=(\\S+)\\s*").matcher(text);
            if (!m.matches() || Long.parseLong(m.group(1)) != pid) {
                return Optional.empty();   // not ours, or cut short: judge by the pid alone
            }
            return Optional.of(new Identity(Long.parseLong(m.group(2)), m.group(3)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static void write(Path dir, long pid, Identity id) throws IOException {
        Path p = dir.resolve(fileName(pid));
        Files.deleteIfExists(p);
        Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(p, "pid=" + pid + " start=" + id.startTicks() + " pidns=" + id.pidNamespace() + "\n",
                StandardCharsets.US_ASCII);
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

    static final String OWN_NAMESPACE = ownNamespace();

    private static String ownNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown";
        }
    }

    static Identity self() {
        return running(ProcessHandle.current().pid()).orElseThrow(
                () -> new SharedMemoryException("cannot read this process's own entry in /proc"));
    }

    /// {@return whether the process that created segments under `pid` still runs}
    static CreatorState judge(Path dir, long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return CreatorState.RUNNING;
        }
        Optional<Identity> recorded = read(dir, pid);
        if (recorded.isPresent() && !recorded.get().pidNamespace().equals(OWN_NAMESPACE)) {
            return CreatorState.UNKNOWN;
        }
        Optional<Identity> now = running(pid);
        if (now.isEmpty()) {
            return CreatorState.GONE;
        }
        if (recorded.isPresent() && now.get().startTicks() >= 0 && recorded.get().startTicks() != now.get().startTicks()) {
            return CreatorState.GONE;  // the pid was reused by a later process
        }
        return CreatorState.RUNNING;
    }
}
