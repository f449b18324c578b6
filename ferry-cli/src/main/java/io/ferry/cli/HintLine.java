package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.Hint;

import java.util.Optional;
import java.util.regex.Pattern;

/// A [Hint] in the command's words, the line `ferry` prints under an error it can guess the
/// cause of:
///
/// ```text
/// ferry convert: h.txt:1:6: field 'pos' (2 of 3): 'pos' is not an integer (<i4)
/// hint: line 1 looks like a header (names where values go); try --skiprows 1
/// ```
final class HintLine {
    /// A value the shell passes as it is.
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:,/+=@%-]+");

    private HintLine() {
    }

    /// {@return the hint line for `error`}: of the first exception in its chain that has a hint
    static Optional<String> of(Throwable error) {
        return find(error).map(HintLine::words);
    }

    /// {@return the hint line for `error` in `command`}: a header line's hint also names the
    /// command's `--header`, which reads the names from that line
    static Optional<String> of(Throwable error, picocli.CommandLine.Model.CommandSpec command) {
        return find(error).map(h -> {
            String line = words(h);
            if (!h.option().equals("skiprows") || command.findOption("--header") == null || h.leavesOut()) {
                return line;
            }
            long before = Long.parseLong(h.value()) - 1;
            return line + ", or " + (before > 0 ? "--skiprows " + before + " --header" : "--header")
                    + " to take the names from it";
        });
    }

    /// {@return the hint of the first exception in `error`'s chain that has one}
    static Optional<Hint> find(Throwable error) {
        return FerryException.hintIn(error);
    }

    /// {@return `hint` as the command says it}: `hint: REASON; try --OPTION VALUE`
    static String words(Hint hint) {
        String option = "--" + hint.option().replace('_', '-');
        return "hint: " + hint.reason() + "; " + (hint.leavesOut() ? "try without " + option
                : hint.value().equals("true") ? "try " + option // a flag: --lenient
                : "try " + option + " " + value(hint.option(), hint.value()));
    }

    /// {@return `value` as typed in a shell}: a delimiter by the name `--delimiter` takes for it
    private static String value(String option, String value) {
        String named = !option.equals("delimiter") ? null : switch (value) {
            case "\t" -> "tab";
            case "," -> "comma";
            case " " -> "space";
            case ";" -> "semicolon";
            default -> null;
        };
        if (named != null) {
            return named;
        }
        return PLAIN.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }
}
