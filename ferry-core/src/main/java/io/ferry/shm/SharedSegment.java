package io.ferry.shm;

import io.ferry.Sizes;
import io.ferry.libc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/// A named shared-memory segment mapped into this process: a [MemorySegment] other processes
/// (JVMs, Python's `SharedMemory(name=…)`) map too.
///
/// [#create] makes a new segment (exclusively, permissions 0600, every page reserved) and returns
/// its [Ownership#OWNER]; [#attach] maps an existing one as a [Ownership#VIEW], without touching its
/// pages. [#close()] unmaps, and for an owner also unlinks; [#unlink()] removes the name at once
/// (mappings stay valid). Both are idempotent, in any order. After close every access to
/// [#memory()] throws [IllegalStateException]; nothing crashes.
///
/// ```java
/// try (SharedSegment mine = SharedSegment.create(1 << 20)) {          // owner, fresh name
///     mine.memory().set(ValueLayout.JAVA_LONG, 0, 42L);
///     try (SharedSegment view = SharedSegment.attach(mine.name())) {  // as another process would
///         mine.unlink();                     // every party has attached: the name can go now
///         assert view.memory().get(ValueLayout.JAVA_LONG, 0) == 42L;
///     }
/// }
/// ```
///
/// The memory lives in a shared [Arena]: any thread may use it, and closing waits for none.
public final class SharedSegment implements AutoCloseable {
    private final String name;
    private final NamedMemory.Entry file;       // what this handle mapped, so unlink removes that file only
    private final Arena arena;
    private volatile MemorySegment memory;       // cut by truncate
    private final NamedMemory system;
    private volatile SegmentRegistry registry;     // non-null while this handle owns the name
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean unlinked = new AtomicBoolean();
    private volatile FileChannel filling;          // opened by the first write

    SharedSegment(NamedMemory.Mapping mapping, Arena arena, NamedMemory system, SegmentRegistry owner) {
        this.name = mapping.file().name();
        this.file = mapping.file();
        this.arena = arena;
        this.memory = mapping.memory();
        this.system = system;
        this.registry = owner;
    }

    /// {@return a new segment of `byteSize` bytes under a fresh name (see [SegmentName]), owned by the caller}
    /// @throws SharedMemoryFullException when there is not that much shared memory left
    public static SharedSegment create(long byteSize) {
        return SegmentRegistry.process().create(byteSize);
    }

    /// {@return a new segment of `byteSize` bytes called `name`, owned by the caller}
    /// @throws SegmentExistsException when the name is taken
    public static SharedSegment create(String name, long byteSize) {
        return SegmentRegistry.process().create(name, byteSize);
    }

    /// {@return a view of the existing segment `name`} (a leading `/` is allowed)
    /// @throws SegmentNotFoundException when there is none
    public static SharedSegment attach(String name) {
        return attach(name, 0, Ownership.VIEW);
    }

    /// {@return a view of the existing segment `name`, which must have at least `minByteSize` bytes}
    public static SharedSegment attach(String name, long minByteSize) {
        return attach(name, minByteSize, Ownership.VIEW);
    }

    /// {@return the existing segment `name`}; with [Ownership#OWNER] the caller takes over unlinking it
    public static SharedSegment attach(String name, long minByteSize, Ownership ownership) {
        return SegmentRegistry.process().attach(name, minByteSize, ownership);
    }

    /// {@return the name}, without a leading `/`: what `SharedMemory(name=…)` takes
    public String name() {
        return name;
    }

    /// {@return the size in bytes} (of the whole segment, which may exceed what was asked when attaching)
    public long byteSize() {
        return memory.byteSize();
    }

    /// {@return the mapped memory}; using it after [#close()] throws [IllegalStateException]
    public MemorySegment memory() {
        return memory;
    }

    /// {@return whether this handle unlinks the name when closed}
    public Ownership ownership() {
        return registry != null ? Ownership.OWNER : Ownership.VIEW;
    }

    /// {@return whether [#close()] was called}
    public boolean isClosed() {
        return closed.get();
    }

    /// {@return whether [#unlink()] was called on this handle} (someone else may have removed the name anyway)
    public boolean isUnlinked() {
        return unlinked.get();
    }

