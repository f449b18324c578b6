package io.ferry.shm;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/// Shared memory on a system Ferry does not support yet: every call fails saying so.
///
/// macOS is next: `shm_open(name, O_CREAT|O_EXCL|O_RDWR, 0600)` (variadic: bind it with
/// `Linker.Option.firstVariadicArg(2)`), `ftruncate`, `mmap` into an `Arena` with a cleanup that
/// calls `munmap`, and `shm_unlink`; names there are limited to 31 bytes, which Ferry's 14-character
/// names respect. macOS has no `posix_fallocate` on shared memory and no directory of names, so
/// reservation and the sweep need their own designs; rather than pretend, Ferry stops here.
final class UnsupportedNamedMemory implements NamedMemory {
    private final String os;

    UnsupportedNamedMemory(String os) {
        this.os = os;
    }

    private SharedMemoryException unsupported(String what) {
        return new SharedMemoryException("cannot " + what + ": Ferry supports shared memory on Linux (/dev/shm) only so far, not on "
                + os + "; to share an array with this system, write it to a .npy file instead");
    }

    @Override
    public Mapping create(String name, long byteSize, boolean reserve, Arena arena) {
        throw unsupported("create shared-memory segment '" + name + "'");
    }

    @Override
    public void reserve(String name, long offset, long length) {
        throw unsupported("reserve shared-memory segment '" + name + "'");
    }

    @Override
    public java.nio.channels.FileChannel openForWriting(Entry file) {
        throw unsupported("write shared-memory segment '" + file.name() + "'");
    }

    @Override
    public SharedMemoryFullException full(String name, long byteSize) {
        throw unsupported("size shared-memory segment '" + name + "'");
    }

    @Override
    public void truncate(String name, long byteSize) {
        throw unsupported("truncate shared-memory segment '" + name + "'");
    }

    @Override
    public Mapping attach(String name, long minByteSize, Arena arena) {
        throw unsupported("attach shared-memory segment '" + name + "'");
    }

    @Override
    public boolean unlink(Entry file) {
        throw unsupported("unlink shared-memory segment '" + file.name() + "'");
    }

    @Override
    public List<Entry> list() {
        throw unsupported("list shared-memory segments");
    }

    @Override
    public Optional<Entry> stat(String name) {
        throw unsupported("look up shared-memory segment '" + name + "'");
    }

    @Override
    public long usableSpace() {
        throw unsupported("measure free shared memory");
    }

    @Override
    public long totalSpace() {
        throw unsupported("measure shared memory");
    }

    @Override
    public Path directory() {
        throw unsupported("find the shared-memory directory");
    }
}
