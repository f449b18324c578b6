package io.ferry.text;

import static io.ferry.text.ByteClasses.A_DELIM;
import static io.ferry.text.ByteClasses.A_OTHER;
import static io.ferry.text.ByteClasses.A_WS;
import static io.ferry.text.ByteClasses.COMMENT;
import static io.ferry.text.ByteClasses.HIGH;
import static io.ferry.text.ByteClasses.ORD;
import static io.ferry.text.ByteClasses.WS;
import static io.ferry.text.RowPlan.BYTES;
import static io.ferry.text.RowPlan.F32;
import static io.ferry.text.RowPlan.F64;
import static io.ferry.text.RowPlan.I32;
import static io.ferry.text.RowPlan.I64;
import static io.ferry.text.RowPlan.SKIP;

/// The parse loop: rows from whole lines, field by field, through the fast paths of the scanning
/// ([ByteClasses]), numbers ([Numbers]) and strings ([StringFields]) stages, with the line path
/// ([LinePath]) for whatever they do not take.
///
/// One loop switches on a small code per column, the column's kind: no virtual call per field.
/// The common kinds have a call site each, so the JIT inlines each fast path with its kind as a
/// constant and folds the kind's own switches away; this is why the stages' fast paths are
/// static methods or methods of final classes held in final fields.
///
/// A fast path returns where its field stops, or [#NOT_TAKEN] having stored nothing. The byte
/// where it stops must end the field ([ByteClasses#after]); otherwise, and when not taken, the
/// field's full parser reads it again from its start ([#slowNumber]), or the line path reads the
/// whole line. The line path also reads every row whose length is not the one the loop expects,
/// so that it alone decides a row's shape and its errors.
final class RowLoop {
    /// What a fast path returns for a field it does not take.
    static final int NOT_TAKEN = -1;
    /// Added to a kind in [#kinds] for a big-endian type.
    private static final int SWAPPED = 32;

    private final TextInput in;
    private final ByteClasses bytes;
    private final Numbers numbers;
    private final StringFields strings;
    private final LinePath linePath;
    private final RowPlan plan;
    // The plan's and the byte classes' arrays, one load away.
    private final int[] kinds;
    private final int[] offsets;
    private final int[] sizes;
    private final int minFields;
    private final int maxFields;
    private final byte[] cls;
    private final byte[] after;
    private final int separator;
    private final boolean wsMode;

    RowLoop(RowPlan plan, TextInput in, ByteClasses bytes, Numbers numbers, StringFields strings, LinePath linePath) {
        this.plan = plan;
        this.in = in;
        this.bytes = bytes;
        this.numbers = numbers;
        this.strings = strings;
        this.linePath = linePath;
        this.kinds = plan.kind.clone();
        for (int c = 0; c < kinds.length; c++) {
            kinds[c] += plan.swap[c] ? SWAPPED : 0;
        }
        this.offsets = plan.offset;
        this.sizes = plan.size;
        this.minFields = plan.minFields;
        this.maxFields = plan.maxFields;
        this.cls = bytes.cls;
        this.after = bytes.after;
        this.separator = bytes.separator;
        this.wsMode = bytes.wsMode;
    }

