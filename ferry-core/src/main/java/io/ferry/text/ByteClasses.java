package io.ferry.text;

import java.util.Arrays;

/// What each byte means to the parse loop under one reader's options, and where fields end: the
/// scanning stage. A table gives each byte a class; [#after] says what the byte after a number's
/// fast path means; [#skipToken] finds a field's end eight bytes at a time.
///
/// ```text
///  class    bytes
///  ORD      everything below
///  WS       ASCII whitespace (Python's str.isspace()) but the line breaks
///  DELIM    the delimiter (none when whitespace separates fields)
///  NL, CR   '\n', '\r'
///  COMMENT  the one comment character, or the first byte of the one comment string the loop checks
///  HIGH     0x80 and above: UTF-8 beyond ASCII, whitespace or text, for the line path to judge
/// ```
///
/// The loop checks one comment: one ASCII character, or one ASCII string whose first byte has no
/// other meaning (its other bytes, [#commentRest], checked where the first one is). Other comments
/// are cut by the line path, line by line ([#loopSplits] false).
final class ByteClasses {
    static final byte ORD = 0, WS = 1, DELIM = 2, NL = 3, COMMENT = 4, CR = 5, HIGH = 6;
    /// The byte after a number's fast path: not a field's end (its full parser reads the field
    /// again), a delimiter, whitespace in whitespace mode, the end of the line's content.
    static final byte A_OTHER = 0, A_DELIM = 1, A_WS = 2, A_END = 3;

    /// Whether whitespace separates fields.
    final boolean wsMode;
    /// Each byte's class.
    final byte[] cls;
    /// What each byte means after a number's fast path.
    final byte[] after = new byte[256];
    /// For a string field: the bytes that end it.
    final boolean[] endsString = new boolean[256];
    /// The delimiter, or a value no byte has in whitespace mode.
    final int separator;
    /// The quote byte, or a value no byte has.
    final int quote;
    /// The rest of the one comment string the loop checks, or null for a comment of one character.
    private final byte[] commentRest;
    /// The delimiter (whitespace mode: '\n') and comment (none: '\n') bytes in each byte of a long.
    final long delimiterWord;
    final long commentWord;
    /// Whether the parse loop can split lines by these bytes: its comment is one it checks, and no
    /// delimiter, comment or quote is a byte a number's fast path reads as part of the number
    /// ("1.5" with '.' as the delimiter would be one number to it).
    final boolean loopSplits;

    ByteClasses(LoadOptions options) {
        this.wsMode = options.delimiter() == LoadOptions.WHITESPACE;
        this.separator = wsMode ? 0x100 : (byte) options.delimiter();
        this.quote = options.quoteChar() == LoadOptions.NONE ? 0x100 : options.quoteChar();
        int commentByte = options.commentByte();
        byte[] rest = null;
        boolean loopComments = true;
        if (options.cutsComments()) {
            byte[][] c = options.commentBytes();
            int first = c[0][0];
            if (c.length == 1 && Utf8.isAscii(c[0], 0, c[0].length) && first != options.delimiter()
                    && !(wsMode && Utf8.isPythonSpace(first))) {
                commentByte = first;
                rest = Arrays.copyOfRange(c[0], 1, c[0].length);
            } else {
                loopComments = false;
            }
        } else {
            loopComments = options.comments().isEmpty() || commentByte >= 0; // not one non-ASCII character
        }
        this.commentRest = rest;
        this.loopSplits = loopComments && !isNumberByte(options.delimiter()) && !isNumberByte(commentByte)
                && !isNumberByte(options.quoteChar());
        this.cls = classes(options, commentByte);
        for (int x = 0; x < 256; x++) {
            after[x] = switch (cls[x]) {
                case DELIM -> A_DELIM;
                case WS -> wsMode ? A_WS : A_OTHER; // a delimited number with trailing spaces: the full parser
                case NL, CR -> A_END;
                case COMMENT -> rest == null ? A_END : A_OTHER; // several characters: is it one?
                default -> A_OTHER;
            };
        }
        for (int b = 0; b < 256; b++) {
            byte c = cls[b];
            endsString[b] = c == NL || c == COMMENT || c == CR || c == DELIM || (wsMode && c == WS);
        }
        this.delimiterWord = EightBytes.repeat(wsMode ? '\n' : options.delimiter());
        this.commentWord = EightBytes.repeat(commentByte < 0 ? '\n' : commentByte);
    }

