package io.ferry.text;

import java.util.Arrays;

/// Splits one line into fields as numpy 1.24's tokenizer does (`textreading/tokenize.cpp`), on the
/// line's UTF-8 bytes: the line path, for every line the parse loop does not take (quotes,
/// non-ASCII text, comments of several characters, rows whose columns move). One instance per
/// reader, reused line after line; the fields' text is in [#text].
///
/// numpy's rules, as this class applies them:
/// - With whitespace splitting, a field starts after any run of whitespace (Python's
///   `str.isspace()`, see [Utf8]) and ends at the next; with a delimiter, every delimiter ends a
///   field, and whitespace is part of it.
/// - A field whose first character (after that whitespace) is the quote character is quoted: up to
///   the next quote everything is text, delimiters and comments included; two quotes stand for
///   one; after the closing quote the field goes on unquoted (`"ab"cd` is `abcd`). A quote anywhere
///   else is text.
/// - A comment character outside quotes ends the line. Several comments, or one of several
///   characters, are cut from the line first, each at its first occurrence, quotes or not (numpy
///   does this in Python, before its tokenizer).
/// - A line of one empty unquoted field is blank (no fields). With whitespace splitting, an empty
///   last field is dropped unless the line's first field was quoted (numpy's test of `fields[0]`).
///
/// A quote still open at the line's end: numpy goes on into the next line; Ferry, whose lines are
/// its unit of work (byte ranges, line numbers), reports it ([#openQuote]), except at the end of
/// the input, where numpy ends the field there too.
final class LineFields {
    private final boolean whitespace;
    private final int delimiter;
    private final int quote;
    /// The comment as UTF-8 (one character), or null.
    private final byte[] comment;
    /// The comments cut from a line before it is split (several, or of several characters), or null.
    private final byte[][] cutComments;

    /// The fields' text, unquoted: field k is `text[start[k], stop[k])`.
    byte[] text = new byte[256];
    int[] start = new int[16];
    int[] stop = new int[16];
    /// Where field k starts in the line: its quote, or its first byte.
    int[] source = new int[16];
    boolean[] quoted = new boolean[16];
    /// The fields of the last line split.
    int count;
    /// Where the last line's content ended: its break, or a comment.
    int contentEnd;
    /// The position of a quote the last line left open, or -1, and its field.
    int openQuote;
    int openField;

    /// A splitter of lines read with `options`.
    LineFields(LoadOptions options) {
        this.whitespace = options.delimiter() == LoadOptions.WHITESPACE;
        this.delimiter = options.delimiter();
        this.quote = options.quoteChar() < 0 ? 0x100 : options.quoteChar(); // no byte equals it
        boolean cuts = options.cutsComments();
        this.comment = options.comments().isEmpty() || cuts ? null : options.commentBytes()[0];
        this.cutComments = cuts ? options.commentBytes() : null;
    }

    /// Splits `b[from, brk)`, a line without its break; `endOfInput`: the line is the input's last
    /// and has no break (an open quote then ends there, as in numpy).
    ///
    /// {@return the number of fields}, also in [#count]
    int split(byte[] b, int from, int brk, boolean endOfInput) {
        int end = cutComments == null ? brk : cut(b, from, brk, cutComments);
        if (text.length < end - from) { // a long line's text is held once: no room to spare
            text = new byte[end - from > 1 << 20 ? end - from : Math.max(end - from, 2 * text.length)];
        }
        count = 0;
        openQuote = -1;
        contentEnd = end;
        int t = 0; // next free byte of text
        int i = from;
        boolean lineDone = false;
        while (!lineDone) {
            if (whitespace) {
                for (int k; (k = Utf8.spaceAt(b, i, end)) > 0; ) {
                    i += k;
                }
            }
            int k = add(i, t);
            if (i < end && b[i] == quote) {
                quoted[k] = true;
                i++;
                while (true) {
                    int q = indexOf(b, i, end, quote);
                    if (q < 0) {
                        if (!endOfInput) {
                            openQuote = source[k];
                            openField = k;
                        }
                        System.arraycopy(b, i, text, t, end - i);
                        t += end - i;
                        i = end;
                        break;
                    }
                    System.arraycopy(b, i, text, t, q - i);
                    t += q - i;
                    i = q + 1;
                    if (i < end && b[i] == quote) { // a doubled quote is one quote
                        text[t++] = (byte) quote;
                        i++;
                        continue;
                    }
                    break;
                }
            }
            while (true) { // the unquoted rest of the field
                if (i >= end) {
                    lineDone = true;
                    break;
                }
                int c = b[i];
                if (whitespace) {
                    int w = Utf8.spaceAt(b, i, end);
                    if (w > 0) {
                        i += w;
                        break;
                    }
                } else if (c == delimiter) {
                    i++;
                    break;
                }
                if (comment != null && c == comment[0] && startsWith(b, i, end, comment)) {
                    contentEnd = i;
                    lineDone = true;
                    break;
                }
                text[t++] = (byte) c;
                i++;
            }
            stop[k] = t;
        }
        if ((count == 1 || (count > 0 && whitespace)) && !quoted[0] && start[count - 1] == stop[count - 1]) {
            count--;
        }
        return count;
    }

    /// Starts field [#count] at line position `at`, text position `t`. {@return its index}
    private int add(int at, int t) {
        if (count == start.length) {
            int n = 2 * count;
            start = Arrays.copyOf(start, n);
            stop = Arrays.copyOf(stop, n);
            source = Arrays.copyOf(source, n);
            quoted = Arrays.copyOf(quoted, n);
        }
        start[count] = t;
        stop[count] = t;
        source[count] = at;
        quoted[count] = false;
        return count++;
    }

    private static int indexOf(byte[] b, int from, int end, int c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, int end, byte[] s) {
        if (end - at < s.length) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (b[at + i] != s[i]) {
                return false;
            }
        }
        return true;
    }

    /// {@return where the first of `comments` (each at its first occurrence, one after another, as
    /// numpy's `line.split(c, 1)[0]` for each `c`) cuts `b[from, end)`}, or `end`
    private static int cut(byte[] b, int from, int end, byte[][] comments) {
        for (byte[] c : comments) {
            for (int i = from; i + c.length <= end; i++) {
                if (b[i] == c[0] && startsWith(b, i, end, c)) {
                    end = i;
                    break;
                }
            }
        }
        return end;
    }
}
