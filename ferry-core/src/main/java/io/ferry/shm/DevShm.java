package io.ferry.shm;

import io.ferry.Sizes;
import io.ferry.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// POSIX shared memory on Linux: `shm_open("NAME")` is the file `/dev/shm/NAME` of a tmpfs, so
/// NIO creates, maps and unlinks exactly what C's `shm_open` and Python's `SharedMemory(name=…)` open.
final class DevShm implements NamedMemory {
    static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");

    private final Path dir;

    DevShm(Path dir) {
        this.dir = dir;
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public Mapping create(String name, long byteSize, boolean reserve, Arena arena) {
        if (byteSize <= 0) {
            throw new IllegalArgumentException("a segment needs a positive size, not " + byteSize);
        }
        Path p = dir.resolve(name);
        // Pages that come on touch are asked for as they are written (SharedSegment#write and
        // #reserve say when /dev/shm is full) or by callers that size them by what is free
        // (chunk slots): a bound on rows, often ten times the rows, must not be refused here
        // (a 21 MB table needs 22 MiB, its bound 143 MiB: more than Docker's 64 MiB /dev/shm).
        long free = usableSpace();
        if (reserve && byteSize > free) {
            throw full(name, byteSize, free);
        }
        // A segment is a file, which `ulimit -f` limits: "File too large" alone named neither.
        long limit = io.ferry.proc.ProcessLimits.fileSize();
        if (limit >= 0 && byteSize > limit) {
            throw new SharedMemoryException("cannot make shared-memory segment '" + name + "' of " + byteSize + " bytes:"
                    + " this process may write no file past " + limit + " bytes (ulimit -f), and a segment is a file of"
                    + " /dev/shm; raise the limit");
        }
        try {
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new SegmentExistsException("cannot create shared-memory segment '" + name + "': the name is taken ("
                    + p + " exists); pick another name or let Ferry make one");
        } catch (IOException e) {
            throw new SharedMemoryException("cannot create shared-memory segment '" + name + "' (" + p + "): " + e, e);
        }
        boolean mapped = false;
        try {
            if (reserve) {
                reserve(name, 0, byteSize);
            }
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                MemorySegment m = ch.map(FileChannel.MapMode.READ_WRITE, 0, byteSize, arena);
                Entry file = stat(name).orElseThrow(() -> new NoSuchFileException(p + " (removed while being created)"));
                mapped = true;
                return new Mapping(m, file);
            }
        } catch (IOException e) {
            throw new SharedMemoryException("cannot map new shared-memory segment '" + name + "' (" + byteSize + " bytes): " + e, e);
        } finally {
            if (!mapped) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // the creation failed already; that error is the one to report
                }
            }
        }
    }

    /// Allocates every page of the range now (the file grows to its end as a side effect), so that
    /// a full tmpfs is an error here rather than a SIGBUS in whoever first touches a missing page.
    @Override
    public void reserve(String name, long offset, long byteSize) {
        Path p = dir.resolve(name);
        int fd;
        try {
            fd = Libc.open(p.toString(), Libc.O_RDWR);
        } catch (Libc.ErrnoException e) {
            throw new SharedMemoryException("cannot open new shared-memory segment '" + name + "' to reserve it: " + e.getMessage());
        }
        int err;
        try {
            err = Libc.posixFallocate(fd, offset, byteSize);
        } finally {
            Libc.close(fd);
        }
        if (err == Libc.ENOSPC) {
            throw full(name, byteSize, usableSpace());
        }
        if (err != 0) {
            throw new SharedMemoryException("cannot reserve " + byteSize + " bytes for shared-memory segment '" + name
                    + "': posix_fallocate: " + Libc.strerror(err) + " (errno " + err + ")");
        }
    }

    @Override
    public FileChannel openForWriting(Entry file) {
        Path p = dir.resolve(file.name());
        FileChannel ch;
        try {
            // Readable too: a segment that grows is mapped anew through it (SharedSegment.grow).
            ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new SegmentNotFoundException("shared-memory segment '" + file.name() + "' was unlinked before it was filled");
        } catch (IOException e) {
            throw new SharedMemoryException("cannot open shared-memory segment '" + file.name() + "' (" + p + ") to fill it: " + e, e);
        }
        // The name checked after the opening: this file, not one made under the name since.
        if (stat(file.name()).map(Entry::inode).orElse(-1L) != file.inode()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // opened for writing, nothing written
            }
            throw new SegmentNotFoundException("shared-memory segment '" + file.name() + "' was replaced before it was filled");
        }
        return ch;
    }

    @Override
    public SharedMemoryFullException full(String name, long byteSize) {
        return full(name, byteSize, usableSpace());
    }

    private SharedMemoryFullException full(String name, long byteSize, long free) {
        return new SharedMemoryFullException("not enough shared memory for segment '" + name + "': asked for "
                + Sizes.human(byteSize) + " (" + byteSize + " bytes), " + dir + " has " + Sizes.human(free) + " (" + free
                + " bytes) left; " + SharedMemoryFullException.REMEDY,
                byteSize, free);
    }

    @Override
    public void truncate(String name, long byteSize) {
        Path p = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ch.truncate(byteSize);
        } catch (IOException e) {
            throw new SharedMemoryException("cannot cut shared-memory segment '" + name + "' to " + byteSize + " bytes: " + e, e);
        }
    }

    @Override
    public Mapping attach(String name, long minByteSize, Arena arena) {
        Path p = dir.resolve(name);
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(p, "unix:uid,ino,isRegularFile,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new SegmentNotFoundException("no shared-memory segment '" + name + "' (" + p + " does not exist): it was never "
                    + "created, or it was unlinked already (by its owner, a sweep after its creator exited, or Python's resource tracker)");
        } catch (IOException e) {
            throw new SharedMemoryException("cannot look up shared-memory segment '" + name + "' (" + p + "): " + e, e);
        }
        if (!Boolean.TRUE.equals(attrs.get("isRegularFile"))) {
            throw new ForeignSegmentException("'" + name + "' is not a shared-memory segment (" + p + " is a symlink, directory or device)");
        }
        int uid = (Integer) attrs.get("uid");
        int me = OwnUser.UID;
        if (uid != me) {
            throw new ForeignSegmentException("shared-memory segment '" + name + "' belongs to user " + uid
                    + ", not to this user (" + me + "); Ferry attaches only its own user's segments");
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();   // of the open file, so the mapping matches what was measured
            if (size < minByteSize) {
                throw new SegmentTooSmallException("shared-memory segment '" + name + "' has " + size
                        + " bytes, fewer than the " + minByteSize + " expected");
            }
            MemorySegment m = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            return new Mapping(m, new Entry(name, size, ((FileTime) attrs.get("lastModifiedTime")).toInstant(), uid, (Long) attrs.get("ino")));
        } catch (NoSuchFileException e) {
            throw new SegmentNotFoundException("shared-memory segment '" + name + "' was unlinked while being attached");
        } catch (AccessDeniedException e) {
            throw new ForeignSegmentException("no permission to open shared-memory segment '" + name + "' (" + p + ") for reading and writing");
        } catch (IOException e) {
            throw new SharedMemoryException("cannot attach shared-memory segment '" + name + "' (" + p + "): " + e, e);
        }
    }

    /// Compares, then removes: between the two another process could still swap the file, but only
    /// one of this user (or root), as `/dev/shm` is sticky; what it guards against is a name that
    /// was removed and made again, by anyone, since `file` was seen.
    @Override
    public boolean unlink(Entry file) {
        if (file.ownerUid() != OwnUser.UID) {
            return false;   // never another user's, even for root
        }
        Path p = dir.resolve(file.name());
        try {
            Map<String, Object> now = Files.readAttributes(p, "unix:uid,ino", LinkOption.NOFOLLOW_LINKS);
            if ((Long) now.get("ino") != file.inode() || (Integer) now.get("uid") != file.ownerUid()) {
                return false;
            }
            Files.delete(p);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new SharedMemoryException("cannot unlink shared-memory segment '" + file.name() + "': " + e, e);
        }
    }

    @Override
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                stat(p.getFileName().toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new SharedMemoryException("cannot list shared-memory segments in " + dir + ": " + e, e);
        }
        // A lambda of this class, not Comparator.comparing: the JVM's start-up cache keeps this
        // class's lambdas but not the one Comparator's combinator makes, linked at every run.
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    @Override
    public Optional<Entry> stat(String name) {
        try {
            Map<String, Object> a = Files.readAttributes(dir.resolve(name), "unix:size,isRegularFile,lastModifiedTime,uid,ino",
                    LinkOption.NOFOLLOW_LINKS);
            if (!Boolean.TRUE.equals(a.get("isRegularFile"))) {
                return Optional.empty();
            }
            return Optional.of(new Entry(name, (Long) a.get("size"), ((FileTime) a.get("lastModifiedTime")).toInstant(),
                    (Integer) a.get("uid"), (Long) a.get("ino")));
        } catch (NoSuchFileException e) {
            return Optional.empty();   // gone meanwhile
        } catch (IOException e) {
            throw new SharedMemoryException("cannot look up shared-memory segment '" + name + "': " + e, e);
        }
    }

    @Override
    public long usableSpace() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new SharedMemoryException("cannot measure free space in " + dir + ": " + e, e);
        }
    }

    @Override
    public long totalSpace() {
        try {
            return Files.getFileStore(dir).getTotalSpace();
        } catch (IOException e) {
            throw new SharedMemoryException("cannot measure the size of " + dir + ": " + e, e);
        }
    }

    /// The user this process runs as (the owner of `/proc/self`, i.e. the effective uid).
    static final class OwnUser {
        static final int UID = uid();

        private OwnUser() {
        }

        private static int uid() {
            try {
                return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException e) {
                throw new SharedMemoryException("cannot tell this process's user from /proc/self: " + e, e);
            }
        }
    }
}
