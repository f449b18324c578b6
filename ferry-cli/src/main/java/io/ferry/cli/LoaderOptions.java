package io.ferry.cli;

import io.ferry.dtype.DType;
import io.ferry.dtype.DTypeSpecException;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;
import picocli.CommandLine.Option;

/// The loader's options, shared by `load`, `share`, `convert` and `ferry-spark`'s command line:
/// numpy's `loadtxt` arguments, as a picocli mixin.
public final class LoaderOptions {
    @Option(names = "--dtype", required = true, paramLabel = "SPEC",
            description = "Record layout, numpy-compatible: compact (chr:S10,pos:i4,pct:f4), numpy's descr ([('chr', 'S10'), ('pos', '<i4')]) or JSON; a plain type (f8) gives rows x columns.")
    String dtype;

    @Option(names = {"-d", "--delimiter"}, paramLabel = "CHAR",
            description = "Field separator: one character, or tab, comma, space; default: runs of spaces and tabs.")
    String delimiter;

    @Option(names = "--comments", paramLabel = "CHAR", defaultValue = "#",
            description = "Comment character (default: ${DEFAULT-VALUE}), or none.")
    String comments;

    @Option(names = "--skiprows", paramLabel = "N", defaultValue = "0", description = "Skip the first N lines.")
    long skipRows;

    @Option(names = "--usecols", paramLabel = "I,J,...", split = ",",
            description = "Read only these 0-based columns, in this order.")
    int[] useCols;

    @Option(names = "--max-rows", paramLabel = "N", description = "Read at most N rows.")
    Long maxRows;

    @Option(names = "--lenient",
            description = "numpy's silent behaviour instead of errors: truncate long strings, wrap integer overflow, round huge floats to inf, truncate ints written with a fraction.")
    boolean lenient;

    /// {@return the loader these options describe}
    /// @throws io.ferry.FerryException for a delimiter or comment that is not one character
    public TextLoader loader() {
        DType dt;
        try {
            dt = DType.parse(dtype);
        } catch (DTypeSpecException e) {
            throw new CliException("--dtype '" + e.spec() + "': " + e.reason() + " (at character " + (e.position() + 1) + ")");
        }
        if (skipRows < 0) {
            throw new CliException("--skiprows takes a number of lines, 0 or more, not " + skipRows);
        }
        if (maxRows != null && maxRows < 0) { // numpy refuses it too; LoadOptions takes -1 for all rows
            throw new CliException("--max-rows takes a number of rows, 0 or more, not " + maxRows);
        }
        LoadOptions.Builder b = LoadOptions.builder();
        try {
            if (delimiter != null) {
                b.delimiter(oneChar("--delimiter", delimiter));
            }
            if (comments.equalsIgnoreCase("none")) {
                b.noComments();
            } else {
                b.comments(oneChar("--comments", comments));
            }
            b.skipRows(skipRows);
            if (useCols != null) {
                b.useCols(useCols);
            }
            if (maxRows != null) {
                b.maxRows(maxRows);
            }
            b.lenient(lenient);
            return TextLoader.of(dt, b.build());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
    }

    private static char oneChar(String option, String text) {
        String t = switch (text.toLowerCase()) {
            case "tab", "\\t" -> "\t";
            case "comma" -> ",";
            case "space" -> " ";
            case "semicolon" -> ";";
            default -> text;
        };
        if (t.length() != 1 || t.charAt(0) > 0x7e || t.charAt(0) == '\n' || t.charAt(0) == '\r') {
            throw new CliException(option + " takes one ASCII character (or tab, comma, space), not '" + text + "'");
        }
        return t.charAt(0);
    }
}
