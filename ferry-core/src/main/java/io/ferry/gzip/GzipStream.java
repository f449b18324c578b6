package io.ferry.gzip;

import io.ferry.gzip.GzipFormatException.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;

/// The inflated text of a gzip file: every member read whole and checked, or a
/// [GzipFormatException] naming the file, the member and the byte offset. `gzip -t` is the
/// reference; where it only warns, and would lose data, this stream refuses.
///
/// ```java
/// try (InputStream in = new GzipStream(Files.newInputStream(file), file.toString(), Files.size(file))) {
///     byte[] text = in.readAllBytes();  // all members, or a GzipFormatException
/// }
/// ```
///
/// Each member's header must have gzip's magic bytes, the deflate method and no reserved flag;
/// its extra field (BGZF's among them), name and comment are skipped, and its header CRC, when
/// it has one, checked. Its deflate data is inflated whole, and its trailer's CRC-32 and length
/// (mod 2^32) must match what it inflated to. After a member comes another member, or the end
/// of the file. `java.util.zip.GZIPInputStream` instead ends quietly, as if the file ended there,
/// at a later member it cannot read or at bytes that are not gzip, so a damaged file gave half
/// its rows and no error.
///
/// Two cases where the references disagree or say nothing, read the strict way that loses nothing:
///
/// - **Zero bytes after the last member** (tape blocks, `dd conv=sync`) are padding: accepted,
///   as `gzip -t`, `zcat` and Python's `gzip` all accept them; they hold no data to lose. Zeros
///   followed by anything else are an error: `gzip` ignores what follows (with a warning, exit 2)
///   while Python's `gzip` reads a member there, so one of the two loses data and neither guess
///   is safe.
/// - **BGZF cut at a block boundary.** A file cut exactly between two members is valid gzip, and
///   `gzip -t` passes it. BGZF, though, ends every file with an empty block, so a file whose
///   every member is a BGZF block must end with an empty one (htslib warns "EOF marker is
///   absent"; here it is an error). A concatenation of plain gzip members has no such marker: cut
///   at a member boundary, it cannot be told from a whole file.
///
/// The framing is this class; the inflating is behind [DeflateDecoder]: ISA-L's inflate when the
/// system has it (two to three times as fast as zlib), else the JDK's zlib, which inflates straight
/// into the caller's array as `GZIPInputStream` does. The CRC-32 is the JDK's intrinsic. A stream
/// is for one thread. A BGZF file cut into byte ranges is read by [BgzfReader] instead.
public final class GzipStream extends BlockReadStream {
    private static final int INPUT_BUFFER = 1 << 16;
    /// Bytes of the last input kept before the next: an inflater that read ahead past the end of
    /// the deflate data (ISA-L, up to 8 bytes) may have taken them from the input before.
    private static final int KEEP = 16;

    private enum State { NEXT_MEMBER, DATA, END }

    private final InputStream in;
    private final String file;
    private final long size;
    private final DeflateDecoder decoder;
    private final CRC32 crc = new CRC32();
    private final CRC32 headerCrc = new CRC32();

    /// Compressed bytes: input[inPos, inLimit) are not yet consumed, input[0] is at file offset
    /// inBase. While a member's data is inflated the decoder holds input[.., inLimit) and inPos
    /// is inLimit; it is refilled only when the decoder needs input, so never under the decoder.
    private final byte[] input = new byte[INPUT_BUFFER];
    private int inPos;
    private int inLimit;
    private long inBase;
    private boolean inEnded;
    private byte[] extra = new byte[64];

    private State state = State.NEXT_MEMBER;
    /// Members begun, so the current one's number (from 1).
    private int member;
    private long memberStart;
    /// Bytes the current member has inflated to so far.
    private long memberBytes;
    /// Whether every member so far was a BGZF block, and whether the last one was empty.
    private boolean allBgzf = true;
    private boolean lastEmpty;
    private GzipFormatException failure;
    private boolean closed;

    /// A stream of the text in `compressed`, a gzip file.
    ///
    /// @param compressed the gzip file's bytes from its start; closed with this stream
    /// @param file       the file's name, for messages
    /// @param size       its size in bytes, for messages, or -1 when not known
    public GzipStream(InputStream compressed, String file, long size) {
        this(compressed, file, size, DeflateDecoder.streaming());
    }

    GzipStream(InputStream compressed, String file, long size, DeflateDecoder decoder) {
        this.in = Objects.requireNonNull(compressed, "compressed");
        this.file = Objects.requireNonNull(file, "file");
        this.size = size;
        this.decoder = decoder;
    }

