package io.ferry.text;

import java.util.Arrays;

/// `S<n>` fields from text into a row: the strings stage. numpy stores an `S` field's characters
/// as Latin-1 bytes, zeros after them to `n` bytes.
///
/// The fast path ([#copy]) takes a field of ASCII text, unquoted, that fits (or, lenient, is cut
/// to `n` as numpy cuts it): its bytes are its Latin-1 characters, copied a word at a time. Any
/// other field it leaves to the line path ([RowLoop#NOT_TAKEN]), which splits the line and calls
/// [#store] with the field's text.
final class StringFields {
    private final ByteClasses bytes;
    // What the fast path reads of the byte classes, in fields of its own: one load away in the
    // parse loop, not two (through the ByteClasses), which shows in the loop's speed.
    private final boolean[] endsString;
    private final int quote;
    private final boolean wsMode;
    private final long delimiterWord;
    private final long commentWord;
    private final boolean lenient;
    private final RowPlan plan;
    private final ParseErrors errors;

    StringFields(ByteClasses bytes, boolean lenient, RowPlan plan, ParseErrors errors) {
        this.bytes = bytes;
        this.endsString = bytes.endsString;
        this.quote = bytes.quote;
        this.wsMode = bytes.wsMode;
        this.delimiterWord = bytes.delimiterWord;
        this.commentWord = bytes.commentWord;
        this.lenient = lenient;
        this.plan = plan;
        this.errors = errors;
    }

    /// Copies the field at `b[p]` into the `n` bytes at `st[o]`.
    /// {@return the field's end, or [RowLoop#NOT_TAKEN]}
    int copy(byte[] b, int p, byte[] st, int o, int n) {
        if (n >= 8) { // a token shorter than 8 bytes: one load, one store, zeros
            long w = EightBytes.load(b, p);
            long hit = ByteClasses.stops(w, wsMode, delimiterWord, commentWord);
            if (hit != 0) {
                int len = EightBytes.firstByte(hit);
                int q = p + len;
                long keep = (1L << (len << 3)) - 1;
                // ASCII only (else Latin-1 from UTF-8), and not quoted
                if (endsString[b[q] & 0xff] && (w & keep & EightBytes.HIGH_BITS) == 0 && (int) (w & 0xff) != quote) {
                    if (n <= 16) {
                        EightBytes.store(st, o + n - 8, 0L); // the tail's zeros, overlapping the word below
                    } else {
                        Arrays.fill(st, o + 8, o + n, (byte) 0);
                    }
                    EightBytes.store(st, o, w & keep);
                    return q;
                }
            }
        }
        return copyLong(b, p, st, o, n);
    }

    /// [#copy] for a field of 8 bytes or more, or an `S` of fewer.
    private int copyLong(byte[] b, int p, byte[] st, int o, int n) {
        int q = bytes.skipToken(b, p);
        if (b[p] == quote || b[q] < 0 || !Utf8.isAscii(b, p, q)) {
            return RowLoop.NOT_TAKEN;
        }
        int len = q - p;
        if (len > n) {
            if (!lenient) {
                return RowLoop.NOT_TAKEN; // the error, unless the row's shape is one first
            }
            len = n;
        }
        int k = 0;
        for (; k + 8 <= n; k += 8) { // whole words: the token's bytes, then zeros
            int r = len - k;
            long word = r <= 0 ? 0 : EightBytes.load(b, p + k);
            EightBytes.store(st, o + k, r >= 8 ? word : word & ((1L << (r << 3)) - 1));
        }
        for (; k < n; k++) {
            st[o + k] = k < len ? b[p + k] : 0;
        }
        return q;
    }

    /// Stores the text `t[s, e)` (UTF-8) as the `S` output `j`, read from column `c`, at `st[o]`:
    /// its characters as Latin-1, zeros after them; `at` is where it starts in the line, for an error.
    /// @throws TextParseException for text that is not UTF-8, has a character past U+00FF, or
    ///         (strict) is longer than the field
    void store(byte[] t, int s, int e, byte[] st, int o, int j, int c, int at) {
        int n = plan.outSize[j];
        int len = Utf8.latin1(t, s, e, st, o, n);
        if (len < 0) {
            throw errors.notLatin1(t, s, e, j, c, at, len == Utf8.NOT_UTF8);
        }
        if (len > n && !lenient) {
            throw errors.tooLong(t, s, e, len, j, c, at);
        }
        Arrays.fill(st, o + Math.min(len, n), o + n, (byte) 0);
    }
}
