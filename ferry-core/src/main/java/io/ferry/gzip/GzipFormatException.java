package io.ferry.gzip;

import io.ferry.FerryException;

/// A gzip file that is damaged, cut short, or followed by something that is not gzip: the message
/// names the file, the member (counted from 1) and the byte offset in the compressed file.
///
/// ```text
/// cut.txt.gz: gzip stream ends inside member 2 (at byte 200000 of 200000; the member starts at byte 4096)
/// x.gz: bytes after gzip member 2, from byte 4096 of 4100, are not gzip (gzip -t says "trailing garbage ignored")
/// ```
public final class GzipFormatException extends FerryException {
    /// What was wrong with the file.
    public enum Problem {
        /// The file does not start with gzip's magic bytes (or is empty).
        NOT_GZIP,
        /// The file ends inside a member: in its header, its deflate data or its trailer.
        TRUNCATED,
        /// A member's header is not one gzip allows: not deflate, reserved flags, a wrong header CRC.
        BAD_HEADER,
        /// A member's deflate data is invalid.
        BAD_DATA,
        /// A member's data does not have the CRC-32 its trailer gives.
        BAD_CRC,
        /// A member's data does not have the length (mod 2^32) its trailer gives.
        BAD_LENGTH,
        /// Bytes after a member that are not another member (zero padding to the end is allowed).
        TRAILING_DATA,
        /// A file of BGZF blocks whose last block is not BGZF's empty end-of-file block: cut short
        /// at a block boundary.
        NO_BGZF_END,
        /// A BGZF file read in byte ranges holds a gzip member that is not a BGZF block (no `BC`
        /// subfield), or the block a range's reader finds is not where its neighbour's blocks lead
        /// (a block header's bytes inside compressed data): such a file can be read whole only.
        NOT_BGZF_BLOCK
    }

    private final Problem problem;
    private final String file;
    private final int member;
    private final long offset;

    GzipFormatException(Problem problem, String file, int member, long offset, String detail) {
        super(file + ": " + detail);
        this.problem = problem;
        this.file = file;
        this.member = member;
        this.offset = offset;
    }

    /// {@return what was wrong}
    public Problem problem() {
        return problem;
    }

    /// {@return the file, as given to the stream}
    public String file() {
        return file;
    }

    /// {@return the member the problem is in or after, counted from 1}; 0 before the first, and
    /// when not known (a reader of a BGZF file's byte range does not count the blocks before it)
    public int member() {
        return member;
    }

    /// {@return the byte offset in the compressed file where the problem was found}
    public long offset() {
        return offset;
    }
}
