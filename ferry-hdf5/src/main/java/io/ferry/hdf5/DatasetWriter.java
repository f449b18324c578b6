package io.ferry.hdf5;

import io.ferry.FerryException;
import io.ferry.array.NdArray;
import io.ferry.dtype.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.Consumer;

/// Appends rows to one dataset of an [Hdf5Writer]: chunked, unlimited along the first axis, its
/// length growing with every [#append(NdArray)].
///
/// How bytes travel depends on the filters:
///
/// - **No filter**: the array's memory goes to `H5Dwrite` as it is (a native segment's address; no
///   copy into the Java heap), straight to the file: the dataset is created with fill time
///   `H5D_FILL_TIME_NEVER`, so HDF5 writes no fill values first. Ferry writes every row up to the
///   extent; rows a later program adds by resizing, h5py's `resize` say, read as undefined until
///   that program writes them.
/// - **Shuffle and/or gzip, parallel** (the default): the rows go to the file's
///   [ParallelCompression], which cuts them into whole chunks, shuffles and deflates those on its
///   threads, off the HDF5 lock, and gives them back in chunk order; each is stored as it is with
///   `H5Dwrite_chunk`. The last partial chunk is padded with zeros, as HDF5 stores whole chunks,
///   and the dataset's extent is set to the real row count.
/// - **Filters in HDF5** ([WriteOptions#parallelCompression()] off): as unfiltered; HDF5 filters in
///   the writing thread.
///
/// Not thread-safe: one thread appends. [#append(NdArray)] returns once the caller's memory is no
/// longer needed, so a chunk slot can be recycled straight away.
public final class DatasetWriter {
    private final String name;
    private final DType dtype;
    private final long[] inner;
    private final long chunkRows;
    private final long dataset;
    private final long type;
    private final ParallelCompression.Queue chunks;   // null: HDF5 filters, or no filter
    private final Consumer<RuntimeException> failed;

    private long rows;              // rows accepted so far
    private long extentRows;        // the dataset's current extent along the first axis
    private boolean finished;

