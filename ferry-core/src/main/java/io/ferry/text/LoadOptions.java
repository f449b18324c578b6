package io.ferry.text;

import io.ferry.json.Json;
import io.ferry.json.JsonException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// How a text table is read: an immutable value with a [Builder] and a [#DEFAULT] that reads as
/// `np.loadtxt(path, dtype=…, ndmin=1)` does with its defaults.
///
/// ```java
/// LoadOptions tsv = LoadOptions.builder().delimiter('\t').skipRows(1).useCols(0, 1, 4).build();
/// assert tsv.delimiter() == '\t' && tsv.comments().equals(List.of("#")) && tsv.skipRows() == 1;
/// LoadOptions csv = LoadOptions.builder().delimiter(',').quoteChar('"').build();
/// LoadOptions code = LoadOptions.builder().comments("#", "//").build();
/// assert csv.quoteChar() == '"' && code.comments().size() == 2;
/// assert LoadOptions.DEFAULT.delimiter() == LoadOptions.WHITESPACE && !LoadOptions.DEFAULT.lenient();
/// ```
///
/// [Builder#build()] refuses what numpy refuses: a delimiter, comment or quote character that is
/// a line break, two of them equal, a whitespace comment or quote character when whitespace
/// separates fields, several comments or a multi-character one together with a quote character.
public final class LoadOptions {
    /// The [#delimiter()] that means "runs of whitespace separate fields", numpy's `delimiter=None`.
    public static final int WHITESPACE = -1;
    /// The [#quoteChar()] value that means "no quoting" (numpy's default, `quotechar=None`).
    public static final int NONE = -1;
    /// The [#maxRows()] value that means "every row".
    public static final long ALL_ROWS = -1;
    /// The default [#maxLineBytes()]: 64 MiB.
    public static final long DEFAULT_MAX_LINE_BYTES = 64L << 20;
    /// The smallest [#maxLineBytes()] one may set: 1 MiB.
    public static final long MIN_MAX_LINE_BYTES = 1L << 20;
    /// The largest [#maxLineBytes()] one may set: 1 GiB.
    public static final long MAX_MAX_LINE_BYTES = 1L << 30;

    /// Whitespace-separated fields, `#` comments, no quoting, every row, strict.
    public static final LoadOptions DEFAULT = builder().build();

    private final int delimiter;
    private final List<String> comments;
    private final int quoteChar;
    private final long skipRows;
    private final int[] useCols;
    private final long maxRows;
    private final boolean lenient;
    private final long maxLineBytes;
    private final boolean afterHeader;

    private LoadOptions(Builder b) {
        this.delimiter = b.delimiter;
        this.comments = b.comments;
        this.quoteChar = b.quoteChar;
        this.skipRows = b.skipRows;
        this.useCols = b.useCols == null ? null : b.useCols.clone();
        this.maxRows = b.maxRows;
        this.lenient = b.lenient;
        this.maxLineBytes = b.maxLineBytes;
        this.afterHeader = b.afterHeader;
    }

    /// {@return a builder starting from the defaults}
    public static Builder builder() {
        return new Builder();
    }

    /// {@return a builder starting from these options}
    public Builder toBuilder() {
        Builder b = new Builder();
        b.delimiter = delimiter;
        b.comments = comments;
        b.quoteChar = quoteChar;
        b.skipRows = skipRows;
        b.useCols = useCols == null ? null : useCols.clone();
        b.maxRows = maxRows;
        b.lenient = lenient;
        b.maxLineBytes = maxLineBytes;
        b.afterHeader = afterHeader;
        return b;
    }

