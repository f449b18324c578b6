package io.ferry.hdf5.deflate;

import java.lang.foreign.MemorySegment;

/// Deflates one chunk, whole, from native memory into native memory, in the zlib format HDF5's
/// deflate filter stores (RFC 1950, as zlib's `compress2` writes it).
///
/// Not thread-safe: each thread that deflates owns its deflater (they hold native state).
///
/// ```java
/// ChunkDeflater d = ChunkDeflater.open(DeflateLibrary.JAVA, 4);
/// try (Arena arena = Arena.ofConfined()) {
///     MemorySegment chunk = arena.allocate(1 << 20);            // a chunk of zeros
///     MemorySegment out = arena.allocate(d.bound(chunk.byteSize()));
///     long n = d.deflate(chunk, out);
///     assert n > 0 && n < 2048;
/// } finally {
///     d.close();
/// }
/// ```
public sealed interface ChunkDeflater permits JavaChunkDeflater, LibdeflateChunkDeflater, IsalChunkDeflater {
    /// {@return a deflater of `library` (resolved: not [DeflateLibrary#AUTO]) at zlib's `level`}
    /// @throws IllegalArgumentException for ISA-L at any level but 1: its levels are not zlib's
    /// @throws IllegalStateException    when the library cannot be loaded, saying why
    static ChunkDeflater open(DeflateLibrary library, int level) {
        return switch (library) {
            case JAVA -> new JavaChunkDeflater(level);
            case LIBDEFLATE -> new LibdeflateChunkDeflater(level);
            case ISAL -> {
                if (level != 1) {
                    throw new IllegalArgumentException("ISA-L deflates at its level 1 only (gzip:fast), not at zlib's level " + level);
                }
                yield new IsalChunkDeflater();
            }
            case AUTO -> throw new IllegalArgumentException("resolve AUTO first (DeflateLibrary.resolve)");
        };
    }

    /// {@return the most bytes the zlib stream of `n` input bytes can take}: an output of this
    /// size always holds the whole stream, incompressible input included
    long bound(long n);

    /// Deflates all of `in` into `out`.
    ///
    /// @return the stream's length in bytes, or -1 when it did not fit into `out`
    long deflate(MemorySegment in, MemorySegment out);

    /// Releases the deflater's native state. Idempotent.
    void close();
}
