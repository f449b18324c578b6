package io.ferry.text;

import io.ferry.FerryException;
import io.ferry.gzip.Gzip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/// The field names of a table's header line, as `np.genfromtxt(file, names=True)` reads them.
///
/// ```text
///  # chr  pos  pct%   c  t      <- line 0 after skiprows: the header (a leading comment marker is dropped)
///  chr1   10   66.7   2  1      <- the rows: read with skiprows moved past the header
/// ```
///
/// The header is the first line after `skiprows` that has a field once a comment marker and what
/// comes before it are dropped (genfromtxt keeps what follows the marker: `# chr pos` names `chr`
/// and `pos`). It is split as rows are (the delimiter, quotes). Each name is made a field name as
/// numpy's `NameValidator` makes it: stripped, spaces made `_`, the characters
/// `` !"#$%&'()*+,-./:;<=>?@[\]^{|}~`` dropped, an empty name `f0`, `f1`…, `return`, `file`,
/// `print` given a `_`, and a name seen before suffixed `_1`, `_2`….
///
/// ```java
/// Header h = Header.read(Path.of("calls.tsv"), LoadOptions.DEFAULT);
/// assert h.names().equals(List.of("chr", "pos", "pct", "c", "t"));
/// TextLoader rows = TextLoader.of(dtype, h.rowOptions(LoadOptions.DEFAULT));   // the rows after it
/// ```
///
/// @param names the field names, as genfromtxt validates them
/// @param line  the header's line, 0-based, counting every line of the file
public record Header(List<String> names, long line) {
    private static final String DELETE = " !\"#$%&'()*+,-./:;<=>?@[\\]^{|}~";
    private static final Set<String> EXCLUDED = Set.of("return", "file", "print");

    public Header {
        names = List.copyOf(names);
    }

    /// {@return the header of `file` (plain or gzip) read with `options`}
    /// @throws FerryException when the file has no header line (it is empty after skiprows)
    /// @throws IOException when the file cannot be read
    public static Header read(Path file, LoadOptions options) throws IOException {
        LoadOptions noComments = options.toBuilder().noComments().skipRows(0).allCols().build();
        LineFields fields = new LineFields(noComments);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Gzip.openText(file), StandardCharsets.UTF_8))) {
            long n = 0;
            for (String line; (line = r.readLine()) != null; n++) {
                if (n < options.skipRows()) {
                    continue;
                }
                if (line.length() > options.maxLineBytes()) {
                    throw new FerryException(file + ":" + (n + 1) + ": the header line is longer than the longest line read ("
                            + options.maxLineBytes() + " bytes; --max-line-bytes)");
                }
                String text = afterComment(line, options.comments());
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                if (fields.split(b, 0, b.length, true) == 0) {
                    continue;
                }
                List<String> raw = new ArrayList<>();
                for (int k = 0; k < fields.count; k++) {
                    raw.add(new String(fields.text, fields.start[k], fields.stop[k] - fields.start[k], StandardCharsets.UTF_8));
                }
                // Twice, as genfromtxt validates them (reading the header, then making the dtype):
                // the second pass parts names the first made equal (a_1 a a: a_1 a a_1, then a_1_1)
                return new Header(validate(validate(raw)), n);
            }
        }
        throw new FerryException(file + ": no header line" + (options.skipRows() > 0 ? " after the " + options.skipRows()
                + " lines skipped (--skiprows)" : "") + ": the file is empty");
    }

    /// {@return `options` for the rows after this header}: skiprows past the header's line, and
    /// [LoadOptions#afterHeader()]
    public LoadOptions rowOptions(LoadOptions options) {
        return options.toBuilder().skipRows(line + 1).afterHeader(true).build();
    }

    /// {@return the column called `name`, 0-based, or -1}
    public int column(String name) {
        return names.indexOf(name);
    }

    /// Checks that `other` (of file `otherFile`) names the same fields as this (of `file`).
    /// @throws FerryException naming both files and the first column that differs
    public void checkSame(Path file, Header other, Path otherFile) {
        for (int i = 0; i < Math.max(names.size(), other.names.size()); i++) {
            String a = i < names.size() ? "'" + shown(names.get(i)) + "'" : "nothing";
            String b = i < other.names.size() ? "'" + shown(other.names.get(i)) + "'" : "nothing";
            if (!a.equals(b)) {
                throw new FerryException(otherFile + ":" + (other.line + 1) + ": its header differs from " + file
                        + "'s at column " + (i + 1) + ": " + b + " here, " + a + " there (every input of a run has the"
                        + " same header)");
            }
        }
    }

    /// {@return `name` as Python's repr shows a str's characters}: what is not printable (a
    /// control character, a byte-order mark, a space other than ' ') as a backslash escape
    /// (x, u or U and the code in hex). A header that began with a byte-order mark read "'a' here, 'a' there".
    static String shown(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean printable = c == ' ' || !(type == Character.CONTROL || type == Character.FORMAT
                    || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE || type == Character.UNASSIGNED);
            if (printable) {
                b.appendCodePoint(c);
            } else {
                b.append(c < 0x100 ? String.format("\\x%02x", c) : c < 0x10000 ? String.format("\\u%04x", c)
                        : String.format("\\U%08x", c));
            }
        });
        return b.toString();
    }

    /// genfromtxt keeps what follows the first comment marker, other markers dropped
    /// (`''.join(line.split(comments)[1:])`): `# chr pos` is `chr pos`.
    private static String afterComment(String line, List<String> comments) {
        for (String c : comments) {
            int at = line.indexOf(c);
            if (at >= 0) {
                line = line.substring(at + c.length()).replace(c, "");
            }
        }
        return line;
    }

    /// numpy's `NameValidator.validate` with its defaults.
    static List<String> validate(List<String> raw) {
        List<String> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int empty = 0;
        for (String item : raw) {
            StringBuilder b = new StringBuilder();
            for (char ch : item.strip().replace(' ', '_').toCharArray()) {
                if (DELETE.indexOf(ch) < 0) {
                    b.append(ch);
                }
            }
            String name = b.toString();
            if (name.isEmpty()) {
                name = "f" + empty;
                while (raw.contains(name)) {
                    name = "f" + ++empty;
                }
                empty++;
            } else if (EXCLUDED.contains(name)) {
                name += "_";
            }
            int count = seen.getOrDefault(name, 0);
            out.add(count > 0 ? name + "_" + count : name);
            seen.put(name, count + 1);
        }
        return out;
    }
}
