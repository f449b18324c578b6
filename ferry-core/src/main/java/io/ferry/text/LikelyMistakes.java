package io.ferry.text;

import io.ferry.Hint;

/// The mistakes people make calling a loader, guessed from the text an error is about, for
/// [TextParseException#hint()]:
///
/// - a header line: a number field of a file's first row holds a word. Skipping through that
///   line (`skiprows` = its number, the lines before it being skipped already, comments or blank)
///   is the fix;
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
    static Hint header(boolean firstRow, long line, byte[] t, int s, int e) {
        if (!firstRow || line < 1 || !hasLetter(t, s, e) || isNanOrInf(t, s, e)) {
            return null;
        }
        return new Hint("line " + line + " looks like a header (names where values go)", "skiprows", Long.toString(line));
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
