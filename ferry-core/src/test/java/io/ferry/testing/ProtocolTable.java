package io.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /// Checks every row of the table in `source`: `read` reads its JSON as the side that receives it
    /// would, and `write` must write what it read back to the same JSON.
    /// {@return the classes of what was read: under `true` what the parent sends, under `false` what the child sends}
    public static <M> Map<Boolean, Set<Class<?>>> check(String source, Function<Row, M> read, Function<M, String> write) {
        List<Row> rows = rows(source);
        assertTrue(rows.size() >= 2, "no table rows found in " + source);
        Map<Boolean, Set<Class<?>>> sent = Map.of(true, new LinkedHashSet<>(), false, new LinkedHashSet<>());
        for (Row row : rows) {
            M message = read.apply(row);
            assertEquals(row.json(), write.apply(message), source + ", line " + row.line());
            sent.get(row.toChild()).add(message.getClass());
        }
        return sent;
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
