package io.ferry.hdf5.deflate;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/// [ChunkDeflater] on the JDK's `java.util.zip.Deflater` (the JDK's zlib): always there, so it is
/// the fallback when libdeflate cannot be loaded. It reads and writes the native segments through
/// direct `ByteBuffer` views, so no chunk is copied into the Java heap.
final class JavaChunkDeflater implements ChunkDeflater {
    private final Deflater deflater;
    private boolean closed;

    JavaChunkDeflater(int level) {
        this.deflater = new Deflater(level);     // not `nowrap`: zlib format, header and Adler-32
    }

    @Override
    public long bound(long n) {
        // zlib's compressBound, plus room, so one deflate call always finishes.
        return n + (n >>> 12) + (n >>> 14) + (n >>> 25) + 13 + 64;
    }

    @Override
    public long deflate(MemorySegment in, MemorySegment out) {
        deflater.reset();
        deflater.setInput(in.asByteBuffer());
        deflater.finish();
        ByteBuffer buf = out.asByteBuffer();
        while (!deflater.finished()) {
            deflater.deflate(buf);
            if (!buf.hasRemaining() && !deflater.finished()) {
                return -1;
            }
        }
        return buf.position();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            deflater.end();
        }
    }
}
