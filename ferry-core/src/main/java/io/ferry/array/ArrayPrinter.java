package io.ferry.array;

import io.ferry.dtype.Field;

/// numpy-style text for arrays: `array([(b'chr1', 10469, 0.5), ...], dtype=[...])`.
final class ArrayPrinter {
    private static final long SUMMARY_THRESHOLD = 1000; // numpy's default print threshold

    private ArrayPrinter() {
    }

    static String repr(NdArray a, int edge) {
        StringBuilder b = new StringBuilder("array([");
        long n = a.length();
        boolean summarise = a.size() > SUMMARY_THRESHOLD && n > 2L * edge;
        for (long r = 0; r < n; r++) {
            if (summarise && r == edge) {
                b.append("..., ");
                r = n - edge;
            }
            b.append(row(a, r));
            if (r < n - 1) {
                b.append(", ");
            }
        }
        b.append("]");
        b.append(", dtype=").append(a.dtype().descr());
        if (a.ndim() > 1) {
            b.append(", shape=(");
            long[] s = a.shape();
            for (int i = 0; i < s.length; i++) {
                b.append(i == 0 ? "" : ", ").append(s[i]);
            }
            b.append(")");
        }
        return b.append(")").toString();
    }

    static String head(NdArray a, int rows) {
        StringBuilder b = new StringBuilder();
        long n = Math.min(rows, a.length());
        for (long r = 0; r < n; r++) {
            b.append(row(a, r)).append('\n');
        }
        return b.toString();
    }

    /// One row: a record `(b'chr1', 10469, 0.5)`, a scalar `1.5`, or a nested list for n-d arrays.
    static String row(NdArray a, long r) {
        if (a.dtype().isStructured()) {
            StringBuilder b = new StringBuilder("(");
            int i = 0;
            for (Field f : a.dtype().fields()) {
                b.append(i++ == 0 ? "" : ", ").append(a.column(f.name()).format(r));
            }
            return b.append(i == 1 ? ",)" : ")").toString();
        }
        long per = a.length() == 0 ? 0 : a.size() / a.length();
        if (a.ndim() == 1) {
            return element(a, r);
        }
        StringBuilder b = new StringBuilder();
        nested(a, a.shape(), 1, r * per, b);
        return b.toString();
    }

    private static void nested(NdArray a, long[] shape, int dim, long start, StringBuilder b) {
        long stride = 1;
        for (int i = dim + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        b.append('[');
        for (long i = 0; i < shape[dim]; i++) {
            if (i > 0) {
                b.append(", ");
            }
            if (dim == shape.length - 1) {
                b.append(element(a, start + i));
            } else {
                nested(a, shape, dim + 1, start + i * stride, b);
            }
        }
        b.append(']');
    }

    private static String element(NdArray a, long i) {
        return a.plainAccess().format(a.segment(), i * a.dtype().itemSize());
    }
}
