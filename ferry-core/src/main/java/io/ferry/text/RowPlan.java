package io.ferry.text;

import io.ferry.dtype.DType;
import io.ferry.dtype.Field;
import io.ferry.dtype.ScalarType;

import java.nio.ByteOrder;
import java.util.Arrays;

/// Where each field of a text row goes in a row of the output, worked out once per reader so the
/// parse loop only switches on small integer codes.
///
/// ```text
///  text row     chr1   12345   66.67   2   1          (file columns 0..4)
///                 │      │       │     │   │
///  kind[c]      BYTES   I32     F32   I32 I32         (SKIP for a column not read)
///  offset[c]      0     10      14    18  22          (bytes into the output row)
/// ```
///
/// The parse loop reads these per-column arrays; the line path ([LineFields]) reads the same
/// per output value (`out…[j]`), from the column `outColumn[j]` names, resolved for each row.
/// When the per-column arrays cannot say it (a column named twice, or a column the first row does
/// not have), [#fast] is false and every line takes the line path.
final class RowPlan {
    static final int SKIP = 0, BOOL = 1, I8 = 2, I16 = 3, I32 = 4, I64 = 5, U8 = 6, U16 = 7, U32 = 8, U64 = 9,
            F32 = 10, F64 = 11, BYTES = 12;

    // Per output value j (a field of a structured dtype, or a column of a plain one).
    final int[] outKind;
    final int[] outOffset;
    final int[] outSize;
    final boolean[] outSwap;
    final long[] outMin;
    final long[] outMax;
    final String[] outType;
    /// The file column output j reads, as given: negative counts from the row's end.
    final int[] outColumn;
    /// A structured field's name, or null for a plain dtype's column.
    private final String[] outName;

    // Per file column c up to the last one read: the parse loop's view.
    final int[] kind;
    final int[] offset;
    final int[] size;
    final boolean[] swap;
    /// The output column c fills, or -1.
    final int[] output;

    /// Whether the per-column arrays describe every row (else every line takes the line path).
    final boolean fast;
    /// Lenient with a negative column: a row of another length than the first takes the line path,
    /// which counts the column from that row's end, as numpy does.
    final boolean perRow;
    /// Whether the columns read were named (useCols).
    final boolean usesCols;
    /// Whether the dtype has named fields (one record per row).
    final boolean structured;
    /// Fields in the first data row, or -1 when unknown (there is none, or it was not needed).
    final int rowFields;
    /// Fields a row must have for the parse loop; [Integer#MAX_VALUE] for no upper limit.
    final int minFields;
    final int maxFields;
    /// Bytes of one output row (one record, or one row of a plain 2-D array).
    final int rowBytes;
    /// Values per output row for a plain dtype; 1 for a structured one.
    final int columns;
    private final int outputs;

    /// @param rowFields fields in the file's first data row, or -1 when unknown (there is none)
    RowPlan(DType dtype, LoadOptions options, int rowFields) {
        int[] use = options.useCols();
        this.structured = dtype.isStructured();
        checkUseCols(dtype, options);
        if (structured) {
            outputs = dtype.fields().size();
        } else {
            outputs = use != null ? use.length : Math.max(rowFields, 0);
        }
        this.usesCols = use != null;
        this.rowFields = rowFields;
        long rowSize = structured ? dtype.itemSize() : (long) outputs * dtype.itemSize();
        if (rowSize > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("rows of " + rowSize + " bytes are too large");
        }
        rowBytes = (int) rowSize;
        columns = structured ? 1 : outputs;

        outKind = new int[outputs];
        outOffset = new int[outputs];
        outSize = new int[outputs];
        outSwap = new boolean[outputs];
        outMin = new long[outputs];
        outMax = new long[outputs];
        outType = new String[outputs];
        outColumn = new int[outputs];
        outName = new String[outputs];
        for (int j = 0; j < outputs; j++) {
            ScalarType t;
            long off;
            if (structured) {
                Field f = dtype.fields().get(j);
                t = f.type();
                off = f.offset();
                outName[j] = f.name();
            } else {
                t = dtype.scalar();
                off = (long) j * t.size();
            }
            outColumn[j] = use == null ? j : use[j];
            outKind[j] = kindOf(t);
            outOffset[j] = (int) off;
            outSize[j] = t.size();
            outSwap[j] = t.hasByteOrder() && t.order() == ByteOrder.BIG_ENDIAN;
            outType[j] = t.str();
            long[] range = range(t);
            outMin[j] = range[0];
            outMax[j] = range[1];
        }

        // The parse loop's columns: negative ones counted from the first row's end.
        int[] cols = new int[outputs];
        boolean resolvable = true;
        boolean negative = false;
        for (int j = 0; j < outputs; j++) {
            int c = outColumn[j];
            negative |= c < 0;
            if (c < 0 && rowFields >= 0) {
                c += rowFields;
            }
            if (c < 0 && rowFields >= 0 || (use != null && rowFields >= 0 && c >= rowFields)) {
                resolvable = false; // the first row has no such column: its line fails on the line path
            }
            cols[j] = c;
        }
        int width = structured && use == null ? outputs : 0;
        for (int c : cols) {
            width = Math.max(width, c + 1);
        }
        kind = new int[width];
        offset = new int[width];
        size = new int[width];
        swap = new boolean[width];
        output = new int[width];
        Arrays.fill(output, -1);
        boolean twice = false;
        for (int j = 0; j < outputs; j++) {
            int c = cols[j];
            if (c < 0) {
                continue; // no data row: nothing will be read
            }
            twice |= output[c] >= 0;
            output[c] = j;
            kind[c] = outKind[j];
            offset[c] = outOffset[j];
            size[c] = outSize[j];
            swap[c] = outSwap[j];
        }
        this.fast = resolvable && !twice;
        this.perRow = options.lenient() && negative;
        boolean loose = options.lenient() && use != null && !negative;
        if (rowFields < 0 || (structured && use == null)) {
            minFields = structured && use == null ? outputs : width;
            maxFields = loose ? Integer.MAX_VALUE : minFields;
        } else {
            minFields = loose ? width : rowFields;
            maxFields = loose ? Integer.MAX_VALUE : rowFields;
        }
    }

