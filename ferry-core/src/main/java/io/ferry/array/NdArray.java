package io.ferry.array;

import io.ferry.dtype.DType;
import io.ferry.dtype.Field;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/// An n-dimensional array as numpy has it: a [DType], a shape in C order, and the memory that
/// holds the elements, here a [MemorySegment] (heap, native, or shared memory).
///
/// The array does not own its memory: whoever made the segment (an [Arena], a shared segment)
/// decides when it goes. Access after that throws [IllegalStateException], never crashes.
///
/// Structured dtypes give one record per element, read through a [Column]; plain dtypes are read
/// by flat index in C order.
///
/// ```java
/// DType dt = DType.parse("chr:S4,pos:i4,pct:f4");
/// try (Arena arena = Arena.ofConfined()) {
///     NdArray a = NdArray.allocate(dt, arena, 3);
///     Column pos = a.column("pos");
///     for (long row = 0; row < 3; row++) {
///         pos.setLong(row, 100 + row);
///         a.column("chr").setBytes(row, "chr1".getBytes());
///     }
///     assert pos.getInt(2) == 102;
///     assert a.slice(1, 3).column("pos").getInt(0) == 101;   // a view, no copy
///
///     NdArray grid = NdArray.allocate(DType.parse("<f4"), arena, 2, 3, 4); // (time, lat, lon)
///     grid.setDouble(grid.index(1, 2, 3), 1.5);
///     assert grid.getFloat(23) == 1.5f;
/// }
/// ```
public final class NdArray {
    private final DType dtype;
    private final long[] shape;
    private final MemorySegment segment;
    private final long size;
    private final ElementAccess plain;                 // plain dtypes only
    private final Map<String, Column> columns = new HashMap<>();

    private NdArray(DType dtype, long[] shape, MemorySegment segment) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (shape.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one dimension");
        }
        this.size = n;
        long need = Math.multiplyExact(n, dtype.itemSize());
        if (segment.byteSize() < need) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for shape "
                    + Arrays.toString(shape) + " of " + dtype + " (" + need + " bytes)");
        }
        this.segment = segment.asSlice(0, need);
        this.plain = dtype.isStructured() ? null : new ElementAccess(dtype.scalar());
    }

    /// {@return an array over existing memory}; the segment must hold at least the array's bytes.
    public static NdArray wrap(DType dtype, MemorySegment segment, long... shape) {
        return new NdArray(dtype, shape, segment);
    }

    /// {@return a zero-filled array in memory from `arena`}
    public static NdArray allocate(DType dtype, Arena arena, long... shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, Math.max(d, 0));
        }
        MemorySegment s = arena.allocate(Math.max(1, Math.multiplyExact(n, dtype.itemSize())), 8);
        return new NdArray(dtype, shape, s);
    }

    /// {@return the dtype}
    public DType dtype() {
        return dtype;
    }

    /// {@return the shape (a copy)}
    public long[] shape() {
        return shape.clone();
    }

    /// {@return the number of dimensions}
    public int ndim() {
        return shape.length;
    }

    /// {@return the length of the first axis (rows, records)}
    public long length() {
        return shape[0];
    }

    /// {@return the number of elements (the product of the shape)}
    public long size() {
        return size;
    }

    /// {@return the bytes of the array, exactly `size() * dtype().itemSize()` long}
    public MemorySegment segment() {
        return segment;
    }

    /// {@return the array's size in bytes}
    public long byteSize() {
        return segment.byteSize();
    }

    /// {@return rows `from` (inclusive) to `to` (exclusive) of the first axis, sharing this memory}
    public NdArray slice(long from, long to) {
        Objects.checkFromToIndex(from, to, shape[0]);
        long rowBytes = rowBytes();
        long[] s = shape.clone();
        s[0] = to - from;
        return new NdArray(dtype, s, segment.asSlice(from * rowBytes, (to - from) * rowBytes));
    }

    /// {@return bytes per step along the first axis}
    public long rowBytes() {
        return shape[0] == 0 ? (size == 0 ? elementsPerRow() * dtype.itemSize() : 0) : byteSize() / shape[0];
    }

    private long elementsPerRow() {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    /// {@return the flat C-order index of an element}, for the plain accessors.
    public long index(long... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException(idx.length + " indexes for " + shape.length + " dimensions");
        }
        long flat = 0;
        for (int i = 0; i < idx.length; i++) {
            Objects.checkIndex(idx[i], shape[i]);
            flat = flat * shape[i] + idx[i];
        }
        return flat;
    }

    /// {@return the field `name` of every record}
    /// @throws IllegalArgumentException when the dtype has no such field
    public Column column(String name) {
        return columns.computeIfAbsent(name, n -> new Column(this, dtype.field(n)));
    }

    /// {@return the column of field `f`}
    public Column column(Field f) {
        return column(f.name());
    }

    public long getLong(long i) {
        return plain().getLong(segment, offset(i));
    }

    public int getInt(long i) {
        return (int) getLong(i);
    }

    public double getDouble(long i) {
        return plain().getDouble(segment, offset(i));
    }

    public float getFloat(long i) {
        return plain().getFloat(segment, offset(i));
    }

    public void setLong(long i, long v) {
        plain().setLong(segment, offset(i), v);
    }

    public void setDouble(long i, double v) {
        plain().setDouble(segment, offset(i), v);
    }

    private long offset(long i) {
        return Objects.checkIndex(i, size) * dtype.itemSize();
    }

    private ElementAccess plain() {
        if (plain == null) {
            throw new UnsupportedOperationException("structured dtype " + dtype
                    + ": read a field with column(name), e.g. column(\"" + dtype.names().getFirst() + "\")");
        }
        return plain;
    }

    /// Arrays are equal when dtype, shape and every byte are equal (so NaNs with equal bits match).
    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray a && dtype.equals(a.dtype) && Arrays.equals(shape, a.shape)
                && segment.mismatch(a.segment) < 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), segment.byteSize());
    }

    /// numpy's repr, summarised as numpy does past 1000 elements (first and last 3 rows).
    @Override
    public String toString() {
        return ArrayPrinter.repr(this, 3);
    }

    /// {@return the first `rows` rows (or all, if fewer), one per line, as numpy prints elements}
    public String head(int rows) {
        return ArrayPrinter.head(this, rows);
    }

    ElementAccess plainAccess() {
        return plain;
    }
}
