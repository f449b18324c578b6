package io.ferry.text;

import io.ferry.Hint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/// The mistakes people make calling a loader, guessed from the text an error is about, for
/// [TextParseException#hint()]:
///
/// - a header line: a number field of a file's first row holds a word, and none of the row's
///   fields is a number. Skipping through that line (`skiprows` = its number, the lines before it
///   being skipped already, comments or blank) is the fix;
/// - a text column read as numbers: a row of words and numbers under a plain number dtype (numpy's
///   default, `float`, on a table with a name column). Reading the number columns only
///   (`usecols`) is the fix;
/// - a wrong delimiter: the text holds tabs, commas, semicolons, `|` or (with a delimiter given)
///   spaces, which do not separate fields under the call's delimiter, enough of them to make the
///   row's fields. Setting the delimiter to that character (or leaving it out, for spaces) is the
///   fix;
/// - a line limit too low for the file: a line longer than the limit, which a larger limit (four
///   times this one, up to the largest one may set) may take.
///
/// A guess is only offered where the text supports it; none is better than a wrong one.
final class LikelyMistakes {
    /// The delimiters people use, in the order a tie is settled; a space stands for runs of
    /// whitespace.
    private static final byte[] DELIMITERS = {'\t', ',', ';', '|', ' '};

    private LikelyMistakes() {
    }

    /// {@return the hint for a line longer than `limit`, or null when no larger limit may be set}
    static Hint lineLimit(long limit) {
        if (limit >= LoadOptions.MAX_MAX_LINE_BYTES) {
            return null;
        }
        long larger = Math.min(limit * 4, LoadOptions.MAX_MAX_LINE_BYTES);
        String value = larger % (1 << 30) == 0 ? (larger >> 30) + "G" : (larger >> 20) + "M";
        return new Hint("a line is longer than the limit, which keeps a worker's memory bounded", "max_line_bytes", value);
    }

    /// {@return a header's hint for a number field `t[s, e)` that is not a number, or null}
    /// @param firstRow whether the row is the file's first (see [TextInput#firstRow])
    /// @param line     the row's line number in the file, or -1 if unknown
    /// @param row      the row's fields: a header holds names only (a row of a word and numbers is
    ///                 a text column, and skipping it the next row says the same)
    static Hint header(boolean firstRow, long line, byte[] t, int s, int e, List<String> row) {
        if (!firstRow || line < 1 || !hasLetter(t, s, e) || isNanOrInf(t, s, e)
                || row.stream().anyMatch(LikelyMistakes::isNumber)) {
            return null;
        }
        return new Hint("line " + line + " looks like a header (names where values go)", "skiprows", Long.toString(line));
    }

