package io.ferry.text;

import io.ferry.dtype.DType;
import io.ferry.dtype.Kind;
import io.ferry.dtype.ScalarType;
import io.ferry.gzip.Gzip;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/// Chooses a dtype from a sample of the inputs, as `np.genfromtxt(dtype=None)` chooses kinds, but
/// with fixed sizes Ferry can hold: `i8` where every value sampled is an integer in its range, else
/// `f8` where every value is a number (`nan`, `inf`, `1e5` included), else `S<n>`, n the longest
/// text seen rounded up to a multiple of 8 (at least `minStringBytes`). An empty field makes a
/// column `S` (numpy's loader reads no empty number). Text such as `True` is a string: Ferry's
/// `b1` reads integers, as numpy's loadtxt does.
///
/// The sample of each input is its first 1 MiB of text and, for a plain file over 4 MiB, 1 MiB
/// from its middle and 1 MiB before its end (whole lines only); rows are split as the loader
/// splits them (delimiter, comments, quotes, skiprows). A row the sample did not see may not fit:
/// the loader then stops at it with its usual error. Every input gets the one dtype.
///
/// ```java
/// TypeInference t = TypeInference.sample(files, LoadOptions.DEFAULT, 0);   // after skiprows (and a header)
/// DType d = t.dtype();     // f0:S8,f1:i8,f2:f8 ... or a plain f8 when every column is f8
/// ```
public final class TypeInference {
    static final int SAMPLE_BYTES = 1 << 20;
    private static final Pattern INT = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    /// Per file column: 0 int, 1 float, 2 string; and the longest text.
    private final List<int[]> columns = new ArrayList<>();
    private final int minStringBytes;
    private long rows;

    private TypeInference(int minStringBytes) {
        this.minStringBytes = minStringBytes;
    }

    /// {@return the types of the columns of `files`} read with `options` (after its skiprows)
    /// @param minStringBytes the least size of an `S` field (`--infer-size`); 0 for the longest seen
    public static TypeInference sample(List<Path> files, LoadOptions options, int minStringBytes) throws IOException {
        TypeInference t = new TypeInference(minStringBytes);
        LoadOptions all = options.toBuilder().allCols().build();
        for (Path f : files) {
            t.sampleFile(f, all);
        }
        return t;
    }

    /// {@return the data rows sampled}
    public long rows() {
        return rows;
    }

    /// {@return the columns seen}: those of the widest row sampled
    public int columns() {
        return columns.size();
    }

    /// {@return the type of file column `c`} (negative: from the end), or null when no row sampled has it
    public ScalarType type(int c) {
        int at = c < 0 ? c + columns.size() : c;
        if (at < 0 || at >= columns.size()) {
            return null;
        }
        int[] k = columns.get(at);
        return switch (k[0]) {
            case 0 -> ScalarType.of(Kind.INT, 8);
            case 1 -> ScalarType.of(Kind.FLOAT, 8);
            default -> ScalarType.parse("S" + Math.max(minStringBytes, Math.max(8, (k[1] + 7) / 8 * 8)));
        };
    }

    /// {@return the dtype of the columns `useCols` names (null: every column)}: a plain dtype when
    /// all are the same number type (rows × columns, as genfromtxt gives), else a record of fields
    /// `f0`, `f1`… (genfromtxt's names)
    /// @throws io.ferry.FerryException when the sample has no data row
    public DType dtype(int[] useCols) {
        if (columns.isEmpty()) {
            throw new io.ferry.FerryException("--dtype infer found no data rows to infer a dtype from (the inputs"
                    + " are empty, or comments, skipped or header lines only): give the dtype (--dtype)");
        }
        int n = useCols == null ? columns.size() : useCols.length;
        List<ScalarType> types = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            ScalarType t = type(useCols == null ? j : useCols[j]);
            types.add(t == null ? ScalarType.parse("S" + Math.max(8, minStringBytes)) : t);
        }
        if (types.stream().distinct().count() == 1 && types.getFirst().kind() != Kind.BYTES) {
            return DType.of(types.getFirst());
        }
        DType.Builder b = DType.builder();
        for (int j = 0; j < n; j++) {
            b.add("f" + j, types.get(j));
        }
        return b.build();
    }

    private void sampleFile(Path file, LoadOptions options) throws IOException {
        LineFields fields = new LineFields(options);
        if (Gzip.isGzip(file)) {
            try (InputStream in = Gzip.openText(file)) {
                sampleText(in.readNBytes(SAMPLE_BYTES), true, options, fields);
            }
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            sampleText(read(ch, 0), true, options, fields);
            // With max_rows, the run reads the first rows only: the middle and the end may be a
            // footer (`total NA`) that made a number column text.
            if (size > 4L * SAMPLE_BYTES && options.maxRows() == LoadOptions.ALL_ROWS) {
                sampleText(read(ch, size / 2), false, options, fields);
                sampleText(read(ch, size - SAMPLE_BYTES), false, options, fields);
            }
        }
    }

    private static byte[] read(FileChannel ch, long at) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(SAMPLE_BYTES, Math.max(0, ch.size() - at)));
        while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
            // until full or the file's end
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /// Samples the whole lines of `text`: from the file's start (`first`: skiprows applies, a last
    /// line without a break counts only when the text is all there is), or from inside it (the
    /// first, partial, line dropped).
    private void sampleText(byte[] text, boolean first, LoadOptions options, LineFields fields) {
        int pos = 0;
        long line = 0;
        long dataRows = 0;   // of this text: max_rows counts from the file's start
        if (!first) {
            while (pos < text.length && text[pos] != '\n' && text[pos] != '\r') {
                pos++;
            }
        }
        while (pos < text.length && (options.maxRows() == LoadOptions.ALL_ROWS || dataRows < options.maxRows())) {
            int end = pos;
            while (end < text.length && text[end] != '\n' && text[end] != '\r') {
                end++;
            }
            if (end == text.length && (!first || text.length == SAMPLE_BYTES)) {
                return; // a line cut by the sample's end
            }
            if (!(first && line < options.skipRows())) {
                int n = fields.split(text, pos, end, end == text.length);
                if (n > 0 && fields.openQuote < 0) {
                    row(fields, n);
                    dataRows++;
                }
            }
            line++;
            pos = end < text.length && text[end] == '\r' && end + 1 < text.length && text[end + 1] == '\n' ? end + 2 : end + 1;
        }
    }

    private void row(LineFields f, int n) {
        rows++;
        for (int c = 0; c < n; c++) {
            if (c == columns.size()) {
                columns.add(new int[]{0, 0});
            }
            int[] k = columns.get(c);
            String raw = new String(f.text, f.start[c], f.stop[c] - f.start[c], StandardCharsets.UTF_8);
            String token = raw.strip();
            k[1] = Math.max(k[1], raw.length());
            if (k[0] == 0 && !(INT.matcher(token).matches() && fitsLong(token))) {
                k[0] = 1;
            }
            if (k[0] == 1 && !FLOAT.matcher(token).matches()) {
                k[0] = 2;
            }
        }
    }

    private static boolean fitsLong(String token) {
        try {
            Long.parseLong(token.startsWith("+") ? token.substring(1) : token);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
