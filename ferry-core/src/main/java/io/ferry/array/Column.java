package io.ferry.array;

import io.ferry.dtype.Field;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/// One field of every record of a structured [NdArray]: typed access by row, without boxing.
///
/// Numbers convert as Java's casts do (`getDouble` of an `i4`, `getLong` of an `f8`);
/// `S<n>` fields are read and written as bytes.
public final class Column {
    private final NdArray array;
    private final Field field;
    private final ElementAccess access;
    private final long stride;

    Column(NdArray array, Field field) {
        this.array = array;
        this.field = field;
        this.access = new ElementAccess(field.type());
        this.stride = array.dtype().itemSize();
    }

    /// {@return the field this column reads}
    public Field field() {
        return field;
    }

    public long getLong(long row) {
        return access.getLong(array.segment(), offset(row));
    }

    public int getInt(long row) {
        return (int) getLong(row);
    }

    public double getDouble(long row) {
        return access.getDouble(array.segment(), offset(row));
    }

    public float getFloat(long row) {
        return access.getFloat(array.segment(), offset(row));
    }

    public void setLong(long row, long v) {
        access.setLong(array.segment(), offset(row), v);
    }

    public void setDouble(long row, double v) {
        access.setDouble(array.segment(), offset(row), v);
    }

    /// {@return the field's bytes in `row`, trailing NULs removed as numpy does}
    public byte[] getBytes(long row) {
        MemorySegment s = array.segment().asSlice(offset(row), field.size());
        int n = field.size();
        while (n > 0 && s.get(ValueLayout.JAVA_BYTE, n - 1) == 0) {
            n--;
        }
        return s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /// {@return the field's bytes in `row` as ASCII text, trailing NULs removed}
    public String getString(long row) {
        return new String(getBytes(row), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /// Stores `value` zero-padded to the field's size.
    /// @throws IllegalArgumentException when it is longer than the field
    public void setBytes(long row, byte[] value) {
        if (value.length > field.size()) {
            throw new IllegalArgumentException(value.length + " bytes do not fit field '" + field.name() + "' ("
                    + field.type() + ")");
        }
        MemorySegment s = array.segment().asSlice(offset(row), field.size());
        MemorySegment.copy(value, 0, s, ValueLayout.JAVA_BYTE, 0, value.length);
        s.asSlice(value.length).fill((byte) 0);
    }

    /// {@return the value in `row` as Python prints it}
    public String format(long row) {
        return access.format(array.segment(), offset(row));
    }

    private long offset(long row) {
        return Objects.checkIndex(row, array.length()) * stride + field.offset();
    }
}
