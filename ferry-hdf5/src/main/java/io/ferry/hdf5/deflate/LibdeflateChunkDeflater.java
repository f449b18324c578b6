package io.ferry.hdf5.deflate;

import java.lang.foreign.MemorySegment;

/// [ChunkDeflater] on libdeflate ([Libdeflate]): the same standard zlib format as zlib's, faster
/// ([DeflateLibrary#LIBDEFLATE]). Owns one libdeflate compressor (they are not thread-safe, so
/// never shared).
final class LibdeflateChunkDeflater implements ChunkDeflater {
    private final Libdeflate lib;
    private MemorySegment compressor;          // NULL once closed

    /// @throws IllegalStateException when libdeflate cannot be loaded, saying why
    LibdeflateChunkDeflater(int level) {
        this.lib = Libdeflate.LOADED.get();
        this.compressor = lib.allocCompressor(level);
    }

    @Override
    public long bound(long n) {
        return lib.zlibCompressBound(open(), n);
    }

    @Override
    public long deflate(MemorySegment in, MemorySegment out) {
        if (!in.isNative() || !out.isNative()) {
            throw new IllegalArgumentException("libdeflate reads and writes native memory only");
        }
        long n = lib.zlibCompress(open(), in, out);
        return n == 0 ? -1 : n;
    }

    private MemorySegment open() {
        if (compressor.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("deflater is closed");
        }
        return compressor;
    }

    @Override
    public void close() {
        if (!compressor.equals(MemorySegment.NULL)) {
            lib.freeCompressor(compressor);
            compressor = MemorySegment.NULL;
        }
    }
}
