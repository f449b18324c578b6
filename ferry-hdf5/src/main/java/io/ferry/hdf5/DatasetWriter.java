package io.ferry.hdf5;

import io.ferry.FerryException;
import io.ferry.array.NdArray;
import io.ferry.dtype.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/// Appends rows to one dataset of an [Hdf5Sink]: chunked, unlimited along the first axis, its
/// length growing with every [#append(NdArray)].
///
/// How bytes travel depends on the filters:
///
/// - **No filter**: the array's memory goes to `H5Dwrite` as it is (a native segment's address; no
///   copy into the Java heap), straight to the file: the dataset is created with fill time
///   `H5D_FILL_TIME_NEVER`, so HDF5 writes no fill values first. Ferry writes every row up to the
///   extent; rows a later program adds by resizing, h5py's `resize` say, read as undefined until
///   that program writes them.
/// - **Shuffle and/or gzip, parallel** (the default): rows are cut into full chunks. Each chunk is
///   copied once into a compressor's native buffer (the one copy filtering needs anyway), shuffled and
///   deflated on the pool (libdeflate or `java.util.zip`, [SinkOptions#deflateLibrary()]), off the HDF5 lock, and the finished bytes go to `H5Dwrite_chunk` in
///   chunk order. A chunk's rows split over two appends wait in a staging buffer. The last partial chunk is padded with zeros, as HDF5 stores full chunks, and
///   the dataset's extent is set to the real row count.
/// - **Filters in HDF5** ([SinkOptions#parallelCompression()] off): as unfiltered; HDF5 filters in
///   the writing thread.
///
/// Not thread-safe: one thread appends. [#append(NdArray)] returns once the caller's memory is no
/// longer needed, so a chunk slot can be recycled straight away.
public final class DatasetWriter {
    private final Hdf5Sink sink;
    private final String name;
    private final DType dtype;
    private final long[] inner;
    private final long rowBytes;
    private final long chunkRows;
    private final long dataset;
    private final long type;
    private final boolean parallel;
    private final int gzipLevel;
    private final boolean shuffle;

    private long rows;              // rows accepted so far
    private long extentRows;        // the dataset's current extent along the first axis
    private long nextChunk;         // index of the next chunk handed to compression
    private final Arena arena = Arena.ofShared();
    private MemorySegment staging;  // rows of a chunk not yet complete
    private long staged;
    private final ArrayDeque<ChunkCompressor> idle = new ArrayDeque<>();
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private int compressors;
    private boolean finished;

    /// A chunk handed to the pool: `done` gives its filtered bytes.
    /// `realRows` of its rows are data; the rest of a last chunk is zero padding.
    private record Pending(long index, long realRows, ChunkCompressor compressor, Future<MemorySegment> done) {
    }

    DatasetWriter(Hdf5Sink sink, long file, String name, String source, DType dtype, long[] inner, SinkOptions o) {
        this.sink = sink;
        this.name = name;
        this.dtype = dtype;
        this.inner = inner;
        long perRow = dtype.itemSize();
        for (long d : inner) {
            perRow = Math.multiplyExact(perRow, d);
        }
        this.rowBytes = perRow;
        this.chunkRows = o.rowsPerChunk(rowBytes);
        if (chunkRows * rowBytes > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("chunks of " + chunkRows * rowBytes + " bytes are too big; keep them under 2 GiB"
                    + " (HDF5 allows 4 GiB, Ferry's compressor 2 GiB); 1 MiB is a good size");
        }
        this.gzipLevel = o.compression().filterLevel();
        this.shuffle = o.shuffle();
        this.parallel = o.filtered() && o.parallelCompression();

        long[] dims = shape(0);
        long[] max = shape(H5.UNLIMITED);
        long[] chunk = shape(chunkRows);
        long t = 0, space = 0, dcpl = 0, dapl = 0, lcpl = 0;
        try {
            t = Hdf5Types.toHdf5(dtype);
            space = H5.spaceSimple(dims, max);
            dcpl = H5.datasetCreateList();
            H5.setChunk(dcpl, chunk);
            if (shuffle) {
                H5.setShuffle(dcpl);               // before deflate: HDF5 runs filters in this order
            }
            if (gzipLevel > 0) {
                H5.setDeflate(dcpl, gzipLevel);
            }
            if (!o.filtered()) {
                // With a fill value to write (HDF5's default), every new chunk goes through a
                // buffer filled first and is written whole, and an append that ends inside it
                // writes the rest again: 743 MB written for a 520 MB file. Every row up to the
                // extent is appended, so nothing reads a fill value; rows added later by resizing
                // read as undefined until written.
                H5.setNoFill(dcpl);
            }
            dapl = H5.datasetAccessList();
            // No chunk cache: compressed chunks go by direct chunk write, and uncompressed appends
            // then go straight to the file (a chunk larger than the cache bypasses it) instead of
            // through a copy held per open dataset. A partial chunk is written in place, as HDF5
            // needs no read-modify-write without filters.
            H5.setChunkCache(dapl, 0);
            lcpl = H5.linkCreateListWithParents();
            this.dataset = H5.datasetCreate(file, name, t, space, lcpl, dcpl, dapl);
            this.type = t;
        } catch (RuntimeException e) {
            if (t != 0) {
                H5.typeClose(t);
            }
            throw e;
        } finally {
            H5.closeIfValid(space, H5::spaceClose);
            H5.closeIfValid(dcpl, H5::plistClose);
            H5.closeIfValid(dapl, H5::plistClose);
            H5.closeIfValid(lcpl, H5::plistClose);
        }
        Attributes.writeString(dataset, "ferry_version", FerryVersion.get());
        Attributes.writeString(dataset, "dtype", dtype.descrJson());
        Attributes.writeLong(dataset, "rows", 0);
        if (source != null) {
            Attributes.writeString(dataset, "source", source);
        }
    }

