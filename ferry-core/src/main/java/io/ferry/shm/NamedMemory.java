package io.ferry.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/// The operating system's named shared memory: the one seam between Ferry and the platform.
///
/// Names given here are already validated ([SegmentName#validate]) and carry no leading `/`.
/// [DevShm] is the Linux implementation (POSIX shared memory is the tmpfs `/dev/shm`); elsewhere
/// [UnsupportedNamedMemory] fails with a clear error. A macOS implementation needs `shm_open`
/// and `shm_unlink` downcalls (no directory to list, so the sweep would keep its own records).
interface NamedMemory {
    /// {@return the shared memory of the running system}
    static NamedMemory system() {
        return Holder.SYSTEM;
    }

    /// Creates a segment exclusively (permissions 0600), reserves all its pages and maps it into `arena`.
    default Mapping create(String name, long byteSize, Arena arena) {
        return create(name, byteSize, true, arena);
    }

    /// Creates a segment exclusively (permissions 0600) and maps it into `arena`; with `reserve`
    /// every page is allocated now, else the pages come as they are first touched.
    Mapping create(String name, long byteSize, boolean reserve, Arena arena);

    /// Allocates every page of `[offset, offset + length)` of segment `name` now, so that a full
    /// system is an error here rather than a SIGBUS in whoever first touches a missing page.
    /// @throws SharedMemoryFullException when the pages cannot be had
    void reserve(String name, long offset, long length);

    /// Opens segment `file` (this user's, made or mapped as `file` says) for writing through the
    /// file rather than a mapping.
    /// @throws SegmentNotFoundException when its name is gone or names another file now
    java.nio.channels.FileChannel openForWriting(Entry file);

    /// {@return the error for segment `name`, which could not get `byteSize` bytes more}, saying
    /// how full the system is
    SharedMemoryFullException full(String name, long byteSize);

    /// Cuts segment `name` to `byteSize` bytes: the pages past them go back to the system, and
    /// whoever attaches later maps only these. For its owner, which made it larger than it filled.
    void truncate(String name, long byteSize);

    /// Maps an existing segment of this user, of at least `minByteSize` bytes, whole, into `arena`,
    /// without touching its pages.
    Mapping attach(String name, long minByteSize, Arena arena);

    /// Removes `file`'s name if `file` is this user's and the name still names it: the same inode
    /// and owner, looked at without following symlinks. Another user's file is never removed, even
    /// by root; a name removed and made again meanwhile is not `file`, and stays.
    /// {@return false when the name is gone, names another file, or is not this user's}
    boolean unlink(Entry file);

    /// {@return every segment name, with its size}
    List<Entry> list();

    /// {@return the segment `name`, if there is one}
    Optional<Entry> stat(String name);

    /// {@return bytes free for new segments}
    long usableSpace();

    /// {@return the size of the file system the segments live in}
    long totalSpace();

    /// {@return the directory the names live in}, for the creator records of the sweep
    Path directory();

    /// A segment name, its size in bytes, last change, owner and inode (which tells the file apart
    /// from a later one of the same name).
    record Entry(String name, long byteSize, java.time.Instant modified, int ownerUid, long inode) {
        /// {@return whether this process's user owns it}
        boolean ownedByThisUser() {
            return ownerUid == DevShm.OwnUser.UID;
        }
    }

    /// A segment mapped into this process, and the file it was mapped from.
    record Mapping(MemorySegment memory, Entry file) {
    }

    final class Holder {
        static final NamedMemory SYSTEM = choose();

        private Holder() {
        }

        private static NamedMemory choose() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (os.contains("linux")) {
                return new DevShm(DevShm.DEFAULT_DIRECTORY);
            }
            return new UnsupportedNamedMemory(System.getProperty("os.name"));
        }
    }
}
