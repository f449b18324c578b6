package io.ferry.text;

import io.ferry.dtype.DType;
import io.ferry.dtype.Field;
import io.ferry.dtype.ScalarType;

import java.nio.ByteOrder;
import java.util.Arrays;

/// Where each column of a text row goes in a row of the output, worked out once per reader so the
/// parse loop only switches on small integer codes.
///
/// ```text
///  text row     chr1   12345   66.67   2   1          (file columns 0..4)
///                 │      │       │     │   │
///  kind[c]      BYTES   I32     F32   I32 I32         (SKIP for a column not read)
///  offset[c]      0     10      14    18  22          (bytes into the output row)
/// ```
final class RowPlan {
    static final int SKIP = 0, BOOL = 1, I8 = 2, I16 = 3, I32 = 4, I64 = 5, U8 = 6, U16 = 7, U32 = 8, U64 = 9,
            F32 = 10, F64 = 11, BYTES = 12;

    /// Per file column up to the last one read.
    final int[] kind;
    final int[] offset;
    final int[] size;
    final boolean[] swap;
    final long[] min;
    final long[] max;
    final String[] label;
    final String[] type;
    /// Fields a row must have; [Integer#MAX_VALUE] for no upper limit (lenient with useCols).
    final int minFields;
    final int maxFields;
    /// Bytes of one output row (one record, or one row of a plain 2-D array).
    final int rowBytes;
    /// Values per output row for a plain dtype; 1 for a structured dtype.
    final int columns;

    /// @param rowFields fields in the file's first data row, or -1 when unknown (there is none)
    RowPlan(DType dtype, LoadOptions options, int rowFields) {
        int[] use = options.useCols();
        int outputs;
        if (dtype.isStructured()) {
            outputs = dtype.fields().size();
            if (use != null && use.length != outputs) {
                throw new IllegalArgumentException("useCols " + Arrays.toString(use) + " names " + use.length
                        + " columns for the " + outputs + " fields of " + dtype);
            }
        } else {
            outputs = use != null ? use.length : Math.max(rowFields, 0);
        }
        int[] cols = new int[outputs];
        for (int j = 0; j < outputs; j++) {
            int c = use == null ? j : use[j];
            if (c < 0) {
                if (rowFields < 0) {
                    c = -1; // no data row: nothing will be read
                } else if (c + rowFields < 0) {
                    throw new IllegalArgumentException("useCols " + use[j] + " is out of range: the first row has "
                            + rowFields + " fields");
                } else {
                    c += rowFields;
                }
            }
            cols[j] = c;
        }
        int width = 0;
        for (int c : cols) {
            width = Math.max(width, c + 1);
        }
        if (use == null && dtype.isStructured()) {
            width = outputs;
        }
        kind = new int[width];
        offset = new int[width];
        size = new int[width];
        swap = new boolean[width];
        min = new long[width];
        max = new long[width];
        label = new String[width];
        type = new String[width];
        long rowSize = dtype.isStructured() ? dtype.itemSize() : (long) outputs * dtype.itemSize();
        if (rowSize > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("rows of " + rowSize + " bytes are too large");
        }
        rowBytes = (int) rowSize;
        columns = dtype.isStructured() ? 1 : outputs;
        for (int j = 0; j < outputs; j++) {
            int c = cols[j];
            if (c < 0) {
                continue;
            }
            ScalarType t;
            long off;
            String name;
            if (dtype.isStructured()) {
                Field f = dtype.fields().get(j);
                t = f.type();
                off = f.offset();
                name = "field '" + f.name() + "' (" + (j + 1) + " of " + outputs + ")";
            } else {
                t = dtype.scalar();
                off = (long) j * t.size();
                name = "column " + (c + 1) + " (" + (j + 1) + " of " + outputs + ")";
            }
            kind[c] = kindOf(t);
            offset[c] = (int) off;
            size[c] = t.size();
            swap[c] = t.hasByteOrder() && t.order() == ByteOrder.BIG_ENDIAN;
            label[c] = name;
            type[c] = t.str();
            long[] range = range(t);
            min[c] = range[0];
            max[c] = range[1];
        }
        for (int c = 0; c < width; c++) {
            if (label[c] == null) {
                label[c] = "column " + (c + 1) + " (not read)";
            }
        }
        boolean loose = options.lenient() && use != null;
        if (rowFields < 0) {
            minFields = dtype.isStructured() && use == null ? outputs : width;
            maxFields = loose ? Integer.MAX_VALUE : minFields;
        } else if (dtype.isStructured() && use == null) {
            minFields = outputs;
            maxFields = outputs;
        } else {
            minFields = loose ? width : rowFields;
            maxFields = loose ? Integer.MAX_VALUE : rowFields;
        }
    }

    /// {@return the label of column `c`, also past the last column read}
    String label(int c) {
        return c < label.length ? label[c] : "column " + (c + 1);
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
