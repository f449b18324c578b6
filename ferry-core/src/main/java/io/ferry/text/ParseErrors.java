package io.ferry.text;

import io.ferry.Hint;
import io.ferry.text.TextParseException.Problem;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.ferry.text.RowPlan.BOOL;
import static io.ferry.text.RowPlan.F32;
import static io.ferry.text.RowPlan.F64;
import static io.ferry.text.RowPlan.U64;

/// The errors of one reader's text, worded in one place: each names the file, the line and the
/// column (from [TextInput]), the field (as [RowPlan] labels it) and the offending text, escaped
/// and cut short, then says what is wrong.
///
/// A field's error takes the text `t[s, e)` of output `j` read from file column `c`, and `at`, the
/// position in the line's bytes where the field starts (for the column). A row's error takes the
/// line `b[from, brk)`.
///
/// Where the text shows a likely mistake in the call ([LikelyMistakes]), the error carries a hint.
final class ParseErrors {
    /// The most bytes of the offending text a message shows.
    private static final int SHOWN = 80;

    private final TextInput in;
    private final RowPlan plan;
    /// The call's delimiter, or [LoadOptions#WHITESPACE]
    private final int delimiter;
    /// Whether the call gives no comment (numpy's `comments=None`)
    private final boolean noComments;
    /// Whether the rows follow a header the caller read: the first row is no header's place
    private final boolean afterHeader;

    ParseErrors(TextInput in, RowPlan plan, LoadOptions options) {
        this.in = in;
        this.plan = plan;
        this.delimiter = options.delimiter();
        this.noComments = options.comments().isEmpty();
        this.afterHeader = options.afterHeader();
    }

    // ---- a field --------------------------------------------------------------------------------

    TextParseException notANumber(byte[] t, int s, int e, int j, int c, int at) {
        int kind = plan.outKind[j];
        String what = s == e ? "an empty field" : shown(t, s, e);
        String expected = kind == F32 || kind == F64 ? "a number" : kind == BOOL ? "an integer (bool reads integers)" : "an integer";
        // A field holding commas is a wrong delimiter only where it is the row's one field (rows
        // read as one column); among others, it is a value such as 1,5.
        boolean alone = plan.outColumn.length == 1 && !plan.usesCols;
        Hint hint = alone ? LikelyMistakes.numbersDelimiter(t, s, e, delimiter) : null;
        if (hint == null && noComments && c == 0 && e > s && t[s] == '#') {
            // comments=None: numpy's comment line is text where a number goes, and no delimiter mends it
            hint = new Hint("the line starts with '#', which is data while no comment is given (numpy's default"
                    + " comment is '#')", "comments", "#");
        }
        // Both guesses are about the file's first row: after it, the rows before read numbers in
        // this column, and a word there is a missing value or a typo (`NA` at line 3 was called a
        // text column, and the hint said to leave out a column of numbers).
        if (hint == null && in.firstRow) {
            List<String> row = LikelyMistakes.fields(in.buf, in.lineStart, in.buf.length, delimiter);
            if (plan.mayBeFirstNumber(j, c) && !afterHeader) { // else a number of the row was read: no header
                hint = LikelyMistakes.header(true, in.lineNumber(), t, s, e, row);
            }
            if (hint == null && !plan.structured && !plan.usesCols) {
                hint = LikelyMistakes.textColumns(row, plan.columns);
            }
        }
        return error(Problem.NOT_A_NUMBER, at, plan.label(j, c), t, s, e,
                what + " is not " + expected + " (" + plan.outType[j] + ")", hint);
    }

    /// A number written with a fraction or an exponent where an integer goes: numpy reads it
    /// through a float64 and cuts the fraction off, which `lenient` does too. The hint names
    /// `lenient` only where that gives the number's whole part: not for a bool, `nan`, `inf` or a
    /// value past the type's range (numpy's value is then whatever C's cast makes of it).
    TextParseException notAnInteger(byte[] t, int s, int e, int j, int c, int at) {
        double whole = Decimal.value(t, s, e);
        whole = whole < 0 ? Math.ceil(whole) : Math.floor(whole);
        double max = plan.outKind[j] == U64 ? 0x1p64 : plan.outMax[j]; // 2^64 - 1 rounds up to 2^64
        boolean numpysWhole = plan.outKind[j] != BOOL && whole >= plan.outMin[j] && whole < max + 1;
        Hint hint = !numpysWhole ? null : new Hint("numpy reads a number with a fraction or an exponent into"
                + " an integer through a float, cutting off the fraction (a path numpy 1.23 deprecated)",
                "lenient", "true");
        return error(Problem.NOT_AN_INTEGER, at, plan.label(j, c), t, s, e, shown(t, s, e) + " is not an integer ("
                + plan.outType[j] + ")", hint);
    }

    TextParseException outOfRange(byte[] t, int s, int e, int j, int c, int at, BigInteger min, BigInteger max) {
        return field(Problem.OUT_OF_RANGE, t, s, e, j, c, at, shown(t, s, e) + " is out of range for "
                + plan.outType[j] + " (" + min + ".." + max + ")");
    }

    /// @param negative whether the value would be -inf
    TextParseException floatOverflow(byte[] t, int s, int e, int j, int c, int at, boolean negative) {
        return field(Problem.FLOAT_OVERFLOW, t, s, e, j, c, at, shown(t, s, e) + " is too large for "
                + plan.outType[j] + " (it would be " + (negative ? "-inf" : "inf") + ")");
    }