    /// Reads up to `rows` rows from the lines starting at [TextInput#pos] up to `last` (each is
    /// whole: a line break ends it) into `st` from `o`, one row per data line, and moves past them.
    /// {@return the rows read}
    int readLines(int last, int rows, byte[] st, int o) {
        final TextInput in = this.in;
        final byte[] b = in.buf;
        final byte[] cls = this.cls;
        final byte[] after = this.after;
        final int[] kinds = this.kinds;
        final int[] offsets = this.offsets;
        final int width = kinds.length;
        final int maxFields = this.maxFields;
        final int separator = this.separator;
        final int rowBytes = plan.rowBytes;
        int p = in.pos;
        int done = 0;
        while (p <= last && done < rows) {
            in.linesSeen++; // fields, not locals: an error message reads them
            in.lineStart = p;
            int c;
            if (wsMode) {
                while ((c = cls[b[p] & 0xff]) == WS) {
                    p++;
                }
                if (c == HIGH) { // whitespace past ASCII, or text: the line path
                    p = LineBreaks.after(b, linePath.read(b, st, o));
                    if (linePath.fieldCount() > 0) {
                        o += rowBytes;
                        done++;
                    }
                    continue;
                }
            } else {
                c = cls[b[p] & 0xff];
            }
            if (bytes.isLineEnd(b, p, c)) {
                p = LineBreaks.nextLine(b, p);
                continue;
            }
            int col = 0;
            while (true) {
                if (col >= maxFields) {
                    p = linePath.read(b, st, o); // one field too many, unless the loop miscounted
                    break;
                }
                int kind = col < width ? kinds[col] : SKIP;
                int start = p;
                // The common kinds get a call site each, so the JIT folds the kind's switches away.
                switch (kind) {
                    case SKIP -> p = bytes.skipField(b, p);
                    case BYTES -> p = strings.copy(b, p, st, o + offsets[col], sizes[col]);
                    case F32 -> p = Numbers.fastFloat(b, p, st, o + offsets[col], F32, false);
                    case F64 -> p = Numbers.fastFloat(b, p, st, o + offsets[col], F64, false);
                    case I32 -> p = Numbers.fastInteger(b, p, st, o + offsets[col], I32, false);
                    case I64 -> p = Numbers.fastInteger(b, p, st, o + offsets[col], I64, false);
                    default -> {
                        int k = kind & ~SWAPPED;
                        boolean swapped = kind != k;
                        p = k == F32 || k == F64 ? Numbers.fastFloat(b, p, st, o + offsets[col], k, swapped)
                                : Numbers.fastInteger(b, p, st, o + offsets[col], k, swapped);
                    }
                }
                if (p == NOT_TAKEN) { // the field's full parser, or the line path
                    p = kind == SKIP || kind == BYTES ? linePath.read(b, st, o) : slowNumber(b, start, st, o, col);
                }
                int x = b[p];
                if (x == separator) { // the common case, with a delimiter: the next field
                    p++;
                    col++;
                    continue;
                }
                if ((x == ' ' || x == '\t') && wsMode && cls[b[p + 1] & 0xff] == ORD) { // and without one
                    p++;
                    col++;
                    continue;
                }
                int a = after[x & 0xff];
                if (a == A_OTHER) {
                    p = slowField(b, start, p, st, o, kind & ~SWAPPED, col);
                    a = after[b[p] & 0xff];
                }
                col++;
                if (a == A_DELIM) {
                    p++;
                    continue;
                }
                if (a == A_WS) {
                    do {
                        c = cls[b[++p] & 0xff];
                    } while (c == WS);
                    if (bytes.isLineEnd(b, p, c)) {
                        break;
                    }
                    continue;
                }
                break; // A_END, or a position slowField says ends the line
            }
            if (col < minFields && !linePath.hasRead(in.linesSeen)) {
                // Fewer fields than a row has: the line path decides (a row whose columns move,
                // or text the loop miscounted), unless it read the line already.
                p = linePath.read(b, st, o);
            }
            p = b[p] == '\n' ? p + 1 : LineBreaks.nextLine(b, p);
            o += rowBytes;
            done++;
        }
        in.pos = p;
        return done;
    }

    /// After a field's fast path stopped at a byte [ByteClasses#after] does not know: a number's
    /// full parser, or (after text) a comment of several characters to check. {@return the
    /// position after the field}: a delimiter, whitespace in whitespace mode, or the end of the
    /// line's content
    private int slowField(byte[] b, int start, int p, byte[] st, int o, int kind, int col) {
        if (kind == SKIP || kind == BYTES) {
            return cls[b[p] & 0xff] == COMMENT && bytes.isComment(b, p) ? p : linePath.read(b, st, o);
        }
        return slowNumber(b, start, st, o, col);
    }

    /// Every number the fast paths do not take (long, out of range, an exponent, whitespace around
    /// it in a delimited field, not a number), read again from the field's start `start` into the
    /// row at `o`; text beyond ASCII or a quote go to the line path. {@return the field's end}
    private int slowNumber(byte[] b, int start, byte[] st, int o, int col) {
        int end = bytes.skipToken(b, start);
        if (b[start] == bytes.quote || b[end] < 0 || (cls[b[end] & 0xff] == COMMENT && !bytes.isComment(b, end))
                || !Utf8.isAscii(b, start, end)) {
            return linePath.read(b, st, o);
        }
        int s = start;
        int e = end;
        while (s < e && cls[b[s] & 0xff] == WS) {
            s++;
        }
        while (e > s && cls[b[e - 1] & 0xff] == WS) {
            e--;
        }
        try {
            numbers.store(b, s, e, st, o + offsets[col], plan.output[col], col, s);
        } catch (TextParseException error) {
            return linePath.read(b, st, o); // it decides, the row's shape first
        }
        return end;
    }
}