    /// {@return the element offset of row `row`: `(row, 0, 0, …)`}
    private long[] origin(long row) {
        long[] o = new long[inner.length + 1];
        o[0] = row;
        return o;
    }

    private long[] shape(long first) {
        long[] s = new long[inner.length + 1];
        s[0] = first;
        System.arraycopy(inner, 0, s, 1, inner.length);
        return s;
    }

    /// {@return how many compressors a dataset may hold while `open` datasets of the sink are being
    /// written}: two of its own, so it always has one to fill while the other is written, and its
    /// share of the `threads` that compress. With `threads + 2` each, as before, a sink's buffers
    /// grew with datasets × threads: on 32 cores with gzip, 2 GiB for the 32 datasets a conversion
    /// writes at once. A dataset written alone still keeps every thread busy.
    static int maxCompressors(int threads, int open) {
        return 2 + Math.ceilDiv(threads, Math.max(1, open));
    }

    /// {@return the most native memory `datasets` datasets of `dtype` hold while written at once
    /// with `options`}, besides the records they are given: with parallel compression, each
    /// holds up to [#maxCompressors(int, int)] compressors (a chunk and its deflated bound each)
    /// and a staging chunk; nothing without filters.
    public static long workingBytes(SinkOptions options, DType dtype, int datasets) {
        if (!(options.filtered() && options.parallelCompression())) {
            return 0;
        }
        long chunk = options.rowsPerChunk(dtype.itemSize()) * Math.max(1, dtype.itemSize());
        long deflated = options.compression().filterLevel() > 0 ? chunk + chunk / 64 + 1024 : 0;
        int n = Math.max(1, datasets);
        long most = 0; // k datasets open and all being written, for the k up to n that needs most
        for (int k = 1; k <= n; k++) {
            most = Math.max(most, (long) k * maxCompressors(options.threads(), k));
        }
        return most * (chunk + deflated) + n * chunk;
    }

    /// {@return the dataset's name in the file}
    public String name() {
        return name;
    }

    /// {@return the record type}
    public DType dtype() {
        return dtype;
    }

    /// {@return the rows appended so far}
    public long rows() {
        return rows;
    }

    /// {@return rows per chunk}
    public long chunkRows() {
        return chunkRows;
    }

    /// Appends the rows of `array`, whose dtype and inner shape (all but the first axis) must match
    /// this dataset's. Returns once `array`'s memory is no longer read.
    ///
    /// @throws IllegalArgumentException for another dtype or inner shape
    /// @throws FerryException           when HDF5 or compression fails; the whole sink fails then
    public DatasetWriter append(NdArray array) {
        checkOpen();
        if (!array.dtype().equals(dtype)) {
            throw new IllegalArgumentException("dataset '" + name + "' holds " + dtype + ", not " + array.dtype());
        }
        long[] s = array.shape();
        if (!Arrays.equals(Arrays.copyOfRange(s, 1, s.length), inner)) {
            throw new IllegalArgumentException("dataset '" + name + "' has rows of shape " + Arrays.toString(inner)
                    + ", not " + Arrays.toString(Arrays.copyOfRange(s, 1, s.length)));
        }
        long n = array.length();
        if (n == 0) {
            return this;
        }
        try {
            if (parallel) {
                appendChunked(array.segment(), n);
            } else {
                appendDirect(array.segment(), n);
            }
            return this;
        } catch (RuntimeException e) {
            sink.failed(e);
            throw e;
        }
    }

    private void appendDirect(MemorySegment data, long n) {
        long[] start = origin(rows);
        long[] count = shape(n);
        setExtent(rows + n);
        if (data.isNative()) {
            H5.datasetWriteBlock(dataset, type, start, count, data);
        } else {
            try (Arena temp = Arena.ofConfined()) {    // HDF5 reads native memory only
                MemorySegment copy = temp.allocate(data.byteSize(), 16).copyFrom(data);
                H5.datasetWriteBlock(dataset, type, start, count, copy);
            }
        }
        rows += n;
    }

