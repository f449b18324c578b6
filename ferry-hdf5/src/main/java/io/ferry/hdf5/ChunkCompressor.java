package io.ferry.hdf5;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/// Does to one chunk what HDF5's filter pipeline `shuffle → deflate` does, in Java and off the
/// HDF5 lock, so several chunks compress at once and the results go to `H5Dwrite_chunk`.
///
/// - **shuffle** (`H5Z_FILTER_SHUFFLE`): a byte transpose by element size `s`. Of `n` elements,
///   byte `j` of element `i` goes to `j * n + i`: all first bytes, then all second bytes, ...
///   Bytes past the last whole element stay where they are. With `s = 1` it does nothing.
///
///   ```text
///   in  : a0 a1 a2 | b0 b1 b2 | c0 c1 c2       (s = 3, n = 3)
///   out : a0 b0 c0 | a1 b1 c1 | a2 b2 c2
///   ```
/// - **deflate** (`H5Z_FILTER_DEFLATE`): zlib format (RFC 1950: header, deflate stream, Adler-32),
///   as zlib's `compress2(level)` writes it, which is what [Deflater] writes without `nowrap`.
///
/// One compressor per task at a time: it owns its buffers (two heap arrays for the chunk and its
/// shuffled copy, one native buffer for the output, which `H5Dwrite_chunk` reads in place).
final class ChunkCompressor {
    private final int elementSize;
    private final boolean shuffle;
    private final Deflater deflater;          // null: no deflate
    private final byte[] raw;
    private final byte[] shuffled;
    private final Arena arena = Arena.ofShared();
    private MemorySegment out;

    /// @param chunkBytes  bytes of a full chunk
    /// @param elementSize bytes per element (the dataset type's size: a whole record for a compound)
    /// @param gzipLevel   1–9, or 0 for no deflate
    ChunkCompressor(int chunkBytes, int elementSize, boolean shuffle, int gzipLevel) {
        this.elementSize = elementSize;
        this.shuffle = shuffle && elementSize > 1;
        this.deflater = gzipLevel > 0 ? new Deflater(gzipLevel) : null;
        this.raw = new byte[chunkBytes];
        this.shuffled = this.shuffle ? new byte[chunkBytes] : null;
        this.out = arena.allocate(deflateBound(chunkBytes), 16);
    }

    /// Copies a full chunk in; after this the caller's memory is free again.
    void load(MemorySegment chunk) {
        if (chunk.byteSize() != raw.length) {
            throw new IllegalArgumentException("chunk of " + chunk.byteSize() + " bytes, expected " + raw.length);
        }
        MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, raw, 0, raw.length);
    }

    /// {@return the loaded chunk, filtered, in native memory owned by this compressor} (valid until the next call)
    MemorySegment compress() {
        byte[] input = raw;
        if (shuffle) {
            shuffle(raw, shuffled, elementSize);
            input = shuffled;
        }
        if (deflater == null) {
            MemorySegment.copy(input, 0, out, ValueLayout.JAVA_BYTE, 0, input.length);
            return out.asSlice(0, input.length);
        }
        deflater.reset();
        deflater.setInput(input);
        deflater.finish();
        ByteBuffer buf = out.asByteBuffer();
        while (!deflater.finished()) {
            deflater.deflate(buf);
            if (!buf.hasRemaining() && !deflater.finished()) {
                // Cannot happen within deflateBound, but never truncate a chunk.
                MemorySegment bigger = arena.allocate(out.byteSize() * 2, 16);
                MemorySegment.copy(out, 0, bigger, 0, buf.position());
                int pos = buf.position();
                out = bigger;
                buf = out.asByteBuffer().position(pos);
            }
        }
        return out.asSlice(0, buf.position());
    }

    /// Releases the native output buffer and the deflater.
    void close() {
        if (deflater != null) {
            deflater.end();
        }
        arena.close();
    }

    /// HDF5's shuffle of `in` into `out` (same length) for elements of `size` bytes.
    static void shuffle(byte[] in, byte[] out, int size) {
        int n = in.length / size;
        if (size <= 1 || n <= 1) {
            System.arraycopy(in, 0, out, 0, in.length);
            return;
        }
        // In blocks of elements that stay in L1 while each of their bytes is picked out.
        for (int first = 0; first < n; first += SHUFFLE_BLOCK) {
            int last = Math.min(n, first + SHUFFLE_BLOCK);
            for (int j = 0; j < size; j++) {
                int dst = j * n;
                for (int i = first, src = first * size + j; i < last; i++, src += size) {
                    out[dst + i] = in[src];
                }
            }
        }
        int tail = n * size;
        System.arraycopy(in, tail, out, tail, in.length - tail);
    }

    private static final int SHUFFLE_BLOCK = 1024;

    /// HDF5's unshuffle, the inverse of [#shuffle(byte[], byte[], int)].
    static void unshuffle(byte[] in, byte[] out, int size) {
        int n = in.length / size;
        if (size <= 1 || n <= 1) {
            System.arraycopy(in, 0, out, 0, in.length);
            return;
        }
        for (int j = 0; j < size; j++) {
            int src = j * n;
            for (int i = 0, dst = j; i < n; i++, dst += size) {
                out[dst] = in[src + i];
            }
        }
        int tail = n * size;
        System.arraycopy(in, tail, out, tail, in.length - tail);
    }

    /// zlib's `compressBound`, plus room, so one deflate call always finishes.
    static long deflateBound(long n) {
        return n + (n >>> 12) + (n >>> 14) + (n >>> 25) + 13 + 64;
    }
}