    /// Reads inflated bytes. {@return how many, at least 1, or -1 after the last member}
    /// @throws GzipFormatException where the file is damaged, cut short or followed by what is
    ///         not gzip; every later read throws it again
    /// @throws IOException when the file cannot be read, or after [#close()]
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException(file + ": the gzip stream is closed");
        }
        if (failure != null) {
            throw failure;
        }
        if (len == 0) {
            return 0;
        }
        try {
            while (true) {
                switch (state) {
                    case DATA -> {
                        int n = inflate(b, off, len);
                        if (n > 0) {
                            return n;
                        }
                        checkTrailer();
                        state = State.NEXT_MEMBER;
                    }
                    case NEXT_MEMBER -> state = startMember() ? State.DATA : State.END;
                    case END -> {
                        return -1;
                    }
                }
            }
        } catch (GzipFormatException e) {
            failure = e;
            throw e;
        }
    }

    /// Closes the decoder and the compressed stream; idempotent.
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            decoder.close();
        } finally {
            in.close();
        }
    }

    /// Reads the next member's header, or finds the end of the file. {@return whether a member begins}
    private boolean startMember() throws IOException {
        long at = inBase + inPos;
        int id1 = nextByte();
        if (id1 < 0) {
            if (member == 0) {
                throw new GzipFormatException(Problem.NOT_GZIP, file, 0, 0, "empty, not gzip");
            }
            checkBgzfEnd(at);
            return false;
        }
        if (id1 == 0 && member > 0) {
            skipZeroPadding(at);
            checkBgzfEnd(at);
            return false;
        }
        int id2 = nextByte();
        if (id1 != GzipMember.ID1 || id2 != GzipMember.ID2) {
            if (id1 == GzipMember.ID1 && id2 < 0) {
                throw truncated(member + 1, at);
            }
            if (member == 0) {
                throw new GzipFormatException(Problem.NOT_GZIP, file, 0, 0,
                        "not gzip: it starts with " + hex(id1) + " " + hex(id2) + ", not 0x1f 0x8b");
            }
            throw new GzipFormatException(Problem.TRAILING_DATA, file, member, at, "bytes after gzip member " + member
                    + ", from " + at(at) + ", are not gzip (gzip -t says \"trailing garbage ignored\")");
        }
        member++;
        memberStart = at;
        memberBytes = 0;
        crc.reset();
        headerCrc.reset();
        headerCrc.update(id1);
        headerCrc.update(id2);
        int method = headerByte();
        if (method != GzipMember.CM_DEFLATE) {
            throw badHeader("compression method " + method + ", not deflate (8)");
        }
        int flags = headerByte();
        if ((flags & GzipMember.FRESERVED) != 0) {
            throw badHeader("reserved flag bits set (flags " + hex(flags) + ")");
        }
        for (int i = 0; i < GzipMember.UNCHECKED_BYTES; i++) {
            headerByte();
        }
        boolean bgzf = false;
        if ((flags & GzipMember.FEXTRA) != 0) {
            int length = headerByte() | headerByte() << 8;
            if (extra.length < length) {
                extra = new byte[length];
            }
            for (int i = 0; i < length; i++) {
                extra[i] = (byte) headerByte();
            }
            bgzf = GzipMember.isBgzf(extra, length);
        }
        if ((flags & GzipMember.FNAME) != 0) {
            skipZeroEnded();
        }
        if ((flags & GzipMember.FCOMMENT) != 0) {
            skipZeroEnded();
        }
        if ((flags & GzipMember.FHCRC) != 0) {
            int computed = (int) headerCrc.getValue() & 0xffff;
            int stored = headerByte() | headerByte() << 8;
            if (stored != computed) {
                throw badHeader("its header CRC is " + hex16(stored) + " but its header's bytes give " + hex16(computed));
            }
        }
        allBgzf &= bgzf;
        decoder.reset();
        decoder.setInput(input, inPos, inLimit - inPos);
        inPos = inLimit;
        return true;
    }

    /// Inflates the current member's data into `b`. {@return the bytes inflated, 0 when its data ended}
    private int inflate(byte[] b, int off, int len) throws IOException {
        while (true) {
            int n;
            try {
                n = decoder.inflate(b, off, len);
            } catch (DataFormatException e) {
                long near = inBase + inLimit - decoder.remaining();
                throw damaged(Problem.BAD_DATA, near, "invalid deflate data near byte " + near + " (" + e.getMessage() + ")");
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                return n;
            }
            if (decoder.finished()) {
                int left = decoder.remaining();
                if (left > inLimit) { // what follows the data must still be in the buffer
                    throw new IllegalStateException(file + ": the inflater left " + left + " bytes of " + inLimit);
                }
                inPos = inLimit - left;
                return 0;
            }
            if (!decoder.needsInput()) {
                // zlib asks for a dictionary only in zlib format, never in raw deflate
                throw new IllegalStateException(file + ": the inflater neither inflates nor needs input, in gzip member " + member);
            }
            inPos = inLimit;
            if (!fill()) {
                throw truncated(member, memberStart);
            }
            decoder.setInput(input, inPos, inLimit - inPos);
            inPos = inLimit;
        }
    }

    private void checkTrailer() throws IOException {
        long at = inBase + inPos;
        long storedCrc = trailerInt();
        long storedLength = trailerInt();
        if (storedCrc != crc.getValue()) {
            throw damaged(Problem.BAD_CRC, at, String.format("its data's CRC-32 is 0x%08x, its trailer at byte %d says 0x%08x",
                    crc.getValue(), at, storedCrc));
        }
        if (storedLength != (memberBytes & 0xffff_ffffL)) {
            throw damaged(Problem.BAD_LENGTH, at + 4, "it inflates to " + memberBytes + " bytes, its trailer at byte "
                    + (at + 4) + " says " + storedLength + " (mod 2^32)");
        }
        lastEmpty = memberBytes == 0;
    }

    /// Zeros to the end of the file are padding; anything after them is an error (see the class doc).
    private void skipZeroPadding(long at) throws IOException {
        while (inPos < inLimit || fill()) {
            for (; inPos < inLimit; inPos++) {
                if (input[inPos] != 0) {
                    long data = inBase + inPos;
                    throw new GzipFormatException(Problem.TRAILING_DATA, file, member, data, "after gzip member " + member
                            + ", zero padding from byte " + at + " is followed by more data at " + at(data)
                            + ": gzip would ignore that data (\"trailing garbage ignored\") and Python's gzip read it;"
                            + " remove the zeros, or the data");
                }
            }
        }
    }

    private void checkBgzfEnd(long end) {
        if (allBgzf && !lastEmpty) {
            throw new GzipFormatException(Problem.NO_BGZF_END, file, member, end, "BGZF file ends after block " + member
                    + " without BGZF's empty end-of-file block (at " + at(end) + "): it was cut short"
                    + " (htslib warns \"EOF marker is absent\")");
        }
    }

    private void skipZeroEnded() throws IOException {
        while (headerByte() != 0) {
            // a file name or comment
        }
    }

    private int headerByte() throws IOException {
        int x = nextByte();
        if (x < 0) {
            throw truncated(member, memberStart);
        }
        headerCrc.update(x);
        return x;
    }

    private long trailerInt() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int x = nextByte();
            if (x < 0) {
                throw truncated(member, memberStart);
            }
            v |= (long) x << (8 * i);
        }
        return v;
    }

    private int nextByte() throws IOException {
        if (inPos == inLimit && !fill()) {
            return -1;
        }
        return input[inPos++] & 0xff;
    }

    /// Reads the next compressed bytes into the buffer, in place of those consumed, after the last
    /// [#KEEP] of them. {@return false at the end}
    private boolean fill() throws IOException {
        if (inEnded) {
            return false;
        }
        int keep = Math.min(KEEP, inLimit);
        System.arraycopy(input, inLimit - keep, input, 0, keep);
        inBase += inLimit - keep;
        inPos = keep;
        inLimit = keep;
        int n;
        do {
            n = in.read(input, keep, input.length - keep);
        } while (n == 0);
        if (n < 0) {
            inEnded = true;
            return false;
        }
        inLimit = keep + n;
        return true;
    }

    private GzipFormatException truncated(int memberNo, long memberAt) {
        long end = inBase + inLimit;
        return new GzipFormatException(Problem.TRUNCATED, file, memberNo, end, "gzip stream ends inside member " + memberNo
                + " (at " + at(end) + "; the member starts at byte " + memberAt + ")");
    }

    private GzipFormatException badHeader(String why) {
        return new GzipFormatException(Problem.BAD_HEADER, file, member, memberStart,
                "gzip member " + member + " at " + at(memberStart) + " has a bad header: " + why);
    }

    private GzipFormatException damaged(Problem problem, long offset, String why) {
        return new GzipFormatException(problem, file, member, offset,
                "gzip member " + member + " (at " + at(memberStart) + ") is damaged: " + why);
    }

    /// {@return "byte N of SIZE"}, or "byte N" when the size is not known
    private String at(long offset) {
        return "byte " + offset + (size >= 0 ? " of " + size : "");
    }

    private static String hex(int b) {
        return b < 0 ? "(end)" : String.format("0x%02x", b);
    }

    private static String hex16(int v) {
        return String.format("0x%04x", v);
    }
}
