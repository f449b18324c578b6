package io.ferry.hdf5;

import io.ferry.hdf5.deflate.DeflateLibrary;

import java.util.Objects;

/// How an [Hdf5Writer] writes: compression, shuffle, chunk size, threads, and whether an existing
/// file may be replaced. Immutable; make one with [#builder()] or start from [#DEFAULT].
///
/// ```java
/// WriteOptions o = WriteOptions.builder()
///         .compression(Compression.gzip(4))
///         .shuffle(true)
///         .chunkBytes(2 << 20)
///         .overwrite(true)
///         .build();
/// assert o.compression().equals(Compression.gzip(4)) && WriteOptions.DEFAULT.compression() == Compression.NONE;
/// ```
///
/// @param compression         [Compression#NONE], gzip at a level, or [Compression#GZIP_FAST]
/// @param shuffle             HDF5's byte shuffle before compression (better ratios for numbers)
/// @param chunkRows           rows per chunk; 0 means derive it from `chunkBytes`
/// @param chunkBytes          target bytes per chunk when `chunkRows` is 0 (default 1 MiB)
/// @param overwrite           replace an existing target on [Hdf5Writer#commit()]
/// @param parallelCompression shuffle and deflate on a thread pool and store finished chunks with
///                            `H5Dwrite_chunk`; false leaves filtering to HDF5 in the writing thread
/// @param threads             size of that pool (default: available processors)
/// @param deflateLibrary      what deflates chunks on that pool (default [DeflateLibrary#AUTO]:
///                            ISA-L for gzip:fast, libdeflate for the others, when they load, else
///                            `java.util.zip`; `-Dferry.deflate` overrides AUTO)
public record WriteOptions(Compression compression, boolean shuffle, long chunkRows, long chunkBytes,
                          boolean overwrite, boolean parallelCompression, int threads, DeflateLibrary deflateLibrary) {
    /// 1 MiB of records per chunk: big enough for fast I/O and good ratios, small enough to read a few rows cheaply.
    public static final long DEFAULT_CHUNK_BYTES = 1 << 20;

    /// Uncompressed, no shuffle, 1 MiB chunks, no overwrite.
    public static final WriteOptions DEFAULT = builder().build();

    public WriteOptions {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(deflateLibrary, "deflateLibrary");
        if (chunkRows < 0) {
            throw new IllegalArgumentException("chunkRows must be positive (or 0 to derive it from chunkBytes), not " + chunkRows);
        }
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be positive, not " + chunkBytes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
    }

    /// {@return the rows of a chunk for rows of `rowBytes` bytes}: [#chunkRows()] when set, else as
    /// many as fit [#chunkBytes()], at least one
    public long rowsPerChunk(long rowBytes) {
        return chunkRows > 0 ? chunkRows : Math.max(1, chunkBytes / Math.max(1, rowBytes));
    }

    /// {@return whether chunks pass through any filter}
    public boolean filtered() {
        return shuffle || compression.filterLevel() > 0;
    }

    /// {@return a builder with the default settings}
    public static Builder builder() {
        return new Builder();
    }

    /// {@return a builder starting from these settings}
    public Builder toBuilder() {
        Builder b = new Builder();
        b.compression = compression;
        b.shuffle = shuffle;
        b.chunkRows = chunkRows;
        b.chunkBytes = chunkBytes;
        b.overwrite = overwrite;
        b.parallelCompression = parallelCompression;
        b.threads = threads;
        b.deflateLibrary = deflateLibrary;
        return b;
    }

    /// Builds [WriteOptions]; every setter returns the builder.
    public static final class Builder {
        private Compression compression = Compression.NONE;
        private boolean shuffle;
        private long chunkRows;
        private long chunkBytes = DEFAULT_CHUNK_BYTES;
        private boolean overwrite;
        private boolean parallelCompression = true;
        private int threads = Runtime.getRuntime().availableProcessors();
        private DeflateLibrary deflateLibrary = DeflateLibrary.AUTO;

        private Builder() {
        }

        public Builder compression(Compression c) {
            this.compression = c;
            return this;
        }

        public Builder shuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        /// Sets rows per chunk (overrides [#chunkBytes(long)]).
        public Builder chunkRows(long rows) {
            this.chunkRows = rows;
            return this;
        }

        /// Sets the target chunk size in bytes; rows per chunk = max(1, bytes / bytes per row).
        public Builder chunkBytes(long bytes) {
            this.chunkBytes = bytes;
            this.chunkRows = 0;
            return this;
        }

        public Builder overwrite(boolean replace) {
            this.overwrite = replace;
            return this;
        }

        public Builder parallelCompression(boolean parallel) {
            this.parallelCompression = parallel;
            return this;
        }

        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /// Sets what deflates chunks with parallel compression: [DeflateLibrary#AUTO] (the default),
        /// or one forced, for benchmarks and tests.
        public Builder deflateLibrary(DeflateLibrary library) {
            this.deflateLibrary = library;
            return this;
        }

        public WriteOptions build() {
            return new WriteOptions(compression, shuffle, chunkRows, chunkBytes, overwrite, parallelCompression, threads,
                    deflateLibrary);
        }
    }
}
