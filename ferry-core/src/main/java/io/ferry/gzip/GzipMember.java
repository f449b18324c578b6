package io.ferry.gzip;

/// The layout of one gzip member (RFC 1952); numbers are little-endian. A gzip file is one or more
/// members one after another (what `cat a.gz b.gz` makes); BGZF, the blocked gzip of genomics, is
/// members of at most 64 KiB each, every one with a `BC` extra subfield, and an empty one last.
///
/// ```text
///  0     1     2     3     4           8     9     10
///  +-----+-----+-----+-----+-----------+-----+-----+
///  | ID1 | ID2 | CM  | FLG |   MTIME   | XFL | OS  |   ID1 ID2 = 1f 8b; CM = 8 (deflate)
///  +-----+-----+-----+-----+-----------+-----+-----+
///  then, as FLG says, in this order:
///   FEXTRA    XLEN (2 bytes), then XLEN bytes of subfields, each SI1 SI2 LEN (2 bytes) and LEN bytes;
///             BGZF: SI1 SI2 = 'B' 'C', LEN = 2, the data BSIZE = the member's size - 1
///   FNAME     the original file name, ended by a zero byte
///   FCOMMENT  a comment, ended by a zero byte
///   FHCRC     CRC16 (2 bytes): the low 16 bits of the CRC-32 of every header byte before it
///  then the deflate data (RFC 1951), then the trailer:
///  +-----------+-----------+
///  |   CRC32   |   ISIZE   |   CRC-32 of the inflated data; its length mod 2^32
///  +-----------+-----------+
/// ```
///
/// BGZF's end-of-file block, the 28 bytes that end every BGZF file, is such a member holding nothing:
/// `1f 8b 08 04 00000000 00 ff 0600 42 43 0200 1b00 0300 00000000 00000000`.
final class GzipMember {
    static final int ID1 = 0x1f;
    static final int ID2 = 0x8b;
    static final int CM_DEFLATE = 8;

    static final int FTEXT = 1;
    static final int FHCRC = 2;
    static final int FEXTRA = 4;
    static final int FNAME = 8;
    static final int FCOMMENT = 16;
    /// RFC 1952: "A compliant decompressor must give an error indication if any reserved bit is non-zero".
    static final int FRESERVED = 0xe0;

    /// MTIME, XFL and OS: the header bytes after FLG that no check reads.
    static final int UNCHECKED_BYTES = 6;
    /// The offset of XLEN, when FEXTRA is set, and of the extra field after it.
    static final int XLEN = 10;
    static final int EXTRA = 12;
    /// The trailer's size: CRC32 and ISIZE.
    static final int TRAILER = 8;
    /// The most a BGZF block holds, in and out.
    static final int BGZF_MAX = 1 << 16;

    private static final int BGZF_SI1 = 'B';
    private static final int BGZF_SI2 = 'C';
    private static final int BGZF_LEN = 2;

    private GzipMember() {
    }

    /// {@return whether the extra field `extra[0, length)` holds BGZF's `BC` subfield}
    static boolean isBgzf(byte[] extra, int length) {
        return bgzfBlockSize(extra, 0, length) > 0;
    }

    /// {@return the size of the BGZF block (BSIZE + 1) whose extra field is `b[from, from + length)`},
    /// or -1 when it holds no `BC` subfield
    static int bgzfBlockSize(byte[] b, int from, int length) {
        int p = 0;
        while (p + 4 <= length) {
            int si1 = b[from + p] & 0xff;
            int si2 = b[from + p + 1] & 0xff;
            int len = (b[from + p + 2] & 0xff) | (b[from + p + 3] & 0xff) << 8;
            if (si1 == BGZF_SI1 && si2 == BGZF_SI2 && len == BGZF_LEN && p + 4 + len <= length) {
                return ((b[from + p + 4] & 0xff) | (b[from + p + 5] & 0xff) << 8) + 1;
            }
            p += 4 + len;
        }
        return -1;
    }
}