    /// @param notUtf8 whether the text is not UTF-8 (else it has a character past U+00FF)
    TextParseException notLatin1(byte[] t, int s, int e, int j, int c, int at, boolean notUtf8) {
        return field(Problem.NOT_LATIN1, t, s, e, j, c, at, shown(t, s, e)
                + (notUtf8 ? " is not UTF-8 text" : " is not Latin-1 text, which S fields hold")
                + " (" + plan.outType[j] + ")");
    }

    /// @param length the text's length in Latin-1 characters
    TextParseException tooLong(byte[] t, int s, int e, int length, int j, int c, int at) {
        boolean ascii = length == e - s;
        // characters, not "bytes in Latin-1": an S field holds a Latin-1 character a byte, and
        // `ab€` has no Latin-1 form to count
        return field(Problem.TOO_LONG, t, s, e, j, c, at, shown(t, s, e) + " is " + length
                + (ascii ? " bytes" : " characters") + ", longer than " + plan.outType[j]);
    }

    // ---- a row ----------------------------------------------------------------------------------

    /// A quote at `b[q]`, opening field `field`, that the line (up to `end`) does not close.
    TextParseException quoteNotClosed(byte[] b, int q, int end, int field) {
        return error(Problem.QUOTE_NOT_CLOSED, q, plan.columnLabel(field), b, q, end, shown(b, q, end)
                + " opens a quote its line does not close (a quoted field must end on its line: Ferry reads no"
                + " quoted line breaks)");
    }

    /// Output `j` names a column the row of `fields` fields has not; `at` is the end of its content.
    TextParseException noSuchColumn(byte[] b, int from, int brk, int at, int j, int fields) {
        int c = plan.outColumn[j];
        return error(Problem.NO_SUCH_COLUMN, at, plan.label(j, c >= 0 ? c : -1), b, from, brk,
                "usecols index " + c + " is out of range for this row of " + fields
                        + (fields == 1 ? " column: " : " columns: ") + shown(b, from, brk));
    }

    /// A row of `fields` fields where `expected` are; `at` is the end of its content.
    TextParseException tooFewFields(byte[] b, int from, int brk, int at, int fields, int expected) {
        Hint hint = LikelyMistakes.delimiter(b, from, brk, "the line", delimiter, expected);
        return error(Problem.TOO_FEW_FIELDS, at, plan.columnLabel(fields), b, from, brk, "row has " + fields
                + (fields == 1 ? " field" : " fields") + ", expected " + expected + ": " + shown(b, from, brk),
                hint != null ? hint : otherLengths(fields));
    }

    /// The field `t[s, e)` at `at`, one past the `expected` fields of a row.
    TextParseException tooManyFields(byte[] t, int s, int e, int at, int expected) {
        return error(Problem.TOO_MANY_FIELDS, at, plan.columnLabel(expected), t, s, e,
                (s == e ? "an empty field" : shown(t, s, e))
                + " is one field too many: rows have " + expected + (expected == 1 ? " field" : " fields"),
                otherLengths(Integer.MAX_VALUE));
    }

    /// {@return the hint toward `lenient` for a row of `fields` fields that holds every column
    /// `usecols` picks}, or null: numpy reads rows of other lengths then, strict Ferry does not. A
    /// negative column is one numpy counts from each row's own end, which the hint says: on rows of
    /// other lengths it is another column of the text.
    private Hint otherLengths(int fields) {
        if (!plan.usesCols) {
            return null;
        }
        boolean fromTheEnd = false;
        for (int c : plan.outColumn) {
            if (c >= fields || c < -fields) {
                return null;
            }
            fromTheEnd |= c < 0;
        }
        return new Hint("numpy reads rows of other lengths when they hold every column usecols picks"
                + (fromTheEnd ? ", counting a negative one from each row's own end" : ""), "lenient", "true");
    }

    private TextParseException field(Problem problem, byte[] t, int s, int e, int j, int c, int at, String detail) {
        return error(problem, at, plan.label(j, c), t, s, e, detail);
    }

    /// An error at `at` (a position in the line), about the text `t[from, to)`, which the exception
    /// keeps (its first [TextParseException#TEXT_BYTES]).
    private TextParseException error(Problem problem, int at, String field, byte[] t, int from, int to, String detail) {
        return error(problem, at, field, t, from, to, detail, null);
    }

    private TextParseException error(Problem problem, int at, String field, byte[] t, int from, int to, String detail,
                                     Hint hint) {
        int column = at >= in.lineStart && at <= in.buf.length ? Utf8.characters(in.buf, in.lineStart, at) + 1
                : at - in.lineStart + 1;
        return new TextParseException(problem, in.file(), in.lineNumber(), column, field,
                new String(t, from, Math.min(to - from, TextParseException.TEXT_BYTES), StandardCharsets.ISO_8859_1),
                detail, hint);
    }

    /// {@return the text as a message shows it}: bytes past printable ASCII escaped, cut short
    /// The text quoted as Python quotes a string (in double quotes where it holds a single quote
    /// and no double one), so that `'3 '` shows its space and `'a'` is not read as a word of the
    /// sentence.
    private static String shown(byte[] b, int from, int to) {
        String text = Utf8.escape(b, from, to, SHOWN);
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        return quote + text + quote;
    }
}