    private void appendChunked(MemorySegment data, long n) {
        long off = 0;
        while (off < n) {
            if (staged > 0 || n - off < chunkRows) {
                long take = Math.min(chunkRows - staged, n - off);
                if (staging == null) {
                    staging = arena.allocate(chunkRows * rowBytes, 16);
                }
                MemorySegment.copy(data, off * rowBytes, staging, staged * rowBytes, take * rowBytes);
                staged += take;
                off += take;
                if (staged == chunkRows) {
                    submit(staging, chunkRows);
                    staged = 0;
                }
            } else {
                submit(data.asSlice(off * rowBytes, chunkRows * rowBytes), chunkRows);
                off += chunkRows;
            }
            writeFinished(false);
        }
        rows += n;
    }

    /// Copies a full chunk into a free compressor, on this thread (the caller's memory may be
    /// confined to it, and its memory is free again at once), and hands it to the pool.
    private void submit(MemorySegment chunk, long realRows) {
        ChunkCompressor c = idle.poll();
        while (c == null) {
            // Bounded memory: up to maxCompressors chunks in flight; else write the oldest first,
            // which frees its compressor (or closes it, when this dataset holds more than its
            // share since more datasets opened). None idle means all of them are in flight.
            if (compressors < maxCompressors(sink.options().threads(), sink.openWriters())) {
                c = new ChunkCompressor((int) (chunkRows * rowBytes), (int) dtype.itemSize(), shuffle, gzipLevel,
                        sink.deflateLibrary());
                compressors++;
            } else {
                writeOldest();
                c = idle.poll();
            }
        }
        ChunkCompressor compressor = c;
        compressor.load(chunk);
        inFlight.add(new Pending(nextChunk++, realRows, compressor, sink.pool().submit(compressor::compress)));
    }

    /// Writes finished chunks in order: those already done, or (with `all`) every one in flight.
    private void writeFinished(boolean all) {
        while (!inFlight.isEmpty() && (all || inFlight.peek().done().isDone())) {
            writeOldest();
        }
    }

    private void writeOldest() {
        Pending p = inFlight.poll();
        MemorySegment bytes;
        try {
            bytes = p.done().get();
        } catch (ExecutionException e) {
            throw new FerryException("compressing chunk " + p.index() + " of '" + name + "' failed: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException("interrupted while writing '" + name + "'", e);
        }
        long start = p.index() * chunkRows;
        if (extentRows < start + p.realRows()) {
            // H5Dwrite_chunk needs the chunk's start inside the extent. Up to the real rows only, so
            // the extent never shrinks over a stored chunk (HDF5 would rewrite that chunk to prune it).
            setExtent(start + p.realRows());
        }
        H5.datasetWriteChunk(dataset, origin(start), 0, bytes);
        if (compressors > maxCompressors(sink.options().threads(), sink.openWriters())) {
            p.compressor().close(); // more datasets opened since it was made: give its share back
            compressors--;
        } else {
            idle.add(p.compressor());
        }
    }

    /// {@return the compressors this dataset holds}, in flight and idle
    int compressors() {
        return compressors;
    }

    private void setExtent(long n) {
        H5.datasetSetExtent(dataset, shape(n));
        extentRows = n;
    }

    /// Sets a string attribute on this dataset (as h5py reads it: `str`).
    public DatasetWriter attribute(String attrName, String value) {
        checkOpen();
        Attributes.writeString(dataset, attrName, value);
        return this;
    }

    /// Sets an int64 attribute on this dataset.
    public DatasetWriter attribute(String attrName, long value) {
        checkOpen();
        Attributes.writeLong(dataset, attrName, value);
        return this;
    }

    /// Sets a float64 attribute on this dataset.
    public DatasetWriter attribute(String attrName, double value) {
        checkOpen();
        Attributes.writeDouble(dataset, attrName, value);
        return this;
    }

    /// Writes what is left (the zero-padded last chunk), sets the extent to the rows appended,
    /// records `rows`, closes the dataset and frees its buffers; idempotent. [Hdf5Sink#commit()]
    /// finishes the writers still open; finish a dataset as soon as it is complete, so a file of
    /// many datasets holds buffers (compressors, staging, HDF5's chunk cache) for the open ones only.
    public void finish() {
        if (finished) {
            return;
        }
        if (parallel) {
            if (staged > 0) {
                staging.asSlice(staged * rowBytes).fill((byte) 0);
                submit(staging, staged);
                staged = 0;
            }
            writeFinished(true);
        }
        setExtent(rows);
        Attributes.writeLong(dataset, "rows", rows);
        release();
    }

    /// Drops everything without writing (the sink is being aborted).
    void discard() {
        if (finished) {
            return;
        }
        for (Pending p : inFlight) {
            try {
                p.done().get();     // not cancelled: a running task would still hold its compressor
            } catch (Exception ignored) {
                // being discarded: only wait until no thread touches the compressor any more
            }
        }
        release();
    }

    private void release() {
        finished = true;
        sink.writerReleased();
        for (Pending p : inFlight) {
            idle.add(p.compressor());
        }
        inFlight.clear();
        idle.forEach(ChunkCompressor::close);
        idle.clear();
        try {
            H5.datasetClose(dataset);
            H5.typeClose(type);
        } finally {
            arena.close();
        }
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("dataset '" + name + "' is finished (sink committed or closed)");
        }
    }

}