    /// {@return a text column's hint for a row (`row`, its fields) of words and numbers read by a
    /// plain number dtype of `columns` columns, or null}: the number columns read alone
    static Hint textColumns(List<String> row, int columns) {
        List<Integer> numbers = new ArrayList<>();
        List<String> text = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            if (isNumber(row.get(i))) {
                numbers.add(i);
            } else if (hasLetter(row.get(i)) && !NUMBER_START.matcher(row.get(i).strip()).lookingAt()) {
                text.add(Integer.toString(i + 1));
            } else {
                // neither: an empty field, a date, a stray character, or a number in a spelling
                // numpy does not read (0x1A, 1.0d3), which the hint told to leave out
                return null;
            }
        }
        if (row.size() != columns || numbers.isEmpty() || text.isEmpty()) {
            return null;
        }
        String which = text.size() == 1 ? "column " + text.getFirst() + " holds" : "columns " + String.join(", ", text) + " hold";
        return new Hint(which + " text, and a number dtype reads numbers only (give text an S<n> field of a"
                + " structured dtype to keep it)", "usecols",
                numbers.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    /// {@return the fields of the line starting at `b[from]`}, split as the call splits them
    /// (`delimiter`, or runs of whitespace), without quotes or comments: enough for a guess
    static List<String> fields(byte[] b, int from, int to, int delimiter) {
        int end = from;
        while (end < to && b[end] != '\n' && b[end] != '\r') {
            end++;
        }
        String line = new String(b, from, end - from, StandardCharsets.ISO_8859_1);
        return delimiter == LoadOptions.WHITESPACE ? List.of(line.strip().split("[ \t]+"))
                : List.of(line.split(Pattern.quote(String.valueOf((char) delimiter)), -1));
    }

    /// {@return whether `field`, spaces around it aside, is a decimal number or numpy's word for one}
    private static boolean isNumber(String field) {
        String f = field.strip();
        return NUMBER.matcher(f).matches() || isNanOrInf(f.getBytes(StandardCharsets.ISO_8859_1), 0, f.length());
    }

    private static final Pattern NUMBER_START = Pattern.compile("[+-]?\\.?\\d");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private static boolean hasLetter(String field) {
        byte[] t = field.getBytes(StandardCharsets.ISO_8859_1);
        return hasLetter(t, 0, t.length);
    }

    /// {@return a delimiter's hint for the text `t[s, e)` (a whole line, or one field: `what`
    /// says which), or null}
    /// @param delimiter the call's delimiter, or [LoadOptions#WHITESPACE]
    /// @param expected  the fields a row has, or -1 when the call does not fix it
    static Hint delimiter(byte[] t, int s, int e, String what, int delimiter, int expected) {
        boolean whitespace = delimiter == LoadOptions.WHITESPACE;
        byte best = 0;
        int bestSplits = 0;
        for (byte d : DELIMITERS) {
            if (d == delimiter || whitespace && (d == ' ' || d == '\t')) {
                continue;
            }
            int splits = d == ' ' ? whitespaceRuns(t, s, e) : count(t, s, e, d);
            boolean enough = expected < 0 || (d == ' ' ? splits + 1 == expected : splits + 1 >= expected);
            if (splits > bestSplits && enough) {
                best = d;
                bestSplits = splits;
            }
        }
        if (bestSplits == 0) {
            return null;
        }
        String reason = what + " holds " + plural(best) + ", which do not separate fields "
                + (whitespace ? "without a delimiter" : "now");
        return best == ' ' ? new Hint(reason + " (runs of whitespace do when no delimiter is given)", "delimiter", null)
                : new Hint(reason, "delimiter", String.valueOf((char) best));
    }

    /// {@return [#delimiter]'s hint for `t[s, e)`, the one field of a number dtype, where every
    /// piece the delimiter makes is a number}, else null: `# h` split at its space is no row of
    /// numbers (the hint said to leave the delimiter out, and that call failed too)
    static Hint numbersDelimiter(byte[] t, int s, int e, int delimiter) {
        Hint hint = delimiter(t, s, e, "the field", delimiter, -1);
        if (hint == null) {
            return null;
        }
        int d = hint.leavesOut() ? LoadOptions.WHITESPACE : hint.value().charAt(0);
        return fields(t, s, e, d).stream().allMatch(LikelyMistakes::isNumber) ? hint : null;
    }

    private static String plural(byte d) {
        return switch (d) {
            case '\t' -> "tabs";
            case ',' -> "commas";
            case ';' -> "semicolons";
            case ' ' -> "spaces";
            default -> "'" + (char) d + "' characters";
        };
    }

    private static int count(byte[] t, int s, int e, byte d) {
        int n = 0;
        for (int i = s; i < e; i++) {
            n += t[i] == d ? 1 : 0;
        }
        return n;
    }

    /// {@return the runs of spaces and tabs between other text in `t[s, e)`}: its fields, split as
    /// without a delimiter, less one
    private static int whitespaceRuns(byte[] t, int s, int e) {
        int runs = 0;
        boolean inText = false;
        boolean gap = false;
        for (int i = s; i < e; i++) {
            boolean space = t[i] == ' ' || t[i] == '\t';
            if (!space) {
                runs += inText && gap ? 1 : 0;
                inText = true;
                gap = false;
            } else {
                gap = inText;
            }
        }
        return runs;
    }

    /// numpy's words for numbers (an integer field refuses them): not a header's names
    private static boolean isNanOrInf(byte[] t, int s, int e) {
        int from = s < e && (t[s] == '+' || t[s] == '-') ? s + 1 : s;
        String word = new String(t, from, e - from, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        return word.equals("nan") || word.equals("inf") || word.equals("infinity");
    }

    private static boolean hasLetter(byte[] t, int s, int e) {
        for (int i = s; i < e; i++) {
            int c = t[i] | 0x20;
            if (c >= 'a' && c <= 'z') {
                return true;
            }
        }
        return false;
    }
}
