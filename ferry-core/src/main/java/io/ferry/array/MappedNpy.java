package io.ferry.array;

import io.ferry.dtype.DType;
import io.ferry.file.FileErrors;
import io.ferry.file.OutputFile;
import io.ferry.proc.ProcessLimits;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/// An `.npy` file filled in place through a memory mapping, for an array whose length is known
/// only as an upper bound before it is filled (a text file's lines): made at that length under a
/// temporary name, filled, then cut to the rows there were, given its final header and renamed
/// onto the output, so nothing is copied and an error leaves the output as it was.
///
/// ```java
/// OutputFile out = OutputFile.of(Path.of("x.npy"), true, List.of());
/// try (MappedNpy npy = MappedNpy.create(out, DType.parse("<i4"), 1000)) {
///     npy.data().set(ValueLayout.JAVA_INT_UNALIGNED, 0, 7);   // row 0
///     npy.commit(new long[]{1});                               // np.load gives array([7])
/// }
/// ```
public final class MappedNpy implements AutoCloseable {
    private final OutputFile out;
    private final DType dtype;
    private final int headerBytes;
    private final FileChannel channel;
    private Arena arena;          // replaced, with the mapping, when the file grows
    private MemorySegment data;
    private boolean committed;

    private MappedNpy(OutputFile out, DType dtype, int headerBytes, FileChannel channel, Arena arena, MemorySegment data) {
        this.out = out;
        this.dtype = dtype;
        this.headerBytes = headerBytes;
        this.channel = channel;
        this.arena = arena;
        this.data = data;
    }