    /// {@return these options as JSON}, for a child JVM: every option, characters as their codes
    /// (`{"delimiter": 9, "comments": ["#"], "quoteChar": -1, "skipRows": 0, "maxRows": -1,
    /// "lenient": false, "maxLineBytes": 67108864}`, and `"useCols": [0, 1]` when set).
    /// [#fromJson(Object)] reads it back equal.
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delimiter", (long) delimiter);
        m.put("comments", new ArrayList<Object>(comments));
        m.put("quoteChar", (long) quoteChar);
        m.put("skipRows", skipRows);
        if (useCols != null) {
            List<Object> cols = new ArrayList<>();
            for (int c : useCols) {
                cols.add((long) c);
            }
            m.put("useCols", cols);
        }
        m.put("maxRows", maxRows);
        m.put("lenient", lenient);
        m.put("maxLineBytes", maxLineBytes);
        if (afterHeader) {
            m.put("afterHeader", true);
        }
        return m;
    }

    /// {@return the options [#toJson()] wrote}; a key that is missing keeps its default, keys of
    /// other things (a `"dtype"` beside them) are ignored
    /// @throws JsonException            when a number or a string has the wrong JSON type
    /// @throws IllegalArgumentException when `lenient` is not a boolean, or an option is not valid
    ///                                  (alone or with the others), as [Builder] says
    public static LoadOptions fromJson(Object json) {
        Map<String, Object> m = Json.asObject(json, "the load options");
        Builder b = builder();
        if (m.containsKey("delimiter")) {
            long d = Json.asLong(m.get("delimiter"), "delimiter");
            if (d == WHITESPACE) {
                b.whitespaceDelimited();
            } else {
                b.delimiter(character(d, "delimiter"));
            }
        }
        if (m.containsKey("comments")) {
            b.comments(Json.asList(m.get("comments"), "comments").stream().map(c -> Json.asString(c, "comment"))
                    .toArray(String[]::new));
        }
        if (m.containsKey("quoteChar")) {
            long q = Json.asLong(m.get("quoteChar"), "quoteChar");
            if (q == NONE) {
                b.noQuoteChar();
            } else {
                b.quoteChar(character(q, "quoteChar"));
            }
        }
        if (m.containsKey("skipRows")) {
            b.skipRows(Json.asLong(m.get("skipRows"), "skipRows"));
        }
        if (m.get("useCols") != null) {
            b.useCols(Json.asList(m.get("useCols"), "useCols").stream()
                    .mapToInt(c -> Math.toIntExact(Json.asLong(c, "column"))).toArray());
        }
        if (m.containsKey("maxRows")) {
            b.maxRows(Json.asLong(m.get("maxRows"), "maxRows"));
        }
        if (m.containsKey("lenient")) {
            if (!(m.get("lenient") instanceof Boolean lenient)) {
                throw new IllegalArgumentException("lenient must be true or false, not " + Json.kind(m.get("lenient")));
            }
            b.lenient(lenient);
        }
        if (m.containsKey("maxLineBytes")) {
            b.maxLineBytes(Json.asLong(m.get("maxLineBytes"), "maxLineBytes"));
        }
        if (m.containsKey("afterHeader")) {
            if (!(m.get("afterHeader") instanceof Boolean after)) {
                throw new IllegalArgumentException("afterHeader must be true or false, not " + Json.kind(m.get("afterHeader")));
            }
            b.afterHeader(after);
        }
        return b.build();
    }

    private static char character(long code, String what) {
        if (code < 0 || code > Character.MAX_VALUE) {
            throw new IllegalArgumentException(what + " is a character code, 0 to 65535, not " + code);
        }
        return (char) code;
    }

    /// {@return the one-byte field delimiter, or [#WHITESPACE]}
    public int delimiter() {
        return delimiter;
    }

    /// {@return the strings that start a comment, which runs to the end of the line}: empty for no
    /// comments, `["#"]` by default. As numpy: one character is a comment wherever it is not
    /// quoted; several strings, or one of several characters, are cut from each line one after
    /// another, each at its first occurrence (no quoting then).
    public List<String> comments() {
        return comments;
    }

    /// {@return the ASCII character that quotes a field, or [#NONE]} (numpy's `quotechar`): a field
    /// that starts with it runs to the next one, delimiters and comment characters included; a
    /// doubled one inside stands for itself; text after the closing quote is part of the field.
    public int quoteChar() {
        return quoteChar;
    }

    /// {@return how many lines to skip at the start of the file}, counting every line
    /// (comments and blank lines included), as numpy's `skiprows` does
    public long skipRows() {
        return skipRows;
    }

    /// {@return the 0-based columns to read, in the order they fill the dtype (negative counts from
    /// the end of the row; a column may be named more than once), or null for every column}; a copy.
    ///
    /// Every row must have each column named: a row without one is an error, as in numpy. Strict,
    /// every row also has as many fields as the first (so a negative column is the same column in
    /// every row); lenient, rows may differ in length, and a negative column counts from the end of
    /// each row, as in numpy.
    public int[] useCols() {
        return useCols == null ? null : useCols.clone();
    }

    /// {@return the most data rows to read (comments and blank lines do not count), or [#ALL_ROWS]}
    public long maxRows() {
        return maxRows;
    }

    /// {@return the longest line read, in bytes without its line break}: a longer line is an error
    /// ([TextParseException.Problem#LINE_TOO_LONG]) found without reading it whole. A reader holds
    /// its longest line in memory (once, plus 256 KiB), so this bounds a reader's memory.
    public long maxLineBytes() {
        return maxLineBytes;
    }

    /// {@return whether to give numpy's values where numpy is silently wrong}, as numpy 1.24 gives
    /// them on x86-64 (found by running it; the tests compare bytes):
    ///
    /// | text | strict (default) | lenient, as numpy |
    /// |---|---|---|
    /// | longer than `S<n>` (in Latin-1 characters) | [TextParseException] | the first n |
    /// | integer out of range, or `1.5`, `1e3`, `nan`, `inf` for an integer type | [TextParseException] | parsed as float64, then C's cast: toward zero (`-1.9` → -1); out of range: `i1 i2 u1 u2` take the low bits of the int32 cast (`300` → 44 in i1, `70000` → 4464 in i2, past int32 → 0), `i4` gives -2147483648, `u4` the low 32 bits of the int64 cast (`-1` → 4294967295, `4294967296` → 0), `i8` gives -2^63, `u8` wraps negatives (`-1` → 2^64-1), 2^64 → 0, `nan` → 2^63 |
    /// | finite, but past its float type's range (`1e39` in f4, `1e309` in f8) | [TextParseException] | ±inf |
    /// | rows of other lengths, with [#useCols()] | [TextParseException] | read, negative columns counted from each row's end |
    ///
    /// Both ways, as numpy: a bool reads an integer (nonzero is true; `True` or `1.0` are errors),
    /// a row without a column named, a row of another length without useCols, and a field that is
    /// no number at all are errors.
    public boolean lenient() {
        return lenient;
    }

    /// {@return whether the rows follow a header line the caller read} (`--header`,
    /// [HeaderLayout]): the first row is then data after the names, and a word in a number field
    /// there is no sign of a header still in the rows, which an error's hint would tell to skip
    /// (`try --skiprows 2`, a call that fails). It changes no value read.
    public boolean afterHeader() {
        return afterHeader;
    }

    // ---- what the reader asks ---------------------------------------------------------------------

    /// {@return the one ASCII byte that is the only comment, or -1}: the fast path's comment
    int commentByte() {
        return comments.size() == 1 && comments.getFirst().length() == 1 && comments.getFirst().charAt(0) < 0x80
                ? comments.getFirst().charAt(0) : -1;
    }

    /// {@return whether the comments are cut from each line before it is split}: several strings,
    /// or one string of several characters (numpy does this in Python, before its tokenizer)
    boolean cutsComments() {
        return comments.size() > 1 || (comments.size() == 1 && comments.getFirst().codePointCount(0,
                comments.getFirst().length()) > 1);
    }

    /// {@return the comment strings as UTF-8}
    byte[][] commentBytes() {
        byte[][] b = new byte[comments.size()][];
        for (int i = 0; i < b.length; i++) {
            b[i] = comments.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadOptions x && delimiter == x.delimiter && comments.equals(x.comments)
                && quoteChar == x.quoteChar && skipRows == x.skipRows && Arrays.equals(useCols, x.useCols)
                && maxRows == x.maxRows && lenient == x.lenient && maxLineBytes == x.maxLineBytes
                && afterHeader == x.afterHeader;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new long[]{delimiter, comments.hashCode(), quoteChar, skipRows, Arrays.hashCode(useCols),
                maxRows, lenient ? 1 : 0, maxLineBytes, afterHeader ? 1 : 0});
    }

    @Override
    public String toString() {
        List<String> c = new ArrayList<>();
        for (String s : comments) {
            c.add(describe(s));
        }
        return "LoadOptions[delimiter=" + (delimiter == WHITESPACE ? "whitespace" : describe(delimiter))
                + ", comments=" + (comments.isEmpty() ? "none" : String.join(" ", c))
                + ", quoteChar=" + (quoteChar == NONE ? "none" : describe(quoteChar)) + ", skipRows=" + skipRows
                + ", useCols=" + (useCols == null ? "all" : Arrays.toString(useCols))
                + ", maxRows=" + (maxRows == ALL_ROWS ? "all" : maxRows) + ", lenient=" + lenient
                + ", maxLineBytes=" + maxLineBytes + (afterHeader ? ", afterHeader" : "") + "]";
    }

    private static String describe(int b) {
        return describe(Character.toString(b));
    }

    /// A character or string as a message shows it: quoted, control and non-ASCII characters escaped.
    private static String describe(String s) {
        StringBuilder b = new StringBuilder("'");
        s.codePoints().forEach(c -> {
            if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format(c < 0x100 ? "\\x%02x" : c < 0x10000 ? "\\u%04x" : "\\U%08x", c));
            }
        });
        return b.append('\'').toString();
    }

    /// Builds [LoadOptions]; every setter checks its argument at once, [#build()] their combination.
    public static final class Builder {
        private int delimiter = WHITESPACE;
        private List<String> comments = List.of("#");
        private int quoteChar = NONE;
        private long skipRows;
        private int[] useCols;
        private long maxRows = ALL_ROWS;
        private boolean lenient;
        private long maxLineBytes = DEFAULT_MAX_LINE_BYTES;
        private boolean afterHeader;

        private Builder() {
        }

        /// Fields are separated by exactly this one ASCII character (numpy's `delimiter=','`):
        /// two delimiters in a row make an empty field.
        /// @throws IllegalArgumentException for a line break, NUL or a non-ASCII character
        public Builder delimiter(char c) {
            this.delimiter = controlCharacter("a delimiter", c);
            return this;
        }

        /// Fields are separated by runs of whitespace (the default, numpy's `delimiter=None`):
        /// every character Python's `str.isspace()` accepts but the line breaks.
        public Builder whitespaceDelimited() {
            this.delimiter = WHITESPACE;
            return this;
        }

        /// A comment starts at this character and runs to the end of the line (default `#`).
        /// @throws IllegalArgumentException for a line break or NUL
        public Builder comments(char c) {
            return comments(String.valueOf(c));
        }

        /// Comments start at any of these strings (numpy's `comments=['#', '//']`); none given
        /// means no comments.
        /// @throws IllegalArgumentException for an empty string or one with a line break or NUL
        public Builder comments(String... strings) {
            for (String s : strings) {
                if (s.isEmpty()) {
                    throw new IllegalArgumentException("a comment cannot be empty (for none, give none)");
                }
                if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf(0) >= 0) {
                    throw new IllegalArgumentException("a comment cannot hold a line break or NUL, as " + describe(s)
                            + " does");
                }
            }
            this.comments = List.of(strings);
            return this;
        }

        /// No comments: `#` is an ordinary character (numpy's `comments=None`).
        public Builder noComments() {
            this.comments = List.of();
            return this;
        }

        /// A field that starts with this ASCII character is quoted (numpy's `quotechar='"'`).
        /// @throws IllegalArgumentException for a line break, NUL or a non-ASCII character
        public Builder quoteChar(char c) {
            this.quoteChar = controlCharacter("a quote character", c);
            return this;
        }

        /// No quoting (the default).
        public Builder noQuoteChar() {
            this.quoteChar = NONE;
            return this;
        }

        /// Skips the first `lines` lines of the file, whatever they hold.
        public Builder skipRows(long lines) {
            if (lines < 0) {
                throw new IllegalArgumentException("skipRows must be >= 0, not " + lines);
            }
            this.skipRows = lines;
            return this;
        }

        /// Reads only these 0-based columns, in this order (negative counts from the row's end; a
        /// column may be named more than once).
        /// @throws IllegalArgumentException for no columns
        public Builder useCols(int... columns) {
            if (columns.length == 0) {
                throw new IllegalArgumentException("useCols needs at least one column");
            }
            this.useCols = columns.clone();
            return this;
        }

        /// Reads every column (the default).
        public Builder allCols() {
            this.useCols = null;
            return this;
        }

        /// Reads at most `rows` data rows, or every row for [#ALL_ROWS].
        public Builder maxRows(long rows) {
            if (rows < 0 && rows != ALL_ROWS) {
                throw new IllegalArgumentException("maxRows must be >= 0 or ALL_ROWS, not " + rows);
            }
            this.maxRows = rows;
            return this;
        }

        /// Gives numpy's values where numpy is silently wrong, instead of an error; see [LoadOptions#lenient()].
        public Builder lenient(boolean lenient) {
            this.lenient = lenient;
            return this;
        }

        /// Says the rows follow a header line the caller read ([LoadOptions#afterHeader()]).
        public Builder afterHeader(boolean after) {
            this.afterHeader = after;
            return this;
        }

        /// Sets the longest line read ([LoadOptions#maxLineBytes()]).
        /// @throws IllegalArgumentException outside [MIN_MAX_LINE_BYTES, MAX_MAX_LINE_BYTES]
        public Builder maxLineBytes(long bytes) {
            if (bytes < MIN_MAX_LINE_BYTES || bytes > MAX_MAX_LINE_BYTES) {
                throw new IllegalArgumentException("the longest line must be 1 MiB to 1 GiB, not " + bytes
                        + (bytes == 1 ? " byte" : " bytes"));
            }
            this.maxLineBytes = bytes;
            return this;
        }

        /// {@return the options}
        /// @throws IllegalArgumentException for a combination numpy refuses (see [LoadOptions])
        public LoadOptions build() {
            boolean oneChar = comments.size() == 1 && comments.getFirst().codePointCount(0, comments.getFirst().length()) == 1;
            int comment = oneChar ? comments.getFirst().codePointAt(0) : -1;
            if (delimiter != WHITESPACE && (comment == delimiter
                    || (comments.size() > 1 && comments.contains(String.valueOf((char) delimiter))))) {
                throw new IllegalArgumentException("the delimiter " + describe(delimiter) + " is also a comment");
            }
            if (quoteChar != NONE) {
                if (quoteChar == delimiter || quoteChar == comment) {
                    throw new IllegalArgumentException("the quote character " + describe(quoteChar) + " is also the "
                            + (quoteChar == delimiter ? "delimiter" : "comment"));
                }
                if (!comments.isEmpty() && !oneChar) {
                    throw new IllegalArgumentException("quoting is not supported with several comments or a"
                            + " comment of several characters (as in numpy)");
                }
            }
            if (delimiter == WHITESPACE) {
                if (comment >= 0 && Utf8.isPythonSpace(comment)) {
                    throw new IllegalArgumentException("the comment " + describe(comment)
                            + " is whitespace, which separates fields: give a delimiter");
                }
                if (quoteChar != NONE && Utf8.isPythonSpace(quoteChar)) {
                    throw new IllegalArgumentException("the quote character " + describe(quoteChar)
                            + " is whitespace, which separates fields: give a delimiter");
                }
            }
            return new LoadOptions(this);
        }

        private static int controlCharacter(String what, char c) {
            if (c == '\n' || c == '\r' || c == 0 || c > 0x7f) {
                throw new IllegalArgumentException(what + " is one ASCII character other than NUL, \\r or \\n, not "
                        + describe(c));
            }
            return c;
        }
    }
}
