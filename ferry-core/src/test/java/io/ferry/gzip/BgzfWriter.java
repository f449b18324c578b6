package io.ferry.gzip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/// Writes BGZF for tests, as `bgzip` lays it out: blocks `1f 8b 08 04 00000000 00 ff`, XLEN 6,
/// subfield `BC` of length 2 holding BSIZE, raw deflate, CRC-32 and ISIZE; then the empty end
/// block. Block sizes are the caller's, down to one byte of text, so a test can put a block
/// boundary anywhere, inside a "\r\n" too.
public final class BgzfWriter {
    /// BGZF's end-of-file block.
    public static final byte[] EOF_BLOCK = HexFormat.of().parseHex("1f8b08040000000000ff0600424302001b0003000000000000000000");

    private BgzfWriter() {
    }

    /// A BGZF file and where each block starts, the end block included.
    public record Written(Path file, byte[] bytes, List<Long> blockStarts) {
    }

    /// Writes `text` to `file` in blocks of `0xff00` bytes of text (bgzip's), with the end block.
    public static Written write(Path file, byte[] text) throws IOException {
        return write(file, text, i -> 0xff00, true);
    }

    /// Writes `text` to `file` in blocks whose text sizes `sizes` gives (for block 0, 1, …; at
    /// most 0xff00), ending with the end block when `endBlock`.
    public static Written write(Path file, byte[] text, IntUnaryOperator sizes, boolean endBlock) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> starts = new ArrayList<>();
        Deflater d = new Deflater(6, true);
        byte[] packed = new byte[0x10000 + 1024];
        int at = 0;
        for (int k = 0; at < text.length; k++) {
            int n = Math.max(1, Math.min(Math.min(sizes.applyAsInt(k), 0xff00), text.length - at));
            d.reset();
            d.setInput(text, at, n);
            d.finish();
            int len = 0;
            while (!d.finished()) {
                len += d.deflate(packed, len, packed.length - len);
            }
            starts.add((long) out.size());
            block(out, packed, len, text, at, n);
            at += n;
        }
        d.end();
        if (endBlock) {
            starts.add((long) out.size());
            out.writeBytes(EOF_BLOCK);
        }
        byte[] bytes = out.toByteArray();
        Files.write(file, bytes);
        return new Written(file, bytes, List.copyOf(starts));
    }

    private static void block(ByteArrayOutputStream out, byte[] packed, int len, byte[] text, int at, int n) {
        int bsize = 18 + len + 8 - 1;
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 4, 0, 0, 0, 0, 0, (byte) 0xff, 6, 0, 'B', 'C', 2, 0,
                (byte) bsize, (byte) (bsize >>> 8)});
        out.write(packed, 0, len);
        CRC32 crc = new CRC32();
        crc.update(text, at, n);
        le32(out, crc.getValue());
        le32(out, n);
    }

    private static void le32(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }
}
