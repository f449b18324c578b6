package io.ferry.gzip;

import java.lang.foreign.MemorySegment;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/// Inflates one whole deflate stream whose inflated size is known, as a BGZF block's is (its
/// trailer's ISIZE, at most 64 KiB): libdeflate's one-shot inflate when it loads, else the JDK's
/// zlib. One per reader, for one thread at a time.
sealed interface BlockInflater extends AutoCloseable {
    /// Inflates the deflate stream `in[inOff, inOff + inLen)` into `out[outOff, outOff + outLen)`.
    /// The stream must end exactly at `inOff + inLen` and inflate to exactly `outLen` bytes.
    /// @throws DataFormatException when it does not, or is not valid deflate data, saying why
    void inflate(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) throws DataFormatException;

    /// Frees what it holds; idempotent.
    @Override
    void close();

    /// {@return libdeflate's inflater when it loads and [DeflateDecoder#PROPERTY] does not say `java`, else the JDK's}
    static BlockInflater create() {
        return DeflateDecoder.useLibraries() && LibdeflateInflate.LOADED.available()
                ? new Libdeflate(LibdeflateInflate.LOADED.get()) : new Jdk();
    }

    /// libdeflate's `libdeflate_deflate_decompress_ex`, on the arrays themselves (a critical call).
    final class Libdeflate implements BlockInflater {
        private final LibdeflateInflate lib;
        private final MemorySegment decompressor;
        private final long[] sizes = new long[2];
        private final MemorySegment sizesSegment = MemorySegment.ofArray(sizes);
        private boolean closed;

        Libdeflate(LibdeflateInflate lib) {
            this.lib = lib;
            this.decompressor = lib.alloc();
        }

        @Override
        public void inflate(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) throws DataFormatException {
            int rc = lib.inflate(decompressor, MemorySegment.ofArray(in).asSlice(inOff, inLen),
                    MemorySegment.ofArray(out).asSlice(outOff, outLen), sizesSegment);
            if (rc != LibdeflateInflate.SUCCESS) {
                throw new DataFormatException(LibdeflateInflate.reason(rc));
            }
            if (sizes[0] != inLen) {
                throw new DataFormatException("the deflate data ends " + (inLen - sizes[0]) + " bytes before the trailer");
            }
            if (sizes[1] != outLen) {
                throw new DataFormatException("it inflates to " + sizes[1] + " bytes, its trailer says " + outLen);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                lib.free(decompressor);
            }
        }
    }

    /// `java.util.zip.Inflater` in `nowrap` mode: the fallback.
    final class Jdk implements BlockInflater {
        private final Inflater inflater = new Inflater(true);

        @Override
        public void inflate(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) throws DataFormatException {
            inflater.reset();
            inflater.setInput(in, inOff, inLen);
            int total = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(out, outOff + total, outLen - total);
                total += n;
                if (n == 0 && !inflater.finished()) {
                    if (total == outLen) {
                        // a stream that goes on past the size its trailer gives: see whether it does
                        byte[] probe = new byte[1];
                        if (inflater.inflate(probe) > 0) {
                            throw new DataFormatException("it inflates to more bytes than its trailer says (" + outLen + ")");
                        }
                    }
                    if (inflater.needsInput()) {
                        throw new DataFormatException("the deflate data is cut short by the trailer");
                    }
                    if (!inflater.finished()) {
                        throw new DataFormatException("the deflate data does not end");
                    }
                }
            }
            if (inflater.getRemaining() != 0) {
                throw new DataFormatException("the deflate data ends " + inflater.getRemaining() + " bytes before the trailer");
            }
            if (total != outLen) {
                throw new DataFormatException("it inflates to " + total + " bytes, its trailer says " + outLen);
            }
        }

        @Override
        public void close() {
            inflater.end();
        }
    }
}
