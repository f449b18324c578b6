package io.ferry.hdf5;

import io.ferry.hdf5.deflate.ChunkDeflater;
import io.ferry.hdf5.deflate.DeflateLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// Does to one chunk what HDF5's filter pipeline `shuffle → deflate` does, off the HDF5 lock, so
/// several chunks compress at once and the results go to `H5Dwrite_chunk`.
///
/// - **shuffle** (`H5Z_FILTER_SHUFFLE`): [ByteShuffle].
/// - **deflate** (`H5Z_FILTER_DEFLATE`): zlib format (RFC 1950: header, deflate stream, Adler-32),
///   as zlib's `compress2(level)` writes it, by a [ChunkDeflater] (libdeflate or `java.util.zip`).
///
/// Incompressible chunks: HDF5's own deflate filter sizes its output with zlib's `compressBound`
/// and stores whatever zlib wrote, so a chunk of random bytes is stored deflated and a little
/// longer than it came, with a filter mask of 0. This class does the same: the output buffer has
/// room for the deflater's bound, so deflating never fails and the mask stays 0.
///
/// One compressor per task at a time: it owns its native buffers (the chunk, shuffled as it is
/// copied in; the output, which `H5Dwrite_chunk` reads in place) and its deflater. The chunk is
/// copied in once, because the caller's memory is free again when [#load(MemorySegment)]
/// returns, and the shuffle is that copy: two chunk-sized buffers, not three, and no byte goes
/// through the Java heap.
final class ChunkCompressor {
    private final int elementSize;
    private final boolean shuffle;
    private final ChunkDeflater deflater;     // null: no deflate
    private final Arena arena = Arena.ofShared();
    private final MemorySegment raw;          // the chunk as loaded: shuffled, when shuffling
    private final MemorySegment out;          // null without deflate

    /// @param chunkBytes  bytes of a full chunk
    /// @param elementSize bytes per element (the dataset type's size: a whole record for a compound)
    /// @param gzipLevel   1–9, or 0 for no deflate
    /// @param library     resolved (not AUTO); unused without gzip
    ChunkCompressor(int chunkBytes, int elementSize, boolean shuffle, int gzipLevel, DeflateLibrary library) {
        this.elementSize = elementSize;
        this.shuffle = shuffle && elementSize > 1;
        this.deflater = gzipLevel > 0 ? ChunkDeflater.open(library, gzipLevel) : null;
        try {
            this.raw = arena.allocate(chunkBytes, 64);
            this.out = deflater != null ? arena.allocate(deflater.bound(chunkBytes), 64) : null;
        } catch (RuntimeException | OutOfMemoryError e) {
            close();
            throw e;
        }
    }

    /// Copies a full chunk in, shuffling it on the way when shuffling; after this the caller's
    /// memory is free again.
    void load(MemorySegment chunk) {
        if (chunk.byteSize() != raw.byteSize()) {
            throw new IllegalArgumentException("chunk of " + chunk.byteSize() + " bytes, expected " + raw.byteSize());
        }
        if (shuffle) {
            ByteShuffle.shuffle(chunk, raw, elementSize);
        } else {
            MemorySegment.copy(chunk, 0, raw, 0, raw.byteSize());
        }
    }

    /// {@return the loaded chunk, filtered, in native memory owned by this compressor} (valid until the next call)
    MemorySegment compress() {
        if (deflater == null) {
            return raw;    // shuffle alone (the parallel path is only taken with some filter): done in load
        }
        long n = deflater.deflate(raw, out);
        if (n < 0) {
            // The buffer holds the deflater's own bound, so this means a broken library; never truncate a chunk.
            throw new IllegalStateException("a deflated chunk of " + raw.byteSize() + " bytes did not fit into "
                    + out.byteSize() + " bytes");
        }
        return out.asSlice(0, n);
    }

    /// Releases the native buffers and the deflater. Idempotent.
    void close() {
        if (deflater != null) {
            deflater.close();
        }
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
