package io.ferry.shm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Segment names: validation, and the scheme of the names Ferry makes.
///
/// A name Ferry makes says which process created it, so that a [Sweep] can reclaim the segments
/// of processes that are gone, and is at most 14 characters long, so that Python on macOS
/// (whose shared-memory names are limited to 31 bytes, and which itself keeps to 14) can open it:
///
/// ```text
///  fy 1k2j _ 8c0x3a9z
///  ^  ^    ^ ^
///  |  |    | random, base 36, fills the name to 14 characters (at least 4)
///  |  |    separator
///  |  creator tag: the creator's pid in base 36 (Linux pids are below 2^22, at most 5 digits),
///  |  followed by a variant (-0 … -z) when another process holds that pid's tag (see CreatorTag)
///  Ferry's prefix
/// ```
///
/// Names given by callers are checked before anything touches the file system: 1 to 255
/// characters from `[A-Za-z0-9._-]`, not starting with `.` (so neither `.` nor `..`), with one
/// optional leading `/` removed as Python's `SharedMemory` does.
public final class SegmentName {
    /// The longest name Ferry makes.
    public static final int GENERATED_LENGTH = 14;
    /// The longest name Ferry accepts (Linux's `NAME_MAX`).
    public static final int MAX_LENGTH = 255;

    static final String PREFIX = "fy";
    private static final Pattern GENERATED = Pattern.compile(PREFIX + "([0-9a-z-]{1,8})_[0-9a-z]{1,12}");

    private SegmentName() {
    }

    /// {@return `name` without its optional leading `/`}
    /// @throws InvalidSegmentNameException saying what is wrong with it
    public static String validate(String name) {
        if (name == null) {
            throw new InvalidSegmentNameException("no segment name given");
        }
        String n = name.startsWith("/") ? name.substring(1) : name;
        String problem = problem(n);
        if (problem != null) {
            throw new InvalidSegmentNameException("bad shared-memory segment name '" + printable(name) + "': " + problem);
        }
        return n;
    }

    private static String problem(String n) {
        if (n.isEmpty()) {
            return "it is empty";
        }
        if (n.length() > MAX_LENGTH) {
            return "it has " + n.length() + " characters, more than " + MAX_LENGTH;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == '/') {
                return "a '/' (other than one leading '/') would name a path, not a segment";
            }
            if (c == 0) {
                return "it contains a NUL character";
            }
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok) {
                return "character " + (c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'")
                        + " at " + i + " is not one of A-Z a-z 0-9 _ - .";
            }
        }
        if (n.charAt(0) == '.') {
            return "it starts with '.' (hidden files, '.' and '..' are not segments)";
        }
        if (CreatorTag.ofRecord(n).isPresent() || CreatorTag.ofDraft(n).isPresent()) {
            // Mapped as a segment, a record could be written over or, taken as its owner, removed
            // while its process lives: that process's segments would be judged foreign, never swept.
            return "it is a creator record (fy<tag>.pid), Ferry's note of the process that made segments, not a segment";
        }
        return null;
    }

    /// {@return a fresh name for a segment created by this process}, e.g. `fy1k2j_8c0x3a9z`
    ///
    /// Under this process's creator tag, which this claims (writing its creator record) if no
    /// segment was created yet.
    public static String random() {
        return random(SegmentRegistry.creatorTag());
    }

    static String random(CreatorTag tag) {
        StringBuilder b = new StringBuilder(GENERATED_LENGTH).append(tag.segmentPrefix());
        for (int i = tag.randomLength(); i > 0; ) {
            for (byte r : Random.bytes(2 * i)) {
                int v = r & 0xff;
                if (v < 252 && i > 0) { // 252 = 7 × 36: each digit equally likely
                    b.append(Character.forDigit(v % 36, 36));
                    i--;
                }
            }
        }
        return b.toString();
    }

    /// {@return the prefix of every name this process makes}, e.g. `fy1k2j_`
    public static String processPrefix() {
        return SegmentRegistry.creatorTag().segmentPrefix();
    }

    /// {@return the pid of the process that made `name`}, or empty when `name` is not one Ferry makes
    public static OptionalLong creatorPid(String name) {
        return creatorTag(name).map(t -> OptionalLong.of(t.pid())).orElse(OptionalLong.empty());
    }

    /// {@return the pid of the process whose creator record `fileName` is} (`fy<tag>.pid`, which
    /// Ferry keeps beside the segments for the [Sweep]), or empty when it is none
    public static OptionalLong recordPid(String fileName) {
        return CreatorTag.ofRecord(fileName).map(t -> OptionalLong.of(t.pid())).orElse(OptionalLong.empty());
    }

    /// {@return the creator tag of `name`}, or empty when `name` is not one Ferry makes
    static Optional<CreatorTag> creatorTag(String name) {
        Matcher m = GENERATED.matcher(name);
        if (!m.matches() || name.length() > GENERATED_LENGTH) {
            return Optional.empty();
        }
        return CreatorTag.parse(m.group(1));
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 80 ? b.append("...").toString() : b.toString();
    }

    /// Where a name's random characters come from: the kernel's random bytes (`/dev/urandom`),
    /// read as a name is made. That is what the JDK's `SecureRandom` reads on Linux, without the
    /// set-up of the JDK's security providers (12-30 ms at a JVM's start, on a cold `ferry share`'s path), which a
    /// process that only attaches or checks names, such as every worker JVM, never needs either.
    /// Where there is no `/dev/urandom`, a `SecureRandom`.
    private static final class Random {
        private static final Path DEVICE = Path.of("/dev/urandom");
        private static SecureRandom fallback;

        static synchronized byte[] bytes(int n) {
            byte[] out = new byte[n];
            if (fallback == null) {
                try (InputStream in = Files.newInputStream(DEVICE)) {
                    if (in.readNBytes(out, 0, n) == n) {
                        return out;
                    }
                } catch (IOException | RuntimeException e) {
                    // below
                }
                fallback = new SecureRandom();
            }
            fallback.nextBytes(out);
            return out;
        }
    }
}
