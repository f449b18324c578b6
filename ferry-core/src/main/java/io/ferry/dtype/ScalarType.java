package io.ferry.dtype;

import java.nio.ByteOrder;
import java.util.Objects;

/// One scalar type as numpy knows it: a kind, a size in bytes and a byte order.
///
/// The byte order is always concrete: numpy's `=` (native) is resolved to this machine's order
/// when parsed, as `np.dtype('=i4').str` gives `'<i4'` on x86. For one-byte types and `S<n>`
/// the order does not matter and [#str()] prints `|`, as numpy does.
///
/// ```java
/// ScalarType t = ScalarType.parse("<i4");
/// assert t.kind() == Kind.INT && t.size() == 4 && t.str().equals("<i4");
/// assert ScalarType.parse("S10").str().equals("|S10");
/// ```
///
/// @param kind  what the bytes mean
/// @param size  bytes per value (the `n` of `S<n>`)
/// @param order byte order of the stored value
public record ScalarType(Kind kind, int size, ByteOrder order) {

    public ScalarType {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(order, "order");
        String problem = sizeProblem(kind, size);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (!orderMatters(kind, size)) {
            // One canonical value per type, so records compare equal whatever order was given.
            order = ByteOrder.nativeOrder();
        }
    }

    /// {@return a scalar type in this machine's byte order}
    public static ScalarType of(Kind kind, int size) {
        return new ScalarType(kind, size, ByteOrder.nativeOrder());
    }

    /// Parses one of numpy's type strings: `<i4`, `i4`, `=f8`, `>u2`, `|S10`, `S10`, `b1`, `?`.
    ///
    /// @throws DTypeSpecException quoting the text and pointing at the bad part
    public static ScalarType parse(String text) {
        return DTypeParser.parseScalar(text);
    }

    /// {@return numpy's `dtype.str` for this type, such as `<i4` or `|S10`}
    public String str() {
        char o = !orderMatters(kind, size) ? '|' : order == ByteOrder.LITTLE_ENDIAN ? '<' : '>';
        return "" + o + kind.code() + size;
    }

    /// {@return whether the stored bytes depend on byte order}
    public boolean hasByteOrder() {
        return orderMatters(kind, size);
    }

    @Override
    public String toString() {
        return str();
    }

    static boolean orderMatters(Kind kind, int size) {
        return kind != Kind.BYTES && kind != Kind.BOOL && size > 1;
    }

    /// {@return why `size` does not fit `kind`, or null when it does}
    static String sizeProblem(Kind kind, int size) {
        return switch (kind) {
            case BOOL -> size == 1 ? null : "a boolean is 1 byte (b1), not " + size;
            case INT, UINT -> size == 1 || size == 2 || size == 4 || size == 8 ? null
                    : "an integer is 1, 2, 4 or 8 bytes, not " + size;
            case FLOAT -> size == 4 || size == 8 ? null
                    : size == 2 || size == 16 ? "f" + size + " is not supported (f4 and f8 are)"
                    : "a float is 4 or 8 bytes, not " + size;
            case BYTES -> size >= 1 ? null : "a byte string needs at least 1 byte (S1 or more), not " + size;
        };
    }
}
