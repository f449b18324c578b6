package io.ferry.gzip;

import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/// The known deflate stream the native inflaters check themselves against when they load: a
/// few kilobytes of a methylation table, raw deflate (no gzip framing) at level 6.
final class SelfCheckStream {
    /// The text the stream inflates to.
    static final byte[] TEXT = "chr1\t3383229\t100\t8\t0\nchr1\t3384600\t100\t28\t0\n".repeat(40)
            .getBytes(StandardCharsets.US_ASCII);

    private SelfCheckStream() {
    }

    /// {@return [#TEXT] deflated by the JDK's zlib}, exactly its bytes
    static byte[] deflated() {
        Deflater d = new Deflater(6, true);
        try {
            d.setInput(TEXT);
            d.finish();
            byte[] packed = new byte[4096];
            int n = d.deflate(packed);
            return java.util.Arrays.copyOf(packed, n);
        } finally {
            d.end();
        }
    }
}