    /// Allocates every page of `[offset, offset + length)` now, for a segment made with its pages
    /// to come on first touch ([SegmentRegistry#createOnTouch]): a full `/dev/shm` is then this
    /// call's error, not a SIGBUS later. Several threads may reserve their own parts at once,
    /// each faulting in its pages in one call (`MADV_POPULATE_WRITE`), where `posix_fallocate`
    /// on the whole segment is one thread's work, under the file's lock.
    /// @throws SharedMemoryFullException when the pages cannot be had
    public void reserve(long offset, long length) {
        Objects.checkFromIndexSize(offset, length, memory.byteSize());
        if (Libc.populateWrite(memory.asSlice(offset, length)) != 0) {
            // A kernel before 5.14, or pages tmpfs could not supply: posix_fallocate reserves the
            // range the older way, or says how full /dev/shm is.
            system.reserve(name, offset, length);
        }
    }

    /// Writes `length` bytes of `bytes` from `from` at `offset` of the segment, through its file
    /// (`pwrite`) rather than this process's mapping, for an owner filling a segment made with its
    /// pages on touch ([SegmentRegistry#createOnTouch]): the kernel allocates the pages as it
    /// copies into them, a full `/dev/shm` is this call's error, and no page is mapped here. That
    /// costs less than a first write through the mapping, by far where a virtual machine's
    /// hypervisor shadows its page tables (5 µs a page through the mapping, 1 µs written
    /// through the file, on Ferry's own test machine). What is written is in [#memory()] at once.
    /// Threads may write their own parts at once.
    /// @throws SharedMemoryFullException when the pages cannot be had
    /// @throws IOException when the file cannot be written for another reason
    public void write(long offset, byte[] bytes, int from, int length) throws IOException {
        Objects.checkFromIndexSize(from, length, bytes.length);
        write(offset, MemorySegment.ofArray(bytes).asSlice(from, length));
    }

    /// As [#write(long, byte[], int, int)], the bytes of `from`, whole.
    /// @throws SharedMemoryFullException when the pages cannot be had
    /// @throws IOException when the file cannot be written for another reason
    public void write(long offset, MemorySegment from) throws IOException {
        Objects.checkFromIndexSize(offset, from.byteSize(), memory.byteSize());
        FileChannel ch = filling();
        for (long done = 0; done < from.byteSize(); ) {
            // A buffer holds at most 2 GiB: a gigabyte at a time.
            ByteBuffer b = from.asSlice(done, Math.min(from.byteSize() - done, 1L << 30)).asByteBuffer();
            try {
                while (b.hasRemaining()) {
                    ch.write(b, offset + done + b.position());
                }
            } catch (IOException e) {
                if (system.usableSpace() < b.remaining()) {
                    // What was written and what there is: the last write's own size ("asked for 3.8
                    // KiB, 0 B left") said neither how much the rows needed nor how small /dev/shm is.
                    long written = offset + done + b.position();
                    SharedMemorySpace space = new SharedMemorySpace(system.directory(), system.usableSpace(),
                            system.totalSpace());
                    throw new SharedMemoryFullException("not enough shared memory for segment '" + name + "': it ran out"
                            + " after " + Sizes.human(written) + " of rows were written, and " + space + "; "
                            + SharedMemoryFullException.REMEDY,
                            written + b.remaining(), space.free());
                }
                throw e;
            }
            done += b.limit();
        }
    }

