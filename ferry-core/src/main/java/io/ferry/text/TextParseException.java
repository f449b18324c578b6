package io.ferry.text;

import io.ferry.FerryException;

/// Text that does not fit its dtype, or would be silently wrong in numpy: the message names the
/// file, the line and column (1-based, as an editor counts), the field and the offending text.
///
/// ```text
/// data3.txt:1043:17: field 'pos' (2 of 5): 3000000000 is out of range for <i4 (-2147483648..2147483647)
/// ```
public final class TextParseException extends FerryException {
    /// What was wrong with the text.
    public enum Problem {
        /// Not a number of the field's kind (also an empty field).
        NOT_A_NUMBER,
        /// A number with a fraction or an exponent, or `nan`/`inf`, where an integer is expected.
        NOT_AN_INTEGER,
        /// An integer outside its type's range.
        OUT_OF_RANGE,
        /// A finite number too large for its float type (it would become ±inf).
        FLOAT_OVERFLOW,
        /// A string longer than its `S<n>` field.
        TOO_LONG,
        /// A row with fewer fields than the others.
        TOO_FEW_FIELDS,
        /// A row with more fields than the others.
        TOO_MANY_FIELDS
    }

    private final Problem problem;
    private final String file;
    private final long line;
    private final long column;
    private final String field;
    private final String text;

    TextParseException(Problem problem, String file, long line, long column, String field, String text,
                       String detail) {
        super(file + ":" + line + ":" + column + ": " + field + ": " + detail);
        this.problem = problem;
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field;
        this.text = text;
    }

    /// {@return what was wrong}
    public Problem problem() {
        return problem;
    }

    /// {@return the file, as given to the loader}
    public String file() {
        return file;
    }

    /// {@return the 1-based line number in the file}
    public long line() {
        return line;
    }

    /// {@return the 1-based byte column in the line where the offending text starts}
    public long column() {
        return column;
    }

    /// {@return the field, as the message names it}, e.g. `field 'pos' (2 of 5)`
    public String field() {
        return field;
    }

    /// {@return the offending text} (for a short row, the whole line)
    public String text() {
        return text;
    }
}
