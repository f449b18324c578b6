package io.ferry.gzip;

import io.ferry.gzip.GzipFormatException.Problem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;

/// The inflated text of a BGZF file from the first block that starts at or after a compressed
/// offset `start`, block after block to the end of the file, checked as [GzipStream] checks
/// members; and where, in that text, the first block starting at or after `end` begins. Readers of
/// byte ranges that tile a BGZF file so inflate it on several threads at once.
///
/// ```text
///  compressed   |  block  |  block  |  block  |  block  |  block  | EOF block |
///               0         ^ start     ^ first block            ^ end  ^ the first block at or after end
///  inflated                           0 .................... rangeEnd() ......... (the reader goes on)
/// ```
///
/// A range's reader owns the lines that start in the inflated text of its blocks; see
/// `io.ferry.text.TextInput` for the rule, which is [io.ferry.text.ByteRange]'s applied to that
/// text. The first block after `start` is found by its header (`1f 8b 08`, FEXTRA, the `BC`
/// subfield, and a block or the file's end where its BSIZE leads); a reader that reaches `end`
/// checks that the same search from `end` finds the block its own chain reached, so two readers
/// can never disagree on a boundary without an error. Every block must be a BGZF block, and the
/// file must end with BGZF's empty end-of-file block (zero padding after it allowed).
///
/// Blocks are inflated whole by [BlockInflater] (libdeflate when the system has it), straight
/// into the caller's array when it has room for the block. A reader is for one thread.
public final class BgzfReader implements AutoCloseable {
    /// The way out for a BGZF file that cannot be cut into ranges, as every one of more than a
    /// part's bytes (8 MiB) is cut: read as a stream, or made all BGZF. (It said "read it whole (one
    /// worker)", which `-w 1` does not do: its parts are cut all the same.)
    private static final String WHOLE = " as Ferry cuts every BGZF file of more than 8 MiB: read it as a stream"
            + " (zcat FILE | ferry COMMAND - ...) or make it all BGZF (zcat FILE | bgzip > FILE2)";

    private static final int WINDOW = 1 << 20;

    private final FileChannel ch;
    private final String file;
    private final long size;
    private final long end;
    private final BlockInflater inflater;
    private final CRC32 crc = new CRC32();

    /// Compressed bytes: window[0, windowLen) is the file from offset windowBase.
    private final byte[] window = new byte[WINDOW];
    private long windowBase;
    private int windowLen;

    private final long firstBlock;
    /// The compressed offset of the next block.
    private long next;
    /// Inflated bytes of the blocks read so far (from the first block's first byte).
    private long inflated;
    private long rangeEnd = -1;
    private boolean lastEmpty;
    private boolean ended;
    private boolean closed;

    /// A block inflated into this buffer when the caller had no room for it: blockOut[outPos, outLen) is still to give.
    private final byte[] blockOut = new byte[GzipMember.BGZF_MAX];
    private int outPos;
    private int outLen;

    private BgzfReader(FileChannel ch, String file, long start, long end) throws IOException {
        this.ch = ch;
        this.file = file;
        this.size = ch.size();
        this.end = end;
        this.inflater = BlockInflater.create();
        try {
            this.firstBlock = start == 0 ? 0 : findBlock(start);
        } catch (IOException | RuntimeException e) {
            inflater.close();
            throw e;
        }
        this.next = firstBlock;
    }

