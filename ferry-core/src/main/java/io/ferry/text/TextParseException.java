package io.ferry.text;

import io.ferry.FerryException;
import io.ferry.Hint;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/// Text that does not fit its dtype, or would be silently wrong in numpy: the message names the
/// file, the line and column (1-based, as an editor counts: characters where the line is UTF-8 up
/// to the column, else bytes), the field and the offending text, with every byte that is not
/// printable ASCII written `\xNN`. A problem of a whole line names the file and line only.
///
/// ```text
/// data3.txt:1043:17: field 'pos' (2 of 5): 3000000000 is out of range for <i4 (-2147483648..2147483647)
/// data3.txt:7:3: field 'chr' (1 of 5): x\xe2\x80\x93 is not Latin-1 text, which S fields hold (|S10)
/// nul.txt:1: line longer than 67108864 bytes (64 MiB, the line limit)
/// ```
///
/// Where the text shows a likely mistake in the call, [#hint()] says what to change: a header
/// line where the first row goes (`skiprows`), a line split at the wrong character (`delimiter`).
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
        TOO_MANY_FIELDS,
        /// A row without a column useCols names.
        NO_SUCH_COLUMN,
        /// Text an `S` field cannot hold: not UTF-8, or a character past U+00FF (numpy stores `S`
        /// fields as Latin-1).
        NOT_LATIN1,
        /// A quote still open at the end of its line (numpy would read on into the next line).
        QUOTE_NOT_CLOSED,
        /// A line longer than [LoadOptions#maxLineBytes()].
        LINE_TOO_LONG
    }

    /// The most bytes of the offending text [#text()] keeps.
    static final int TEXT_BYTES = 4096;

    private final Problem problem;
    private final String file;
    private final long line;
    private final long column;
    private final String field;
    private final String text;

    TextParseException(Problem problem, String file, long line, long column, String field, String text,
                       String detail, Hint hint) {
        super(file + ":" + line + ":" + column + ": " + field + ": " + detail, hint);
        this.problem = problem;
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field;
        this.text = text;
    }

    /// A problem of the whole line: no column, no field.
    TextParseException(Problem problem, String file, long line, String detail) {
        this(problem, file, line, detail, null);
    }

    /// A problem of the whole line, with what to change to get past it (or null).
    TextParseException(Problem problem, String file, long line, String detail, Hint hint) {
        super(file + ":" + line + ": " + detail, hint);
        this.problem = problem;
        this.file = file;
        this.line = line;
        this.column = 0;
        this.field = "";
        this.text = "";
    }

    /// {@return the file, line, column, field and text}, as `ferry --json` reports a parse error:
    /// the text as its bytes spell it in UTF-8 where they do
    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("file", file);
        d.put("line", line);
        d.put("column", column);
        d.put("field", field);
        d.put("text", asWritten(text));
        return d;
    }

    /// {@return `latin1` (bytes as characters) as the text its bytes spell in UTF-8}, or as it is
    /// when they are not UTF-8: `café`, not `cafÃ©`, for a Python ParseError's `text`
    private static String asWritten(String latin1) {
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        try {   // the decoder reports what is not UTF-8, where new String would replace it
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return latin1;
        }
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

    /// {@return the 1-based byte column in the line where the offending text starts}, 0 for a
    /// problem of the whole line
    public long column() {
        return column;
    }

    /// {@return the field, as the message names it}, e.g. `field 'pos' (2 of 5)`
    public String field() {
        return field;
    }

    /// {@return the offending text, its bytes as Latin-1 characters (one per byte)}: for a short
    /// row, the whole line; at most its first 4 KiB
    public String text() {
        return text;
    }
}
