package io.ferry.hdf5.deflate;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// [ChunkDeflater] on ISA-L ([Isal]) at its level 1: the fastest standard deflate Ferry has, for
/// `gzip:fast`. Owns its stream state and level buffer (about 600 KiB of native memory), so, like
/// the others, it is never shared between threads.
final class IsalChunkDeflater implements ChunkDeflater {
    private final Isal lib;
    private final Arena arena = Arena.ofShared();   // a chunk may be compressed by any pool thread
    private final MemorySegment stream;
    private final MemorySegment levelBuf;

    /// @throws IllegalStateException when ISA-L cannot be loaded, saying why
    IsalChunkDeflater() {
        this.lib = Isal.LOADED.get();
        this.stream = arena.allocate(Isal.STREAM_BYTES, 64);
        this.levelBuf = arena.allocate(Isal.LEVEL1_BUF_BYTES, 64);
    }

    @Override
    public long bound(long n) {
        // igzip_lib.h: stateless output is at most the input plus stored-block headers (5 bytes per
        // 64 KiB), behind the zlib header and Adler-32; the rest is room to spare.
        return n + 5 * (n / 65_535 + 1) + 6 + 1024;
    }

    @Override
    public long deflate(MemorySegment in, MemorySegment out) {
        if (!in.isNative() || !out.isNative()) {
            throw new IllegalArgumentException("ISA-L reads and writes native memory only");
        }
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("deflater is closed");
        }
        return lib.zlibCompressLevel1(stream, levelBuf, in, out);
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
