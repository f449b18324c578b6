package io.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// The table of a wire protocol in a source file's doc comment, read back for a test that checks it
/// against the protocol's records, so the table cannot drift from the code.
///
/// A row is a comment line `/// parent → child  {json}  optional words` (or `child → parent`)
/// inside a ```` ```text ```` block.
public final class ProtocolTable {
    private static final Pattern ROW = Pattern.compile("^\\s*/// (parent|child) → (parent|child)\\s+(\\{.*)$");

    /// One row: who sends it, and the example message as written.
    public record Row(String from, String json, int line) {
        /// {@return whether the parent sends it}
        public boolean toChild() {
            return from.equals("parent");
        }
    }

    private ProtocolTable() {
    }

    /// {@return the rows of the table in `source`}, a path under the module's directory
    public static List<Row> rows(String source) {
        Path file = Path.of(System.getProperty("basedir", ".")).resolve(source);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Row> rows = new ArrayList<>();
        boolean inText = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.equals("/// ```text")) {
                inText = true;
            } else if (l.equals("/// ```")) {
                inText = false;
            } else if (inText) {
                Matcher m = ROW.matcher(l);
                if (m.matches()) {
                    rows.add(new Row(m.group(1), object(m.group(3)), i + 1));
                }
            }
        }
        return rows;
    }

    /// {@return the JSON object that starts `text`}, without the words after it
    private static String object(String text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return text.substring(0, i + 1);
            }
        }
        throw new IllegalArgumentException("no whole JSON object in: " + text);
    }

    /// {@return the records a sealed type permits, its sealed subinterfaces' included}
    public static List<Class<?>> records(Class<?> sealed) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isRecord()) {
                if (!out.contains(c)) {
                    out.add(c);
                }
            } else {
                records(c).stream().filter(r -> !out.contains(r)).forEach(out::add);
            }
        }
        return out;
    }
}