    /// Reads `length` bytes at `offset` of the segment into `into` from `at`, through its file
    /// (`pread`), as [#write(long, byte[], int, int)] writes them: no page is mapped into this
    /// process.
    /// @throws IOException when the file cannot be read
    public void read(long offset, byte[] into, int at, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, memory.byteSize());
        Objects.checkFromIndexSize(at, length, into.length);
        ByteBuffer b = ByteBuffer.wrap(into, at, length);
        FileChannel ch = filling();
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position() - at) < 0) {
                throw new java.io.EOFException("segment '" + name + "' ends before byte " + (offset + length));
            }
        }
    }

    private FileChannel filling() {
        FileChannel ch = filling;
        if (ch == null) {
            synchronized (this) {
                ch = filling;
                if (ch == null) {
                    if (closed.get()) {
                        throw new IllegalStateException("segment '" + name + "' is closed");
                    }
                    ch = filling = system.openForWriting(file);
                }
            }
        }
        return ch;
    }

    /// Makes the segment `byteSize` bytes long, for an owner filling one made with its pages on
    /// touch ([SegmentRegistry#createOnTouch]) through its file ([#write(long, MemorySegment)])
    /// whose rows outgrew it (a gzip stream's, whose count is not known before): the file is made
    /// longer and mapped anew at that size, what was written kept, the new pages coming as they
    /// are written. [#memory()] is then the new mapping; the old one stays valid, and is unmapped
    /// with it at [#close()]. {@return this}
    /// @throws IllegalArgumentException when `byteSize` is below [#byteSize()]
    /// @throws IllegalStateException    when this handle does not own the segment
    /// @throws IOException when it cannot be mapped at that size
    public SharedSegment grow(long byteSize) throws IOException {
        MemorySegment m = memory;
        if (byteSize < m.byteSize()) {
            throw new IllegalArgumentException("cannot grow segment '" + name + "' of " + m.byteSize() + " bytes to " + byteSize);
        }
        if (registry == null) {
            throw new IllegalStateException("segment '" + name + "' is not this handle's to grow: it does not own it");
        }
        if (byteSize > m.byteSize()) {
            memory = filling().map(FileChannel.MapMode.READ_WRITE, 0, byteSize, arena); // the file grows to it
        }
        return this;
    }

    /// Cuts the segment to its first `byteSize` bytes, for an owner that filled less than it made
    /// (a text file's rows, below the bound it was made for): the pages past them go back to the
    /// system, [#memory()] and [#byteSize()] become these bytes, and whoever attaches later maps
    /// only these. {@return this}
    /// @throws IllegalArgumentException when `byteSize` is below 1 (Python refuses empty segments) or above [#byteSize()]
    /// @throws IllegalStateException    when this handle does not own the segment
    public SharedSegment truncate(long byteSize) {
        MemorySegment m = memory;
        if (byteSize < 1 || byteSize > m.byteSize()) {
            throw new IllegalArgumentException("cannot cut segment '" + name + "' of " + m.byteSize() + " bytes to " + byteSize);
        }
        if (registry == null) {
            throw new IllegalStateException("segment '" + name + "' is not this handle's to cut: it does not own it");
        }
        memory = m.asSlice(0, byteSize); // first, so nothing here touches the pages that go
        system.truncate(name, byteSize);
        return this;
    }

    /// {@return whether the name still exists}: false once anyone (this handle, a consumer that
    /// took the segment over, a sweep) has unlinked it
    public boolean nameExists() {
        return system.stat(name).isPresent();
    }

    /// Gives up ownership: another party (the consumer that attaches with [Ownership#OWNER], or a
    /// [Sweep] once this process has exited) will remove the name. Closing then only unmaps.
    /// {@return this handle}
    public SharedSegment disown() {
        SegmentRegistry r = registry;
        if (r != null) {
            registry = null;
            r.forget(this);
        }
        return this;
    }

    /// Removes the name, so nobody can attach any more; every existing mapping stays valid and the
    /// memory goes when the last is unmapped. Idempotent; fine before or after [#close()], and
    /// fine when another party removed the name already. A name removed and made again by someone
    /// else since this handle mapped it names another segment, and stays.
    public void unlink() {
        if (unlinked.compareAndSet(false, true)) {
            try {
                system.unlink(file);
            } catch (RuntimeException e) {
                unlinked.set(false);   // the name is still there: a later call may retry, the registry still counts it
                throw e;
            }
            disown();
        }
    }

    /// Unmaps the segment (and, for an owner, unlinks it first). Idempotent.
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                if (registry != null) {
                    unlink();
                }
            } finally {
                closeFilling();
                arena.close();
            }
        }
    }

    private synchronized void closeFilling() {
        FileChannel ch = filling;
        filling = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // what was written is in the pages already; closing cannot lose it
            }
        }
    }

    @Override
    public String toString() {
        return "SharedSegment[" + name + ", " + memory.byteSize() + " bytes, " + ownership().name().toLowerCase()
                + (closed.get() ? ", closed" : "") + (unlinked.get() ? ", unlinked" : "") + "]";
    }
}
