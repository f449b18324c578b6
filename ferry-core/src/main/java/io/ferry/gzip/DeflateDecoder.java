package io.ferry.gzip;

import java.util.zip.DataFormatException;

/// The seam between gzip's framing ([GzipStream]: headers, trailers, checks) and the inflating of a
/// member's raw deflate data (RFC 1951), so a faster inflater can replace the JDK's without
/// touching the framing. Its shape is `java.util.zip.Inflater`'s in `nowrap` mode, piece by
/// piece: the framing hands it compressed bytes as they come and takes inflated bytes into the
/// reader's own array. [#streaming()] picks one: [IsalDeflateDecoder], ISA-L's inflate through FFM,
/// when the system has it, else [JdkDeflateDecoder].
///
/// libdeflate inflates only whole buffers, so it serves BGZF instead ([BlockInflater]), whose
/// blocks say their size (BSIZE, at most 64 KiB in and out): [BgzfReader] hands it whole blocks,
/// several readers at once on several threads.
interface DeflateDecoder extends AutoCloseable {
    /// The system property that keeps the system's inflaters (ISA-L, libdeflate) out: `java` reads
    /// gzip with the JDK's zlib only; unset or `auto`, the libraries are used when they load.
    String PROPERTY = "ferry.inflate";

    /// {@return a streaming decoder}: ISA-L's when it loads and [#PROPERTY] does not say `java`,
    /// else the JDK's
    static DeflateDecoder streaming() {
        return useLibraries() && IsalInflate.LOADED.available() ? new IsalDeflateDecoder(IsalInflate.LOADED.get())
                : new JdkDeflateDecoder();
    }

    /// {@return whether [#PROPERTY] lets the system's inflaters be used}
    /// @throws IllegalArgumentException when it holds something else than java or auto
    static boolean useLibraries() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank() || p.strip().equalsIgnoreCase("auto")) {
            return true;
        }
        if (p.strip().equalsIgnoreCase("java")) {
            return false;
        }
        throw new IllegalArgumentException("-D" + PROPERTY + " is java or auto, not '" + p + "'");
    }

    /// Gives the decoder the next compressed bytes; it may keep a reference to `b` until it
    /// [#needsInput()] again or is [#reset()].
    void setInput(byte[] b, int off, int len);

    /// Inflates into `out`. {@return the bytes written}, 0 when it needs input or the deflate data
    /// ended
    /// @throws DataFormatException for invalid deflate data, with zlib's reason
    int inflate(byte[] out, int off, int len) throws DataFormatException;

    /// {@return whether every byte given has been consumed} (and the data has not ended)
    boolean needsInput();

    /// {@return whether the deflate data ended} (its last block is done)
    boolean finished();

    /// {@return how many of the bytes last given were not consumed}: after [#finished()], those
    /// that follow the deflate data (the member's trailer, and what comes after it)
    int remaining();

    /// Makes the decoder ready for the next member's deflate data.
    void reset();

    /// Frees what the decoder holds (native memory); idempotent.
    @Override
    void close();
}