    /// Creates `out`'s temporary file, sized and mapped for `capacity` rows of `rowValues` items each.
    /// {@return the file, to fill through [#data()]}
    /// @throws IOException when it cannot be made; nothing is left then
    public static MappedNpy create(OutputFile out, DType dtype, long capacity, long rowValues) throws IOException {
        Objects.requireNonNull(out, "out");
        long rowBytes = Math.multiplyExact(dtype.itemSize(), rowValues);
        long dataBytes = Math.multiplyExact(capacity, rowBytes);
        // Room for any number of rows: the header is rewritten once it is known. Its rank and row
        // length are known now (np.loadtxt's ndmin=1 shapes: records (rows,), one value a row
        // (rows,), else (rows, values)), and np.save leaves room for the rows' digits, so the
        // header comes out as long as np.save's, byte for byte; a 2-D room made the header of a
        // table of records 64 bytes longer for a third of the names' lengths.
        long[] room = dtype.isStructured() || rowValues == 1 ? new long[]{Long.MAX_VALUE}
                : new long[]{Long.MAX_VALUE, rowValues};
        int headerBytes = Npy.header(dtype, room).length;
        ProcessLimits.checkFileSize(out.named() + ": the output, made for " + capacity + " rows,",
                headerBytes + dataBytes);
        out.createTemporary();
        FileChannel ch = null;
        Arena arena = Arena.ofShared();
        try {
            ch = FileChannel.open(out.temporary(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            ch.truncate(0);
            MemorySegment data = dataBytes == 0 ? MemorySegment.NULL.reinterpret(0)
                    : sizedAndMapped(ch, headerBytes, dataBytes, arena);
            return new MappedNpy(out, dtype, headerBytes, ch, arena, data);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            if (ch != null) {
                ch.close();
            }
            out.discard();
            if (e instanceof IOException io && !String.valueOf(io.getMessage()).contains(out.named().toString())) {
                // the JDK's message ("No space left on device") names no file
                throw new IOException(out.named() + ": cannot make the output: " + FileErrors.describe(io), io);
            }
            throw e;
        }
    }

    /// {@return the same as [#create(OutputFile, DType, long, long)] for one item a row}
    public static MappedNpy create(OutputFile out, DType dtype, long capacity) throws IOException {
        return create(out, dtype, capacity, 1);
    }

    /// Makes the data `dataBytes` long (more than it is), for rows whose count was not known when
    /// the file was made (a gzip stream's): the file grows, sparse, and is mapped anew; what was
    /// written is kept. The memory [#data()] gave before is unmapped: use the one it gives now.
    /// {@return the data's memory, now that long}
    /// @throws IOException when the file cannot grow
    public MemorySegment grow(long dataBytes) throws IOException {
        if (dataBytes < data.byteSize()) {
            throw new IllegalArgumentException("cannot grow the data of " + data.byteSize() + " bytes to " + dataBytes);
        }
        if (dataBytes > data.byteSize()) {
            Arena longer = Arena.ofShared();
            MemorySegment grown;
            try {
                ProcessLimits.checkFileSize(out.named() + ": the output, made longer for rows to come,",
                        headerBytes + dataBytes);
                grown = sizedAndMapped(channel, headerBytes, dataBytes, longer);
            } catch (IOException | RuntimeException e) {
                longer.close();
                throw e;
            }
            arena.close();
            arena = longer;
            data = grown;
        }
        return data;
    }

    /// {@return the data of `ch`'s file, `dataBytes` (more than 0) after its header, mapped into
    /// `arena`}, the file made that long first (sparse: pages come as rows are written) by a zero
    /// written as its last byte, past any row written before it grew; not one byte past it, which
    /// made a file that would just fit under `ulimit -f` fail
    private static MemorySegment sizedAndMapped(FileChannel ch, int headerBytes, long dataBytes, Arena arena)
            throws IOException {
        ch.write(ByteBuffer.allocate(1), headerBytes + dataBytes - 1);
        return ch.map(FileChannel.MapMode.READ_WRITE, headerBytes, dataBytes, arena);
    }

    /// {@return the data's memory}: rows of the dtype, C order, from offset 0
    public MemorySegment data() {
        return data;
    }

    /// Writes `length` bytes of `bytes` from `from` at byte `offset` of the data, through the file
    /// (`pwrite`) rather than the mapping: the kernel copies them into the pages it allocates, none
    /// of which is then mapped in this process (a page's first write through a mapping costs most
    /// where a hypervisor shadows page tables: see [io.ferry.text.ParallelLoad.Memory#write]).
    /// What is written is in [#data()] at once. Threads may write their own parts at once.
    /// @throws IOException when the file cannot be written (a full disk)
    public void write(long offset, byte[] bytes, int from, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.byteSize());
        Objects.checkFromIndexSize(from, length, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes, from, length);
        try {
            while (b.hasRemaining()) {
                channel.write(b, headerBytes + offset + b.position() - from);
            }
        } catch (java.nio.channels.ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) { // the JDK's message ("No space left on device") names no file
            throw new IOException(out.named() + ": cannot write the rows: " + e.getMessage(), e);
        }
    }

    /// Reads `length` bytes at byte `offset` of the data into `into` from `at`, through the file
    /// (`pread`), as [#write] writes them: no page is mapped into this process.
    /// @throws IOException when the file cannot be read
    public void read(long offset, byte[] into, int at, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.byteSize());
        Objects.checkFromIndexSize(at, length, into.length);
        ByteBuffer b = ByteBuffer.wrap(into, at, length);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, headerBytes + offset + b.position() - at) < 0) {
                    throw new java.io.EOFException("the file ends before byte " + (headerBytes + offset + length));
                }
            }
        } catch (java.nio.channels.ClosedByInterruptException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(out.named() + ": cannot read the rows back: " + e.getMessage(), e);
        }
    }

    /// Cuts the file at byte `offset` of the data, giving back the pages past it, for rows that
    /// will not be there (a load's rows moved down from there). The mapping stays as long as it
    /// was: nothing may touch it past `offset` from now on.
    /// @throws IOException when the file cannot be cut
    public void release(long offset) throws IOException {
        Objects.checkIndex(offset, data.byteSize() + 1);
        channel.truncate(headerBytes + offset);
    }

    /// Ends the file with the array of `shape` (its first rows), unmapped, cut to its size and
    /// renamed onto the output.
    /// @throws IOException when it cannot be written or renamed; the output stays as it was
    public void commit(long[] shape) throws IOException {
        long bytes = byteSize(dtype, shape);
        if (bytes > data.byteSize()) {
            throw new IllegalArgumentException("an array of shape " + java.util.Arrays.toString(shape) + " needs "
                    + bytes + " bytes; the file was made for " + data.byteSize());
        }
        arena.close(); // unmap first: the pages past the end go when the file is cut
        channel.truncate(headerBytes + bytes);
        ByteBuffer header = ByteBuffer.wrap(Npy.header(dtype, shape, headerBytes));
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
        channel.close();
        out.commit();
        committed = true;
    }

    /// Unmaps and closes; removes the temporary file unless it was committed.
    @Override
    public void close() throws IOException {
        if (arena.scope().isAlive()) {
            arena.close();
        }
        channel.close();
        if (!committed) {
            out.discard();
        }
    }

    private static long byteSize(DType dtype, long[] shape) {
        long n = dtype.itemSize();
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
