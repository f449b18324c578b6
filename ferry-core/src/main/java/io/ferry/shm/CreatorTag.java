package io.ferry.shm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Which process made a Ferry name: the tag between `fy` and `_` of its segments' names, which
/// also names its creator record.
///
/// ```text
///  fy 1k2j _ 8c0x3a9z     fy 1k2j-3 _ 8c0x3a     fy1k2j.pid  fy1k2j-3.pid
///     ^^^^                   ^^^^ ^              ^^^^^^^^^^^^^^^^^^^^^^^^
///     the pid, base 36       pid  variant        the records of the two tags
/// ```
///
/// A process takes the tag of its pid unless another process holds it, then the first variant free
/// (`-0` … `-z`): pids are unique only within a pid namespace, and two containers sharing
/// `/dev/shm` can each run a Ferry process with the same pid; another user's record can hold a
/// pid's tag too. A tag is held by its record ([CreatorRecord]), created exclusively, so two
/// processes never hold one tag at once.
///
/// The variant costs two of the 14 characters: the random part of a name keeps at least
/// [#MIN_RANDOM] characters (1.7 million names per tag, and a clash only means another try).
///
/// @param pid     the creator's pid, in its own pid namespace
/// @param variant [#PLAIN], or 0 to 35 for the variant `-0` to `-z`
record CreatorTag(long pid, int variant) {
    static final int PLAIN = -1;
    static final int VARIANTS = 36;
    /// The fewest random characters a name Ferry makes has.
    static final int MIN_RANDOM = 4;

    private static final Pattern TEXT = Pattern.compile("([0-9a-z]{1,6})(?:-([0-9a-z]))?");
    private static final Pattern RECORD = Pattern.compile(SegmentName.PREFIX + "(" + TEXT.pattern() + ")\\.pid");
    private static final Pattern DRAFT = Pattern.compile(RECORD.pattern() + "\\.[0-9a-z]{1,13}\\.draft");

    CreatorTag {
        if (pid <= 0 || variant < PLAIN || variant >= VARIANTS) {
            throw new IllegalArgumentException("no creator tag for pid " + pid + ", variant " + variant);
        }
    }

    // Written out, as CreatorRecord.Identity's are: the record's own are linked on their first
    // call, at exit.
    @Override
    public boolean equals(Object o) {
        return o instanceof CreatorTag other && pid == other.pid && variant == other.variant;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(pid) * 37 + variant;
    }

    /// {@return the tags a process with `pid` may take, in the order it tries them}
    static List<CreatorTag> candidates(long pid) {
        List<CreatorTag> out = new ArrayList<>(1 + VARIANTS);
        for (int v = PLAIN; v < VARIANTS; v++) {
            CreatorTag t = new CreatorTag(pid, v);
            if (t.randomLength() >= MIN_RANDOM) {   // every Linux pid (below 2^22, 5 digits) has them all
                out.add(t);
            }
        }
        return out;
    }

    /// {@return the tag `text` spells (`1k2j`, `1k2j-3`)}, if it spells one
    static Optional<CreatorTag> parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long pid = Long.parseLong(m.group(1), 36);
        int variant = m.group(2) == null ? PLAIN : Character.digit(m.group(2).charAt(0), 36);
        return pid > 0 ? Optional.of(new CreatorTag(pid, variant)) : Optional.empty();
    }

    /// {@return the tag whose creator record is called `fileName`}, if it is one
    static Optional<CreatorTag> ofRecord(String fileName) {
        Matcher m = RECORD.matcher(fileName);
        return m.matches() ? parse(m.group(1)) : Optional.empty();
    }

    /// {@return the tag whose record draft is called `fileName`}, if it is one
    static Optional<CreatorTag> ofDraft(String fileName) {
        Matcher m = DRAFT.matcher(fileName);
        return m.matches() ? parse(m.group(1)) : Optional.empty();
    }

    /// {@return the tag as it stands in names}, e.g. `1k2j` or `1k2j-3`
    String text() {
        String p = Long.toString(pid, 36);
        return variant == PLAIN ? p : p + "-" + Character.forDigit(variant, 36);
    }

    /// {@return how every segment name of this tag starts}, e.g. `fy1k2j_`
    String segmentPrefix() {
        return SegmentName.PREFIX + text() + "_";
    }

    /// {@return the name of this tag's creator record in `/dev/shm`}, e.g. `fy1k2j.pid`
    String recordName() {
        return SegmentName.PREFIX + text() + ".pid";
    }

    /// {@return the name of a draft of this tag's record}, e.g. `fy1k2j.pid.3f9x2.draft`: written
    /// whole, then linked to [#recordName] and removed ([CreatorRecord#publish]); `nonce` keeps two
    /// processes' drafts apart
    String draftName(long nonce) {
        return recordName() + "." + Long.toString(nonce, 36) + ".draft";
    }

    /// {@return how many random characters fill a name of this tag to [SegmentName#GENERATED_LENGTH]}
    int randomLength() {
        return SegmentName.GENERATED_LENGTH - segmentPrefix().length();
    }

    @Override
    public String toString() {
        return text();
    }
}