    /// Creates dataset `name` in `file`.
    ///
    /// @param compression the file's pool, which compresses this dataset's chunks when `o` asks
    ///                    for filters and parallel compression
    /// @param failed      told of a failure that leaves the file unusable, so that it is never committed
    DatasetWriter(long file, String name, String source, DType dtype, long[] inner, WriteOptions o,
                  ParallelCompression compression, Consumer<RuntimeException> failed) {
        this.name = name;
        this.dtype = dtype;
        this.inner = inner;
        this.failed = failed;
        long rowBytes = rowBytes(dtype, inner);
        this.chunkRows = o.rowsPerChunk(rowBytes);
        if (chunkRows * rowBytes > Integer.MAX_VALUE - 1024) {
            throw new IllegalArgumentException("chunks of " + chunkRows * rowBytes + " bytes are too big; keep them under 2 GiB"
                    + " (HDF5 allows 4 GiB, Ferry's compressor 2 GiB); 1 MiB is a good size");
        }
        int gzipLevel = o.compression().filterLevel();
        ParallelCompression.Queue queue = o.filtered() && o.parallelCompression()
                ? compression.queue(name, o, chunkRows, rowBytes, (int) dtype.itemSize(), this::storeChunk) : null;

        long[] dims = shape(0);
        long[] max = shape(H5.UNLIMITED);
        long[] chunk = shape(chunkRows);
        long t = 0, space = 0, dcpl = 0, dapl = 0, lcpl = 0;
        try {
            t = Hdf5Types.toHdf5(dtype);
            space = H5.spaceSimple(dims, max);
            dcpl = H5.datasetCreateList();
            H5.setChunk(dcpl, chunk);
            if (o.shuffle()) {
                H5.setShuffle(dcpl);               // before deflate: HDF5 runs filters in this order
            }
            if (gzipLevel > 0) {
                H5.setDeflate(dcpl, gzipLevel);
            }
            if (!o.filtered()) {
                // With a fill value to write (HDF5's default), HDF5 writes every new chunk twice:
                // filled first, then with the rows, and an append that ends inside a chunk writes
                // its rest again with the next. Every row up to the extent is appended, so nothing
                // reads a fill value; rows added later by resizing read as undefined until written.
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
            if (queue != null) {
                queue.discard();
            }
            throw e instanceof Hdf5Exception h ? Hdf5Types.datasetRefused(name, dtype, h) : e;
        } finally {
            H5.closeIfValid(space, H5::spaceClose);
            H5.closeIfValid(dcpl, H5::plistClose);
            H5.closeIfValid(dapl, H5::plistClose);
            H5.closeIfValid(lcpl, H5::plistClose);
        }
        this.chunks = queue;
        Attributes.writeDatasetHeader(dataset, dtype, 0);
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

    /// {@return the most native memory `datasets` datasets of `dtype`, each row of shape
    /// `innerShape` (none for records), hold while written at once with `options`}, besides the
    /// rows they are given: with parallel compression, their compression buffers; nothing without
    /// filters.
    public static long workingBytes(WriteOptions options, DType dtype, int datasets, long... innerShape) {
        return ParallelCompression.workingBytes(options, rowBytes(dtype, innerShape), datasets);
    }

    /// {@return the bytes of a row of `dtype` elements of shape `inner`}
    private static long rowBytes(DType dtype, long[] inner) {
        long bytes = dtype.itemSize();
        for (long d : inner) {
            bytes = Math.multiplyExact(bytes, d);
        }
        return bytes;
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
    /// @throws FerryException           when HDF5 or compression fails; the whole file fails then
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
            if (chunks != null) {
                chunks.append(array.segment(), n);
            } else {
                appendDirect(array.segment(), n);
            }
            rows += n;
            return this;
        } catch (RuntimeException e) {
            failed.accept(e);
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
    }

    /// Stores a chunk the compression queue finished, as it will be on disk (filtered).
    private void storeChunk(long index, long realRows, MemorySegment bytes) {
        long start = index * chunkRows;
        if (extentRows < start + realRows) {
            // H5Dwrite_chunk needs the chunk's start inside the extent. Up to the real rows only, so
            // the extent never shrinks over a stored chunk (HDF5 would rewrite that chunk to prune it).
            setExtent(start + realRows);
        }
        H5.datasetWriteChunk(dataset, origin(start), 0, bytes);
    }

    /// {@return the compressors this dataset holds}, in flight and idle
    int compressors() {
        return chunks == null ? 0 : chunks.compressors();
    }

    private void setExtent(long n) {
        H5.datasetSetExtent(dataset, shape(n));
        extentRows = n;
    }

    /// Sets a string attribute on this dataset (as h5py reads it: `str`).
    ///
    /// @throws IllegalArgumentException when `attrName` or `value` holds a NUL ([CStrings]): HDF5
    ///                                  would end it there; nothing is written then
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
    /// records `rows`, closes the dataset and frees its buffers; idempotent. [Hdf5Writer#commit()]
    /// finishes the writers still open; finish a dataset as soon as it is complete, so a file of
    /// many datasets holds buffers (compressors, staging) for the open ones only.
    public void finish() {
        if (finished) {
            return;
        }
        if (chunks != null) {
            chunks.finish();
        }
        setExtent(rows);
        Attributes.writeLong(dataset, "rows", rows);
        release();
    }

    /// Drops everything without writing (the file is being thrown away, or the dataset removed).
    void discard() {
        if (finished) {
            return;
        }
        if (chunks != null) {
            chunks.discard();
        }
        release();
    }

    private void release() {
        finished = true;
        try {
            H5.datasetClose(dataset);
        } finally {
            H5.typeClose(type);
        }
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("dataset '" + name + "' is finished (the file committed or closed)");
        }
    }

}
