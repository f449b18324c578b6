package io.ferry.gzip;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/// A [DeflateDecoder] that is `java.util.zip.Inflater` (the JDK's zlib) in `nowrap` mode: raw
/// deflate data, no zlib header. What `GZIPInputStream` uses, so reading costs the same.
final class JdkDeflateDecoder implements DeflateDecoder {
    private final Inflater inflater = new Inflater(true);

    @Override
    public void setInput(byte[] b, int off, int len) {
        inflater.setInput(b, off, len);
    }

    @Override
    public int inflate(byte[] out, int off, int len) throws DataFormatException {
        return inflater.inflate(out, off, len);
    }

    @Override
    public boolean needsInput() {
        return inflater.needsInput();
    }

    @Override
    public boolean finished() {
        return inflater.finished();
    }

    @Override
    public int remaining() {
        return inflater.getRemaining();
    }

    @Override
    public void reset() {
        inflater.reset();
    }

    @Override
    public void close() {
        inflater.end();
    }
}
