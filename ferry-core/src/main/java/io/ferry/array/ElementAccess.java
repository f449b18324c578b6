package io.ferry.array;

import io.ferry.dtype.Kind;
import io.ferry.dtype.ScalarType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/// Reads and writes one scalar type at a byte offset, converting to and from `long` and `double`
/// without boxing. One instance per field or plain dtype; the switch is on a precomputed code.
final class ElementAccess {
    private static final int BOOL = 0, I1 = 1, I2 = 2, I4 = 3, I8 = 4, U1 = 5, U2 = 6, U4 = 7, U8 = 8,
            F4 = 9, F8 = 10, BYTES = 11;

    final ScalarType type;
    private final int code;
    private final ValueLayout.OfShort i2;
    private final ValueLayout.OfInt i4;
    private final ValueLayout.OfLong i8;
    private final ValueLayout.OfFloat f4;
    private final ValueLayout.OfDouble f8;

    ElementAccess(ScalarType type) {
        this.type = type;
        ByteOrder o = type.order();
        this.i2 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(o);
        this.i4 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(o);
        this.i8 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(o);
        this.f4 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(o);
        this.f8 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(o);
        this.code = switch (type.kind()) {
            case BOOL -> BOOL;
            case INT -> switch (type.size()) { case 1 -> I1; case 2 -> I2; case 4 -> I4; default -> I8; };
            case UINT -> switch (type.size()) { case 1 -> U1; case 2 -> U2; case 4 -> U4; default -> U8; };
            case FLOAT -> type.size() == 4 ? F4 : F8;
            case BYTES -> BYTES;
        };
    }

    boolean isFloat() {
        return type.kind() == Kind.FLOAT;
    }

    boolean isBytes() {
        return code == BYTES;
    }

    /// The value as a long; u8 values above `Long.MAX_VALUE` come back as their two's-complement bits.
    long getLong(MemorySegment s, long off) {
        return switch (code) {
            case BOOL, U1 -> s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
            case I1 -> s.get(ValueLayout.JAVA_BYTE, off);
            case I2 -> s.get(i2, off);
            case U2 -> s.get(i2, off) & 0xFFFF;
            case I4 -> s.get(i4, off);
            case U4 -> s.get(i4, off) & 0xFFFF_FFFFL;
            case I8, U8 -> s.get(i8, off);
            case F4 -> (long) s.get(f4, off);
            case F8 -> (long) s.get(f8, off);
            default -> throw new UnsupportedOperationException("a byte string (" + type + ") is not a number");
        };
    }

    double getDouble(MemorySegment s, long off) {
        return switch (code) {
            case F4 -> s.get(f4, off);
            case F8 -> s.get(f8, off);
            case U8 -> unsignedToDouble(s.get(i8, off));
            default -> getLong(s, off);
        };
    }

    float getFloat(MemorySegment s, long off) {
        return code == F4 ? s.get(f4, off) : (float) getDouble(s, off);
    }

    void setLong(MemorySegment s, long off, long v) {
        switch (code) {
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, off, (byte) (v != 0 ? 1 : 0));
            case I1, U1 -> s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
            case I2, U2 -> s.set(i2, off, (short) v);
            case I4, U4 -> s.set(i4, off, (int) v);
            case I8, U8 -> s.set(i8, off, v);
            case F4 -> s.set(f4, off, (float) v);
            case F8 -> s.set(f8, off, (double) v);
            default -> throw new UnsupportedOperationException("a byte string (" + type + ") is not a number");
        }
    }

    void setDouble(MemorySegment s, long off, double v) {
        switch (code) {
            case F4 -> s.set(f4, off, (float) v);
            case F8 -> s.set(f8, off, v);
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, off, (byte) (v != 0 ? 1 : 0));
            default -> setLong(s, off, integral(v));
        }
    }

    /// 2^63, the first double past a long
    private static final double TWO_63 = 0x1p63;

    /// {@return `v` cut to an integer as numpy assigns a float to an integer array}: its fraction
    /// dropped, then wrapped into the type by [#setLong] (`-1.5` into `u1` is 255). A `u8` takes
    /// every value below 2^64 exactly (Java's cast stopped at 2^63 - 1: 1.8e19 came out
    /// 9223372036854775807); what no C `long` holds (or `unsigned long long`, for `u8`), NaN and
    /// infinities are refused, as numpy raises OverflowError and ValueError.
    private long integral(double v) {
        if (code == U8 && v >= TWO_63 && v < 2 * TWO_63) {
            return (long) (v - TWO_63) + Long.MIN_VALUE;
        }
        if (Double.isNaN(v) || Double.isInfinite(v) || v >= TWO_63 || v <= -TWO_63 - 1) {
            throw new IllegalArgumentException(v + " cannot be " + type + " (numpy raises "
                    + (Double.isNaN(v) || Double.isInfinite(v) ? "ValueError" : "OverflowError") + " for it)");
        }
        return (long) v;
    }

    /// The value as Python would print it inside a numpy repr.
    String format(MemorySegment s, long off) {
        return switch (code) {
            case BOOL -> s.get(ValueLayout.JAVA_BYTE, off) != 0 ? "True" : "False";
            case U8 -> Long.toUnsignedString(s.get(i8, off));
            case F4 -> PythonFormat.floatRepr(s.get(f4, off));
            case F8 -> PythonFormat.doubleRepr(s.get(f8, off));
            case BYTES -> PythonFormat.bytesRepr(s.asSlice(off, type.size()));
            default -> Long.toString(getLong(s, off));
        };
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return v >= 0 ? v : d + (v & 1);
    }
}
