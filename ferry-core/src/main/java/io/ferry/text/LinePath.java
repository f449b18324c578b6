package io.ferry.text;

import io.ferry.file.StandardInput;

import java.io.IOException;
import java.nio.file.Path;

import static io.ferry.text.RowPlan.BYTES;

/// The line path: a line read as numpy reads it, for whatever the parse loop does not take (a
/// quote at a field's start, text past ASCII where it matters, a comment of several characters,
/// a row whose columns move, every error of a row's shape), and for every line of a plan the loop
/// cannot follow. [LineFields] splits the line; this class checks the row's shape against the
/// plan, in numpy's order (a quote left open, a column useCols names, too few fields, too many),
/// then converts each output with the numbers and strings stages.
final class LinePath {
    private final RowPlan plan;
    private final TextInput in;
    private final LineFields fields;
    private final Numbers numbers;
    private final StringFields strings;
    private final ParseErrors errors;
    /// The line ([TextInput#linesSeen]) read last, and its fields.
    private long lineRead = -1;
    private int fieldCount;

    LinePath(RowPlan plan, LoadOptions options, TextInput in, Numbers numbers, StringFields strings, ParseErrors errors) {
        this.plan = plan;
        this.in = in;
        this.fields = new LineFields(options);
        this.numbers = numbers;
        this.strings = strings;
        this.errors = errors;
    }

    /// Reads the line starting at [TextInput#lineStart] into the row at `st[o]`, unless it is
    /// blank (see [#fieldCount()]). {@return the position of the line's break}
    /// @throws TextParseException for a line numpy refuses, or (strict) reads as values it is not
    int read(byte[] b, byte[] st, int o) {
        int from = in.lineStart;
        int brk = LineBreaks.breakAt(b, from);
        int n = fields.split(b, from, brk, brk == in.addedBreak);
        lineRead = in.linesSeen;
        fieldCount = n;
        if (fields.openQuote >= 0) {
            throw errors.quoteNotClosed(b, fields.openQuote, fields.contentEnd, fields.openField);
        }
        if (n == 0) {
            return brk;
        }
        for (int j = 0; j < plan.outColumn.length; j++) {
            if (plan.usesCols && plan.columnOf(j, n) < 0) {
                throw errors.noSuchColumn(b, from, brk, fields.contentEnd, j, n);
            }
        }
        int expected = plan.expectedFields();
        if (expected >= 0 && n < expected) {
            throw errors.tooFewFields(b, from, brk, fields.contentEnd, n, expected);
        }
        if (expected >= 0 && n > expected) {
            throw errors.tooManyFields(fields.text, fields.start[expected], fields.stop[expected],
                    fields.source[expected], expected);
        }
        for (int j = 0; j < plan.outColumn.length; j++) {
            int c = plan.usesCols ? plan.columnOf(j, n) : j;
            storeField(c, j, st, o + plan.outOffset[j]);
        }
        return brk;
    }

    /// {@return the fields of the line [#read] read last}: 0 for a blank line (or one of a comment),
    /// which is no row
    int fieldCount() {
        return fieldCount;
    }

    /// {@return whether [#read] read the line `line` (a value of [TextInput#linesSeen]) last}
    boolean hasRead(long line) {
        return lineRead == line;
    }

    /// Reads up to `rows` rows from the lines starting at [TextInput#pos] up to `last` (each is
    /// whole) into `st` from `o`, one row per line that is not blank, and moves past them.
    /// {@return the rows read}
    int readLines(int last, int rows, byte[] st, int o) {
        byte[] b = in.buf;
        int p = in.pos;
        int done = 0;
        while (p <= last && done < rows) {
            in.linesSeen++;
            in.lineStart = p;
            p = LineBreaks.after(b, read(b, st, o));
            if (fieldCount > 0) {
                o += plan.rowBytes;
                done++;
            }
        }
        in.pos = p;
        return done;
    }

    /// Stores field `c` of the line just split as output `j` at `st[o]`.
    private void storeField(int c, int j, byte[] st, int o) {
        byte[] t = fields.text;
        int s = fields.start[c];
        int e = fields.stop[c];
        int at = fields.source[c];
        if (plan.outKind[j] == BYTES) {
            strings.store(t, s, e, st, o, j, c, at);
            return;
        }
        int from = s;
        for (int k; (k = Utf8.spaceAt(t, s, e)) > 0; ) {
            s += k;
        }
        for (int k; (k = Utf8.spaceBefore(t, s, e)) > 0; ) {
            e -= k;
        }
        numbers.store(t, s, e, st, o, j, c, fields.quoted[c] ? at : at + (s - from));
    }

    /// The first data row of a file: its fields and its line.
    record FirstRow(int fields, long line) {
    }

    /// {@return the first data row of a file (after `skipRows`, blank and comment lines), split as
    /// the line path splits it; `fields` -1 when the file has none, or `maxRows` reads none}: read by an input of its own,
    /// so a long first line costs what it costs a reader (and a line past the limit is refused
    /// before it is read whole)
    static FirstRow firstRow(Path path, LoadOptions options) throws IOException {
        if (options.maxRows() == 0) {
            return new FirstRow(-1, -1);   // no row is read: numpy's (0, 1), whatever the file holds
        }
        if (StandardInput.is(path)) {   // read once only: what the look read, the load reads again
            return StandardInput.peek(() -> firstRowRead(path, options));
        }
        return firstRowRead(path, options);
    }

    private static FirstRow firstRowRead(Path path, LoadOptions options) throws IOException {
        LineFields fields = new LineFields(options);
        try (TextInput in = new TextInput(path, options, 0, Long.MAX_VALUE, true)) {
            while (true) {
                if (!in.hasWholeLine()) {
                    if (!in.fill()) {
                        return new FirstRow(-1, -1);
                    }
                    continue;
                }
                if (in.skipLine()) {
                    continue;
                }
                byte[] b = in.buf;
                in.linesSeen++;
                int brk = LineBreaks.breakAt(b, in.pos);
                if (fields.split(b, in.pos, brk, brk == in.addedBreak) > 0) {
                    return new FirstRow(fields.count, in.linesSeen);
                }
                in.pos = LineBreaks.after(b, brk);
            }
        }
    }
}