    /// {@return whether `b[p]`, of class `c`, ends the line's content}: a line break, or the comment
    boolean isLineEnd(byte[] b, int p, int c) {
        return c == NL || c == CR || (c == COMMENT && (commentRest == null || isComment(b, p)));
    }

    /// {@return whether the comment starts at `b[p]`}, where its first byte is
    boolean isComment(byte[] b, int p) {
        byte[] rest = commentRest;
        if (rest == null) {
            return true;
        }
        for (int i = 0; i < rest.length; i++) {
            if (b[p + 1 + i] != rest[i]) { // a line break ends the line before the array does
                return false;
            }
        }
        return true;
    }

    /// {@return the end of the field starting at `p`}: the first delimiter (whitespace in
    /// whitespace mode, beyond ASCII too), comment character, or line break. Eight bytes at a
    /// time: a mask marks the candidates (exact for the first, see [EightBytes]), the class table
    /// confirms them.
    int skipToken(byte[] b, int p) {
        final boolean[] ends = endsString;
        while (true) {
            long w = EightBytes.load(b, p);
            long hit = stops(w);
            if (hit == 0) {
                p += 8;
                continue;
            }
            int q = p + EightBytes.firstByte(hit);
            if (ends[b[q] & 0xff] || (b[q] < 0 && Utf8.spaceAt(b, q, q + 3) > 0)) {
                return q;
            }
            p = q + 1;
        }
    }

    /// {@return the end of the field at `p`, which is not read, or [RowLoop#NOT_TAKEN]} for one the
    /// line path must split: quoted, or ended by whitespace past ASCII
    int skipField(byte[] b, int p) {
        if (b[p] == quote) {
            return RowLoop.NOT_TAKEN;
        }
        int q = skipToken(b, p);
        return b[q] < 0 ? RowLoop.NOT_TAKEN : q;
    }

    /// {@return the top bit set in the bytes of `w` that may end a field}: see [#stops(long, boolean, long, long)]
    long stops(long w) {
        return stops(w, wsMode, delimiterWord, commentWord);
    }

    /// {@return the top bit set in the bytes of `w` that may end a field}: below 0x21 (space, tab,
    /// `\r`, `\n`, …) and at or above 0x80 in whitespace mode, below 0x0e (`\r`, `\n`, …) or the
    /// delimiter otherwise, and the comment character. Static, with the reader's values as
    /// arguments, for a fast path that keeps them in its own fields: one load away in the loop.
    static long stops(long w, boolean wsMode, long delimiterWord, long commentWord) {
        return (wsMode ? EightBytes.below(w, 0x21) | (w & EightBytes.HIGH_BITS) : EightBytes.below(w, 0x0e)
                | EightBytes.equal(w, delimiterWord)) | EightBytes.equal(w, commentWord);
    }

    /// {@return whether a number's fast path reads `c` as part of a number}: a digit, sign or point
    private static boolean isNumberByte(int c) {
        return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }

    private static byte[] classes(LoadOptions options, int commentByte) {
        byte[] c = new byte[256];
        for (int b = 0x80; b < 0x100; b++) {
            c[b] = HIGH;
        }
        for (int b = 0; b < 0x80; b++) {
            if (Utf8.isPythonSpace(b)) {
                c[b] = WS;
            }
        }
        c['\n'] = NL;
        c['\r'] = CR;
        if (commentByte >= 0) {
            c[commentByte] = COMMENT;
        }
        if (options.delimiter() != LoadOptions.WHITESPACE) {
            c[options.delimiter()] = DELIM;
        }
        return c;
    }
}
