package io.ferry.cli.options;

import io.ferry.Sizes;
import io.ferry.dtype.DType;
import io.ferry.dtype.DTypeSpecException;
import io.ferry.json.Json;
import io.ferry.json.JsonException;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/// The loader's options, shared by `load`, `share`, `convert` and `ferry-spark`'s command line:
/// numpy's `loadtxt` arguments, as a picocli mixin.
public final class LoaderOptions {
    @Option(names = "--dtype", required = true, paramLabel = "SPEC",
            description = "Record layout, numpy-compatible: compact (chr:S10,pos:i4,pct:f4), numpy's descr ([('chr', 'S10'), ('pos', '<i4')]) or JSON; a plain type (f8) gives rows x columns. ferry convert also takes infer (chosen from a sample of the inputs).")
    String dtype;

    @Option(names = {"-d", "--delimiter"}, paramLabel = "CHAR",
            description = "Field separator: one ASCII character, or tab (or \\t), comma, space, semicolon; default: runs of whitespace.")
    String delimiter;

    @Option(names = "--comments", paramLabel = "TEXT", defaultValue = "#",
            description = "Comment start: a character or a string, repeated for several (--comments '#' --comments //), or none; or a JSON array of strings, each taken as it is (--comments '[\"--\", \"none\"]'). Default: ${DEFAULT-VALUE}.")
    List<String> comments;

    @Option(names = "--quotechar", paramLabel = "CHAR",
            description = "Quote character: a field starting with it may hold the delimiter and comment characters; two in a row inside stand for one. Default: no quoting.")
    String quoteChar;

    @Option(names = "--skiprows", paramLabel = "N", defaultValue = "0", description = "Skip the first N lines.")
    long skipRows;

    @Option(names = "--usecols", paramLabel = "COL", split = ",",
            description = "Read only these 0-based columns, comma-separated, in this order (negative: from the row's end); ferry convert --header takes the header's names too.")
    List<String> useCols;

    @Option(names = "--max-rows", paramLabel = "N", description = "Read at most N rows.")
    Long maxRows;

    @Option(names = "--max-line-bytes", paramLabel = "SIZE",
            description = "Longest line read, 1M to 1G (default 64M); a longer one is an error. A worker holds its longest line in memory.")
    String maxLineBytes;

    @Option(names = "--lenient",
            description = "numpy's silent behaviour instead of errors: truncate long strings, wrap integer overflow, round huge floats to inf, truncate ints written with a fraction, read rows of other lengths with --usecols.")
    boolean lenient;

    /// {@return the loader these options describe}
    /// @throws OptionException for options that are not valid, alone or together (numpy's rules)
    public TextLoader loader() {
        if (dtype.strip().equals("infer")) {   // convert's alone: it samples every input first
            throw new OptionException("--dtype infer is ferry convert's (and Python's ferry.convert's): it chooses the"
                    + " dtype from a sample of every input before the run; give the dtype here (ferry convert --dtype"
                    + " infer --dry-run prints the one it would choose)");
        }
        DType dt;
        try {
            dt = DType.parse(dtype);
        } catch (DTypeSpecException e) {
            throw usage(e);
        }
        try {
            return TextLoader.of(dt, loadOptions());
        } catch (IllegalArgumentException e) {
            throw new OptionException(e.getMessage());
        }
    }

    /// {@return the loader's options but the dtype}, `--usecols` as column numbers
    /// @throws OptionException for options that are not valid, alone or together (numpy's rules)
    public LoadOptions loadOptions() {
        LoadOptions.Builder b = loadOptionsWithoutUseCols().toBuilder();
        if (useCols != null) {
            int[] cols = new int[useCols.size()];
            for (int i = 0; i < cols.length; i++) {
                try {
                    cols[i] = Integer.parseInt(useCols.get(i).strip());
                } catch (NumberFormatException e) {
                    throw new OptionException("--usecols takes 0-based column numbers, not '" + useCols.get(i) + "'"
                            + " (names need a header line: ferry convert --header)");
                }
            }
            try {
                b.useCols(cols);
            } catch (IllegalArgumentException e) {
                throw new OptionException(e.getMessage());
            }
        }
        return b.build();
    }