    /// Checks that useCols, if given, names one column per field of a structured dtype, as numpy does.
    /// @throws IllegalArgumentException when it does not
    static void checkUseCols(DType dtype, LoadOptions options) {
        int[] use = options.useCols();
        if (dtype.isStructured() && use != null && use.length != dtype.fields().size()) {
            // usecols: numpy's name, which the command line and Python also use
            throw new IllegalArgumentException("usecols names " + use.length + (use.length == 1 ? " column" : " columns")
                    + " for the " + dtype.fields().size() + (dtype.fields().size() == 1 ? " field of " : " fields of ")
                    + dtype + ": one column a field");
        }
    }

    /// {@return the fields every row must have (to be checked on the line path), or -1 for any
    /// number}: the first row's (or the structured dtype's) count, but lenient with useCols
    int expectedFields() {
        return maxFields == Integer.MAX_VALUE || perRow ? -1 : maxFields;
    }

    /// {@return the file column output `j` reads in a row of `fields` fields, or -1 if it has none}
    int columnOf(int j, int fields) {
        int c = outColumn[j];
        if (c < 0) {
            c += fields;
        }
        return c >= 0 && c < fields ? c : -1;
    }

    /// {@return whether output `j`, read from file column `c`, may be the first number a row's
    /// reading met}: false when a number output comes before it both in the outputs and in the
    /// file's columns, so that it was read first whichever path read the row (the parse loop goes
    /// by column, the line path by output). A number that fails after another was read is data,
    /// not a header's name. A column counted from the row's end is not placed and does not count.
    boolean mayBeFirstNumber(int j, int c) {
        for (int k = 0; k < j; k++) {
            if (outKind[k] != BYTES && outKind[k] != SKIP && outColumn[k] >= 0 && outColumn[k] < c) {
                return false;
            }
        }
        return true;
    }

    /// {@return output `j` as a message names it, reading file column `c`} (-1: not known)
    String label(int j, int c) {
        String of = " (" + (j + 1) + " of " + outputs + ")";
        if (outName[j] != null) {
            return "field '" + outName[j] + "'" + of;
        }
        return (c >= 0 ? "column " + (c + 1) : "usecols " + outColumn[j]) + of;
    }

    /// {@return file column `c` as a message names it}: the output it fills, or the column alone
    String columnLabel(int c) {
        if (c < output.length && output[c] >= 0) {
            return label(output[c], c);
        }
        return "column " + (c + 1) + (c < output.length ? " (not read)" : "");
    }

    private static int kindOf(ScalarType t) {
        return switch (t.kind()) {
            case BOOL -> BOOL;
            case INT -> switch (t.size()) { case 1 -> I8; case 2 -> I16; case 4 -> I32; default -> I64; };
            case UINT -> switch (t.size()) { case 1 -> U8; case 2 -> U16; case 4 -> U32; default -> U64; };
            case FLOAT -> t.size() == 4 ? F32 : F64;
            case BYTES -> BYTES;
        };
    }

    /// {@return the range the fast path accepts, as signed longs} (u8 above 2^63 takes the slow path)
    private static long[] range(ScalarType t) {
        return switch (t.kind()) {
            case INT -> t.size() == 8 ? new long[]{Long.MIN_VALUE, Long.MAX_VALUE}
                    : new long[]{-(1L << (8 * t.size() - 1)), (1L << (8 * t.size() - 1)) - 1};
            case UINT -> t.size() == 8 ? new long[]{0, Long.MAX_VALUE} : new long[]{0, (1L << (8 * t.size())) - 1};
            case BOOL -> new long[]{Long.MIN_VALUE, Long.MAX_VALUE};
            default -> new long[]{0, 0};
        };
    }
}
