package io.ferry.gzip;

import java.io.IOException;
import java.io.InputStream;

/// An input stream whose work is in reading blocks: a single byte is a block of one.
abstract class BlockReadStream extends InputStream {
    private byte[] single;

    @Override
    public final int read() throws IOException {
        if (single == null) {
            single = new byte[1];
        }
        return read(single, 0, 1) < 0 ? -1 : single[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