    /// {@return the `--usecols` as given (numbers or header names), or null}
    public List<String> useColumns() {
        return useCols == null ? null : List.copyOf(useCols);
    }

    /// {@return the `--dtype` as given}
    public String dtypeSpec() {
        return dtype;
    }

    /// {@return the usage error for a `--dtype` that does not parse}
    public static OptionException usage(DTypeSpecException e) {
        return new OptionException("--dtype '" + e.spec() + "': " + e.reason() + " (at character " + (e.position() + 1) + ")",
                e.hint().orElse(null));
    }

    /// {@return the loader's options but the dtype and `--usecols`} (see [#useColumns()])
    /// @throws OptionException for options that are not valid, alone or together (numpy's rules)
    public LoadOptions loadOptionsWithoutUseCols() {
        if (skipRows < 0) {
            throw new OptionException("--skiprows takes a number of lines, 0 or more, not " + skipRows);
        }
        if (maxRows != null && maxRows < 0) { // numpy refuses it too; LoadOptions takes -1 for all rows
            throw new OptionException("--max-rows takes a number of rows, 0 or more, not " + maxRows);
        }
        try {
            LoadOptions.Builder b = LoadOptions.builder();
            if (delimiter != null) {
                b.delimiter(oneChar("--delimiter", delimiter));
            }
            List<String> literal = comments.size() == 1 ? jsonStrings(comments.getFirst()) : null;
            if (literal != null) {
                if (literal.isEmpty()) {
                    b.noComments();
                } else {
                    b.comments(literal.toArray(String[]::new));
                }
            } else if (comments.size() == 1 && comments.getFirst().equalsIgnoreCase("none")) {
                b.noComments();
            } else {
                if (comments.stream().anyMatch(String::isEmpty)) {
                    throw new OptionException("--comments takes a character or a string (repeat the option for several),"
                            + " or none; not an empty string");
                }
                b.comments(comments.stream().map(LoaderOptions::named).toArray(String[]::new));
            }
            if (quoteChar != null) {
                b.quoteChar(oneChar("--quotechar", quoteChar));
            }
            b.skipRows(skipRows);
            if (maxRows != null) {
                b.maxRows(maxRows);
            }
            if (maxLineBytes != null) {
                b.maxLineBytes(Sizes.parse("--max-line-bytes", maxLineBytes));
            }
            b.lenient(lenient);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new OptionException(e.getMessage());
        }
    }

    /// {@return the strings of `text` when it is a JSON array of strings, else null}: the spelling
    /// that takes every comment as it is, which the others cannot give: `--` (the end of options
    /// to the command line's parser), a name (`none`, `tab`), an option's name (`-h`). The Python
    /// package passes its `comments` so.
    private static List<String> jsonStrings(String text) {
        if (!text.startsWith("[")) {
            return null;
        }
        try {
            List<Object> items = Json.asList(Json.parse(text), "comments");
            List<String> strings = new ArrayList<>();
            for (Object item : items) {
                if (!(item instanceof String string)) {
                    return null;
                }
                strings.add(string);
            }
            return strings;
        } catch (JsonException e) {
            return null; // "[" or "[x": a comment that starts so
        }
    }

    /// {@return a character's name made the character}: tab, comma, space, semicolon, `\t`
    private static String named(String text) {
        return switch (text.toLowerCase()) {
            case "tab", "\\t" -> "\t";
            case "comma" -> ",";
            case "space" -> " ";
            case "semicolon" -> ";";
            default -> text;
        };
    }

    /// {@return `text` with its control characters escaped (`\r`, `\n`, `\x7f`), so that a message shows them}
    private static String shown(String text) {
        StringBuilder b = new StringBuilder();
        text.chars().forEach(c -> b.append(c == '\r' ? "\\r" : c == '\n' ? "\\n"
                : c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : Character.toString(c)));
        return b.toString();
    }

    private static char oneChar(String option, String text) {
        String t = named(text);
        if (t.length() != 1 || t.charAt(0) > 0x7f || t.charAt(0) == '\n' || t.charAt(0) == '\r') {
            throw new OptionException(option + " takes one ASCII character other than a line break, or one of the"
                    + " names tab, comma, space and semicolon, not '" + shown(text) + "'");
        }
        return t.charAt(0);
    }
}
