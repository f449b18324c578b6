package io.ferry.gzip;

import java.util.zip.DataFormatException;

/// The seam between gzip's framing ([GzipStream]: headers, trailers, checks) and the inflating of a
/// member's raw deflate data (RFC 1951), so a faster inflater can replace the JDK's without
/// touching the framing. Its shape is `java.util.zip.Inflater`'s in `nowrap` mode, piece by
/// piece: the framing hands it compressed bytes as they come and takes inflated bytes into the
/// reader's own array. [JdkDeflateDecoder] is the one there is.
///
/// What may come (issue 22): ISA-L's or zlib-ng's streaming inflate through FFM fits this seam as
/// it is. libdeflate inflates only whole buffers, so it fits BGZF, whose blocks say their size
/// (BSIZE, at most 64 KiB in and out): the framing would hand it whole blocks, several at once on
/// several threads, and keep this streaming decoder for members of unknown size.
interface DeflateDecoder extends AutoCloseable {
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
