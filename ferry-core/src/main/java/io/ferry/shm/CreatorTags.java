package io.ferry.shm;

import io.ferry.shm.CreatorRecord.Identity;
import io.ferry.shm.CreatorRecord.Reading;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// Which process holds which creator tag in `/dev/shm`, and the one rule for removing what Ferry
/// processes left there. Every path that removes a name another process made asks here: the
/// [Sweep] (and `ferry shm clean`), a new process claiming its tag, a process's exit.
///
/// A name is removed only when all three hold:
/// 1. it is Ferry's: a segment name of [SegmentName]'s scheme, or a creator record; `psm_…` and
///    other programs' names are never touched;
/// 2. it is this user's: its owner, looked at without following symlinks, is this process's user,
///    even for root (another user could otherwise plant a record to have root remove things), and
///    it is still the file that was judged ([NamedMemory#unlink]);
/// 3. its creator is gone ([#creator]): the tag's record is this user's, counts its pid in this
///    process's pid namespace, and no process has that pid now, or one that started at another
///    time (the pid was reused). A record of another user, of another pid namespace, or one that
///    cannot be read makes the creator [CreatorState#UNKNOWN]: not this process's to judge, so its
///    names stay. So does a tag without a record: a Ferry process publishes its record before its
///    first segment and removes it only once none remain, so names without one are another
///    program's that look like Ferry's, or a process's in another pid namespace whose pid here is
///    nobody's or another process's. Judged by the pid alone, they were removed, by a sweep and by
///    any process that claimed the tag (a container's pid 1 took the host's names under `fy1_`).
///
/// Whatever fails a rule is left as it is. A new process that finds its pid's tag held by
/// something it may not remove takes another tag ([CreatorTag]) rather than failing.
///
/// Between judging and removing, another process can act: removal compares the file's inode, so a
/// name removed and made again meanwhile stays. What remains is a window of microseconds in which
/// a record judged stale could be removed and published anew by a later process with the same pid,
/// in this namespace, just before this one removes it: that process would then run without a
/// record, and its segments would stay after it, unjudged.
final class CreatorTags {
    private CreatorTags() {
    }

    /// {@return whether the process that holds `tag` still runs}, judged by its record in `dir`
    static CreatorState creator(Path dir, CreatorTag tag) {
        return creator(CreatorRecord.read(dir, tag), tag);
    }

    private static CreatorState creator(Reading record, CreatorTag tag) {
        return switch (record) {
            case Reading.None none -> SegmentRegistry.claimedTag().filter(tag::equals).isPresent()
                    ? CreatorState.RUNNING : CreatorState.UNKNOWN;
            case Reading.Foreign foreign -> CreatorState.UNKNOWN;
            case Reading.Found found -> {
                Identity recorded = found.creator();
                if (CreatorRecord.OWN_NAMESPACE.equals(CreatorRecord.UNKNOWN_NAMESPACE)
                        || !recorded.pidNamespace().equals(CreatorRecord.OWN_NAMESPACE)) {
                    yield CreatorState.UNKNOWN;   // its pid means another process here, or nothing
                }
                Optional<Identity> now = CreatorRecord.running(tag.pid());
                if (now.isEmpty()) {
                    yield CreatorState.GONE;
                }
                boolean bothKnown = recorded.startTicks() >= 0 && now.get().startTicks() >= 0;
                yield bothKnown && recorded.startTicks() != now.get().startTicks()
                        ? CreatorState.GONE         // the pid was reused by a later process
                        : CreatorState.RUNNING;
            }
        };
    }

    /// {@return the creator tag of `e`} if it is a Ferry segment of this user (rules 1 and 2)
    static Optional<CreatorTag> ownSegment(NamedMemory.Entry e) {
        return e.ownedByThisUser() ? SegmentName.creatorTag(e.name()) : Optional.empty();
    }