    /// Opens the blocks of the BGZF file open in `ch` (read at positions; its own position is not
    /// used) from the first starting at or after `start`.
    ///
    /// @param file  the file's name, for messages
    /// @param end   the range's end: [#rangeEnd()] is where the first block at or after it begins
    /// @throws IOException when the file cannot be read
    public static BgzfReader open(FileChannel ch, String file, long start, long end) throws IOException {
        Objects.requireNonNull(ch, "ch");
        Objects.requireNonNull(file, "file");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad byte range [" + start + ", " + end + ")");
        }
        return new BgzfReader(ch, file, start, end);
    }

    /// {@return the compressed offset of this reader's first block}: the file's size when no block
    /// starts at or after `start`
    public long firstBlock() {
        return firstBlock;
    }

    /// {@return the compressed offset of the next block to read}: the compressed bytes consumed
    public long position() {
        return next;
    }

    /// {@return where in the inflated text the first block starting at or after `end` begins}, or
    /// -1 while the reader has not reached it; at the end of the file, the text's length if no
    /// block starts at or after `end`
    public long rangeEnd() {
        return rangeEnd;
    }

    /// Reads inflated bytes. {@return how many, at least 1, or -1 at the end of the file}
    /// @throws GzipFormatException where the file is damaged (naming the compressed offset), cut
    ///         short, holds a member that is not a BGZF block, or lacks the end-of-file block
    /// @throws IOException when the file cannot be read, or after [#close()]
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException(file + ": the BGZF reader is closed");
        }
        if (len == 0) {
            return 0;
        }
        int total = 0;
        while (total < len) {
            if (outPos < outLen) {
                int n = Math.min(len - total, outLen - outPos);
                System.arraycopy(blockOut, outPos, b, off + total, n);
                outPos += n;
                total += n;
                continue;
            }
            int n = nextBlock(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
            if (n == 0 && outPos == outLen && total > 0) {
                break; // the next block did not fit: give what there is
            }
        }
        return total == 0 && ended ? -1 : total;
    }

    /// Reads the block at [#next]: inflated into `b` when it fits in `len`, else into [#blockOut].
    /// {@return the bytes put into `b`, or -1 at the end of the file}
    private int nextBlock(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        long at = next;
        if (rangeEnd < 0 && at >= end) {
            reachEnd(at);
        }
        int avail = ensure(at, GzipMember.BGZF_MAX);
        if (avail == 0 || window[(int) (at - windowBase)] == 0) {
            if (avail > 0) {
                skipZeroPadding(at);
            }
            if (at > firstBlock || firstBlock == 0) {
                checkEnd(at);
            }
            if (rangeEnd < 0) {
                rangeEnd = inflated;
            }
            ended = true;
            return -1;
        }
        int i = (int) (at - windowBase);
        int blockSize = header(at, i, avail);
        if (blockSize > avail) {
            throw new GzipFormatException(Problem.TRUNCATED, file, 0, size, "BGZF file ends inside the block at byte " + at
                    + " (at " + at(size) + "; the block is " + blockSize + " bytes)");
        }
        int trailer = i + blockSize - GzipMember.TRAILER;
        long storedCrc = u32(window, trailer);
        long isize = u32(window, trailer + 4);
        if (isize > GzipMember.BGZF_MAX) {
            throw damaged(Problem.BAD_LENGTH, at, trailer + 4, "its trailer says it inflates to " + isize
                    + " bytes, more than a BGZF block holds (65536)");
        }
        int dataStart = i + headerLength(i);
        int outSize = (int) isize;
        byte[] dst = outSize <= len ? b : blockOut;
        int dstOff = dst == b ? off : 0;
        try {
            inflater.inflate(window, dataStart, trailer - dataStart, dst, dstOff, outSize);
        } catch (DataFormatException e) {
            throw damaged(Problem.BAD_DATA, at, dataStart, "invalid deflate data (" + e.getMessage() + ")");
        }
        crc.reset();
        crc.update(dst, dstOff, outSize);
        if (crc.getValue() != storedCrc) {
            throw damaged(Problem.BAD_CRC, at, trailer, String.format("its data's CRC-32 is 0x%08x, its trailer at byte %d says 0x%08x",
                    crc.getValue(), windowBase + trailer, storedCrc));
        }
        next = at + blockSize;
        inflated += outSize;
        lastEmpty = outSize == 0;
        if (dst == b) {
            return outSize;
        }
        outPos = 0;
        outLen = outSize;
        return 0;
    }

    /// The chain reached `at`, the first block at or after `end`: that is where the next range's
    /// reader must start, found the way it finds it.
    private void reachEnd(long at) throws IOException {
        long found = findBlock(end);
        if (found != at) {
            throw new GzipFormatException(Problem.NOT_BGZF_BLOCK, file, 0, found, "the BGZF blocks after byte " + end
                    + " start at byte " + at + ", but a search for a block header from there finds one at byte " + found
                    + " (a block header's bytes inside compressed data?): this file cannot be cut into byte ranges,"
                    + WHOLE);
        }
        rangeEnd = inflated;
    }

    /// Checks the header of the block at file offset `at`, window[i] on. {@return its size}
    private int header(long at, int i, int avail) {
        if (avail < 2 || (window[i] & 0xff) != GzipMember.ID1 || (window[i + 1] & 0xff) != GzipMember.ID2) {
            if (avail < 2 && (window[i] & 0xff) == GzipMember.ID1) {
                throw new GzipFormatException(Problem.TRUNCATED, file, 0, size, "BGZF file ends inside the block at byte "
                        + at + " (at " + at(size) + ")");
            }
            throw new GzipFormatException(Problem.TRAILING_DATA, file, 0, at, "the bytes at " + at(at)
                    + ", after a BGZF block, are not gzip (" + String.format("0x%02x", window[i] & 0xff)
                    + (avail > 1 ? String.format(" 0x%02x", window[i + 1] & 0xff) : "")
                    + ", not 0x1f 0x8b)");
        }
        if (avail < GzipMember.EXTRA + 6 + GzipMember.TRAILER) {
            throw new GzipFormatException(Problem.TRUNCATED, file, 0, size, "BGZF file ends inside the block at byte " + at
                    + " (at " + at(size) + ")");
        }
        int method = window[i + 2] & 0xff;
        int flags = window[i + 3] & 0xff;
        if (method != GzipMember.CM_DEFLATE) {
            throw badHeader(at, "compression method " + method + ", not deflate (8)");
        }
        if ((flags & GzipMember.FRESERVED) != 0) {
            throw badHeader(at, String.format("reserved flag bits set (flags 0x%02x)", flags));
        }
        int blockSize = (flags & GzipMember.FEXTRA) == 0 ? -1
                : GzipMember.bgzfBlockSize(window, i + GzipMember.EXTRA, xlen(i));
        if (blockSize < 0) {
            throw new GzipFormatException(Problem.NOT_BGZF_BLOCK, file, 0, at, "the gzip member at " + at(at)
                    + " is not a BGZF block (no BC subfield): a file that mixes BGZF blocks with other gzip members"
                    + " cannot be cut into byte ranges," + WHOLE);
        }
        if (blockSize < GzipMember.EXTRA + xlen(i) + GzipMember.TRAILER) {
            throw badHeader(at, "its BSIZE (" + (blockSize - 1) + ") is smaller than its header and trailer");
        }
        if ((flags & (GzipMember.FNAME | GzipMember.FCOMMENT | GzipMember.FHCRC)) != 0) {
            int length = headerLength(i);
            if (length < 0 || length + GzipMember.TRAILER > blockSize) {
                throw badHeader(at, "its name, comment or header CRC runs past its BSIZE (" + (blockSize - 1) + ")");
            }
            if ((flags & GzipMember.FHCRC) != 0) {
                crc.reset();
                crc.update(window, i, length - 2);
                int computed = (int) crc.getValue() & 0xffff;
                int stored = (window[i + length - 2] & 0xff) | (window[i + length - 1] & 0xff) << 8;
                if (stored != computed) {
                    throw badHeader(at, String.format("its header CRC is 0x%04x but its header's bytes give 0x%04x", stored, computed));
                }
            }
        }
        return blockSize;
    }

    /// {@return the length of the header at window[i]}, or -1 when its name or comment do not end
    /// in the window
    private int headerLength(int i) {
        int flags = window[i + 3] & 0xff;
        int p = i + GzipMember.EXTRA + xlen(i);
        for (int field : new int[] {GzipMember.FNAME, GzipMember.FCOMMENT}) {
            if ((flags & field) != 0) {
                while (p < windowLen && window[p] != 0) {
                    p++;
                }
                if (p >= windowLen) {
                    return -1;
                }
                p++;
            }
        }
        if ((flags & GzipMember.FHCRC) != 0) {
            p += 2;
        }
        return p - i;
    }

    private int xlen(int i) {
        return (window[i + GzipMember.XLEN] & 0xff) | (window[i + GzipMember.XLEN + 1] & 0xff) << 8;
    }

    /// {@return the offset of the first BGZF block starting at or after `from`}, or the file's size
    /// when there is none: a BGZF header (or the start of one cut by the file's end), whose BSIZE
    /// leads to a gzip member's header, to zeros, or to the end of the file or past it. Whatever is
    /// wrong with the block found, its reader says.
    private long findBlock(long from) throws IOException {
        long p = from;
        while (p < size) {
            int avail = ensure(p, WINDOW);
            int base = (int) (p - windowBase);
            long candidate = -1;
            for (int k = 0; k < avail; k++) {
                if ((window[base + k] & 0xff) == GzipMember.ID1) {
                    candidate = p + k;
                    break;
                }
            }
            if (candidate < 0) {
                p += avail;
                continue;
            }
            int size1 = blockSizeAt(candidate);
            if (size1 > 0) {
                long after = candidate + size1;
                if (after >= size || isMemberAt(after) || byteAt(after) == 0) {
                    return candidate;
                }
            }
            p = candidate + 1;
        }
        return size;
    }

    /// {@return the size of the BGZF block whose header is at `at`}, or -1 when no BGZF header is
    /// there, or [Integer#MAX_VALUE] for the start of one cut short by the end of the file
    private int blockSizeAt(long at) throws IOException {
        int avail = ensure(at, GzipMember.EXTRA + 6);
        int i = (int) (at - windowBase);
        if (avail < GzipMember.EXTRA + 6) {
            byte[] start = {(byte) GzipMember.ID1, (byte) GzipMember.ID2, GzipMember.CM_DEFLATE};
            for (int k = 0; k < Math.min(avail, start.length); k++) {
                if (window[i + k] != start[k]) {
                    return -1;
                }
            }
            return avail > 0 ? Integer.MAX_VALUE : -1;
        }
        if ((window[i] & 0xff) != GzipMember.ID1 || (window[i + 1] & 0xff) != GzipMember.ID2
                || window[i + 2] != GzipMember.CM_DEFLATE || (window[i + 3] & GzipMember.FEXTRA) == 0
                || (window[i + 3] & GzipMember.FRESERVED) != 0) {
            return -1;
        }
        int xlen = xlen(i);
        if (ensure(at, GzipMember.EXTRA + xlen) < GzipMember.EXTRA + xlen) {
            return -1;
        }
        i = (int) (at - windowBase);
        int blockSize = GzipMember.bgzfBlockSize(window, i + GzipMember.EXTRA, xlen);
        return blockSize >= GzipMember.EXTRA + xlen + GzipMember.TRAILER ? blockSize : -1;
    }

    /// {@return whether a gzip member's header starts at `at`}: magic, deflate, no reserved flag
    private boolean isMemberAt(long at) throws IOException {
        if (ensure(at, 4) < 4) {
            return false;
        }
        int i = (int) (at - windowBase);
        return (window[i] & 0xff) == GzipMember.ID1 && (window[i + 1] & 0xff) == GzipMember.ID2
                && window[i + 2] == GzipMember.CM_DEFLATE && (window[i + 3] & GzipMember.FRESERVED) == 0;
    }

    private int byteAt(long at) throws IOException {
        return ensure(at, 1) < 1 ? -1 : window[(int) (at - windowBase)] & 0xff;
    }

    /// Makes the window hold the file from `at` on, `n` bytes or to the end of the file.
    /// {@return how many bytes from `at` it holds, at most `n`}
    private int ensure(long at, int n) throws IOException {
        long want = Math.min(at + n, size);
        if (at < windowBase || want > windowBase + windowLen) {
            windowBase = at;
            windowLen = 0;
            ByteBuffer bb = ByteBuffer.wrap(window);
            while (bb.hasRemaining() && windowBase + windowLen < size) {
                int r = ch.read(bb, windowBase + windowLen);
                if (r < 0) {
                    break;
                }
                windowLen += r;
            }
        }
        return (int) Math.max(0, Math.min(n, windowBase + windowLen - at));
    }

    /// Zeros to the end of the file are padding, as [GzipStream] allows; anything after them is an error.
    private void skipZeroPadding(long from) throws IOException {
        long p = from;
        while (p < size) {
            int avail = ensure(p, WINDOW);
            int base = (int) (p - windowBase);
            for (int k = 0; k < avail; k++) {
                if (window[base + k] != 0) {
                    throw new GzipFormatException(Problem.TRAILING_DATA, file, 0, p + k, "after the BGZF block ending at byte "
                            + from + ", zero padding is followed by more data at " + at(p + k)
                            + ": gzip would ignore that data (\"trailing garbage ignored\") and Python's gzip read it;"
                            + " remove the zeros, or the data");
                }
            }
            p += avail;
        }
    }

    private void checkEnd(long at) {
        if (at == 0) {
            throw new GzipFormatException(Problem.NOT_GZIP, file, 0, 0, "empty, not gzip");
        }
        if (!lastEmpty) {
            throw new GzipFormatException(Problem.NO_BGZF_END, file, 0, at, "BGZF file ends after the block that ends at "
                    + at(at) + " without BGZF's empty end-of-file block: it was cut short (htslib warns \"EOF marker is absent\")");
        }
    }

    private GzipFormatException badHeader(long at, String why) {
        return new GzipFormatException(Problem.BAD_HEADER, file, 0, at, "the BGZF block at " + at(at) + " has a bad header: " + why);
    }

    /// A damaged block: `i` is the window index of the bad bytes.
    private GzipFormatException damaged(Problem problem, long blockAt, int i, String why) {
        long offset = windowBase + i;
        return new GzipFormatException(problem, file, 0, offset, "the BGZF block at " + at(blockAt) + " is damaged near byte "
                + offset + ": " + why);
    }

    private String at(long offset) {
        return "byte " + offset + " of " + size;
    }

    private static long u32(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }

    /// Frees the inflater; the channel is the caller's. Idempotent.
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inflater.close();
        }
    }
}
