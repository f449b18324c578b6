package io.ferry.text;

import java.util.Arrays;

/// How a text table is read: an immutable value with a [Builder] and a [#DEFAULT] that reads as
/// `np.loadtxt(path, dtype=…, ndmin=1)` does with its defaults.
///
/// ```java
/// LoadOptions tsv = LoadOptions.builder().delimiter('\t').skipRows(1).useCols(0, 1, 4).build();
/// assert tsv.delimiter() == '\t' && tsv.comments() == '#' && tsv.skipRows() == 1;
/// assert LoadOptions.DEFAULT.delimiter() == LoadOptions.WHITESPACE && !LoadOptions.DEFAULT.lenient();
/// ```
public final class LoadOptions {
    /// The [#delimiter()] that means "runs of spaces and tabs (and `\v`, `\f`) separate fields",
    /// numpy's `delimiter=None`.
    public static final int WHITESPACE = -1;
    /// The [#comments()] value that means "no comments".
    public static final int NONE = -1;
    /// The [#maxRows()] value that means "every row".
    public static final long ALL_ROWS = -1;

    /// Whitespace-separated fields, `#` comments, every row, strict.
    public static final LoadOptions DEFAULT = builder().build();

    private final int delimiter;
    private final int comments;
    private final long skipRows;
    private final int[] useCols;
    private final long maxRows;
    private final boolean lenient;

    private LoadOptions(Builder b) {
        this.delimiter = b.delimiter;
        this.comments = b.comments;
        this.skipRows = b.skipRows;
        this.useCols = b.useCols == null ? null : b.useCols.clone();
        this.maxRows = b.maxRows;
        this.lenient = b.lenient;
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
        b.skipRows = skipRows;
        b.useCols = useCols == null ? null : useCols.clone();
        b.maxRows = maxRows;
        b.lenient = lenient;
        return b;
    }

    /// {@return the one-byte field delimiter, or [#WHITESPACE]}
    public int delimiter() {
        return delimiter;
    }

    /// {@return the byte that starts a comment (to the end of the line), or [#NONE]}
    public int comments() {
        return comments;
    }

    /// {@return how many lines to skip at the start of the file}, counting every line
    /// (comments and blank lines included), as numpy's `skiprows` does
    public long skipRows() {
        return skipRows;
    }

    /// {@return the 0-based columns to read, in the order they fill the dtype (negative counts from
    /// the end of the row), or null for every column}; a copy.
    ///
    /// A negative column counts from the end of the file's first data row (numpy counts from the
    /// end of each row, which differs only for rows of other lengths: an error unless lenient).
    /// Strict, every row still has as many fields as the first; lenient, rows need only reach the
    /// last column read, as in numpy.
    public int[] useCols() {
        return useCols == null ? null : useCols.clone();
    }

    /// {@return the most data rows to read (comments and blank lines do not count), or [#ALL_ROWS]}
    public long maxRows() {
        return maxRows;
    }

    /// {@return whether to give numpy's values where numpy is silently wrong}, as numpy 1.24 gives
    /// them on x86-64 (found by running it; the tests compare bytes):
    ///
    /// | text | strict (default) | lenient, as numpy |
    /// |---|---|---|
    /// | longer than `S<n>` | [TextParseException] | the first n bytes |
    /// | integer out of range, or `1.5`, `1e3`, `nan`, `inf` for an integer type | [TextParseException] | parsed as float64, then C's cast: toward zero (`-1.9` → -1); out of range: `i1 i2 u1 u2` take the low bits of the int32 cast (`300` → 44 in i1, `70000` → 4464 in i2, past int32 → 0), `i4` gives -2147483648, `u4` the low 32 bits of the int64 cast (`-1` → 4294967295, `4294967296` → 0), `i8` gives -2^63, `u8` wraps negatives (`-1` → 2^64-1), 2^64 → 0, `nan` → 2^63 |
    /// | finite, but past its float type's range (`1e39` in f4, `1e309` in f8) | [TextParseException] | ±inf |
    ///
    /// Both ways, as numpy: a bool reads an integer (nonzero is true; `True` or `1.0` are errors),
    /// a row of another length and a field that is no number at all are errors.
    public boolean lenient() {
        return lenient;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadOptions x && delimiter == x.delimiter && comments == x.comments
                && skipRows == x.skipRows && Arrays.equals(useCols, x.useCols) && maxRows == x.maxRows
                && lenient == x.lenient;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new long[]{delimiter, comments, skipRows, Arrays.hashCode(useCols), maxRows,
                lenient ? 1 : 0});
    }

    @Override
    public String toString() {
        return "LoadOptions[delimiter=" + (delimiter == WHITESPACE ? "whitespace" : describe(delimiter))
                + ", comments=" + (comments == NONE ? "none" : describe(comments)) + ", skipRows=" + skipRows
                + ", useCols=" + (useCols == null ? "all" : Arrays.toString(useCols))
                + ", maxRows=" + (maxRows == ALL_ROWS ? "all" : maxRows) + ", lenient=" + lenient + "]";
    }

    private static String describe(int b) {
        return b == '\t' ? "'\\t'" : b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("0x%02x", b);
    }

    /// Builds [LoadOptions]; every setter checks its argument at once.
    public static final class Builder {
        private int delimiter = WHITESPACE;
        private int comments = '#';
        private long skipRows;
        private int[] useCols;
        private long maxRows = ALL_ROWS;
        private boolean lenient;

        private Builder() {
        }

        /// Fields are separated by exactly this one ASCII character (numpy's `delimiter=','`):
        /// two delimiters in a row make an empty field.
        /// @throws IllegalArgumentException for a line break or a non-ASCII character
        public Builder delimiter(char c) {
            if (c == '\n' || c == '\r' || c == 0 || c > 0x7f) {
                throw new IllegalArgumentException("a delimiter is one ASCII character other than NUL, \\r or \\n, not "
                        + describe(c));
            }
            this.delimiter = c;
            return this;
        }

        /// Fields are separated by runs of whitespace (the default, numpy's `delimiter=None`).
        public Builder whitespaceDelimited() {
            this.delimiter = WHITESPACE;
            return this;
        }

        /// A comment starts at this ASCII character and runs to the end of the line (default `#`).
        /// @throws IllegalArgumentException for a line break or a non-ASCII character
        public Builder comments(char c) {
            if (c == '\n' || c == '\r' || c == 0 || c > 0x7f) {
                throw new IllegalArgumentException("a comment character is one ASCII character other than NUL, \\r or \\n, not "
                        + describe(c));
            }
            this.comments = c;
            return this;
        }

        /// No comments: `#` is an ordinary character (numpy's `comments=None`).
        public Builder noComments() {
            this.comments = NONE;
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

        /// Reads only these 0-based columns, in this order (negative counts from the row's end).
        /// @throws IllegalArgumentException for no columns or a column named twice
        public Builder useCols(int... columns) {
            if (columns.length == 0) {
                throw new IllegalArgumentException("useCols needs at least one column");
            }
            int[] sorted = columns.clone();
            Arrays.sort(sorted);
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i] == sorted[i - 1]) {
                    throw new IllegalArgumentException("column " + sorted[i] + " is named twice in useCols "
                            + Arrays.toString(columns));
                }
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

        /// {@return the options}
        /// @throws IllegalArgumentException when the delimiter and the comment character are the same
        public LoadOptions build() {
            if (delimiter != WHITESPACE && delimiter == comments) {
                throw new IllegalArgumentException("the delimiter and the comment character are both "
                        + describe(delimiter));
            }
            return new LoadOptions(this);
        }
    }
}