    /// {@return the tag whose record `e` is} if it is a creator record of this user (rules 1 and 2)
    static Optional<CreatorTag> ownRecord(NamedMemory.Entry e) {
        return e.ownedByThisUser() ? CreatorTag.ofRecord(e.name()) : Optional.empty();
    }

    /// {@return the tag whose record draft `e` is} if it is a draft of this user (rules 1 and 2)
    static Optional<CreatorTag> ownDraft(NamedMemory.Entry e) {
        return e.ownedByThisUser() ? CreatorTag.ofDraft(e.name()) : Optional.empty();
    }

    /// Removes `tag`'s record if it is this user's and its creator is gone, judged now (not from
    /// an earlier look, since a new holder may have published its own meanwhile).
    /// {@return whether it was removed}
    static boolean removeRecordIfGone(NamedMemory system, CreatorTag tag) {
        Reading r = CreatorRecord.read(system.directory(), tag);
        return r instanceof Reading.Found found && creator(r, tag) == CreatorState.GONE && system.unlink(found.file());
    }

    /// Claims a creator tag for this process by publishing its record: its pid's tag, or when
    /// something it may not remove holds that, the first variant free. A record whose creator is
    /// gone ([#removeRecordIfGone]) is removed and its tag taken, with this user's segments left
    /// under it; names under a tag that had no record stay (rule 3). {@return the tag}
    /// @throws SharedMemoryException when every tag is held, or no record can be written
    static CreatorTag claim(NamedMemory system) {
        long pid = ProcessHandle.current().pid();
        Identity self = CreatorRecord.self();
        Path dir = system.directory();
        List<String> held = new ArrayList<>();
        for (CreatorTag tag : CreatorTag.candidates(pid)) {
            // A few tries: the holder may release the tag, or another process take it, meanwhile.
            boolean removedGone = false;
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    if (CreatorRecord.publish(dir, tag, self)) {
                        if (removedGone) {
                            removeLeftovers(system, tag);
                        }
                        return tag;
                    }
                } catch (IOException e) {
                    throw new SharedMemoryException("cannot write this process's creator record "
                            + dir.resolve(tag.recordName()) + ": " + e.getMessage(), e);
                }
                if (removeRecordIfGone(system, tag)) {
                    removedGone = true;
                } else if (!(CreatorRecord.read(dir, tag) instanceof Reading.None)) {
                    held.add(tag.recordName());
                    break;
                }
            }
        }
        throw new SharedMemoryException("no creator tag free for this process (pid " + pid + ") in " + dir + ": the records "
                + (held.size() > 2 ? held.getFirst() + " … " + held.getLast() : String.join(", ", held))
                + " are held by running processes, other users or other pid namespaces, or cannot be read; "
                + "'ferry shm list' shows this user's segments and whether their creators run");
    }

    /// The segments under a tag just claimed, after its gone holder's record was removed, are
    /// that holder's leftovers: a holder keeps its record while it runs, and publishing is
    /// exclusive, so no other process held the tag between. This user's are removed; another
    /// user's stay (not ours).
    private static void removeLeftovers(NamedMemory system, CreatorTag tag) {
        try {
            for (NamedMemory.Entry e : system.list()) {
                if (ownSegment(e).filter(tag::equals).isPresent()) {
                    system.unlink(e);
                }
            }
        } catch (SharedMemoryException e) {
            // Not this process's to fail for: what stays is judged with its record once it exits.
        }
    }

    /// At this process's exit, removes its record once none of this user's segments under its tag
    /// remain (the sweep needs the record to judge those), and only while the record is still this
    /// process's.
    static void release(NamedMemory system, CreatorTag tag) {
        if (system.list().stream().anyMatch(e -> ownSegment(e).filter(tag::equals).isPresent())) {
            return;
        }
        if (CreatorRecord.read(system.directory(), tag) instanceof Reading.Found found
                && found.creator().equals(CreatorRecord.self())) {
            system.unlink(found.file());
        }
    }
}
