package io.ferry.hdf5;

import io.ferry.FerryVersion;
import io.ferry.dtype.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/// Scalar attributes as h5py writes and reads them: strings as variable-length strings (ASCII when
/// they are, else UTF-8; h5py reads both as `str`), integers as int64, floats as float64. Every
/// attribute Ferry writes comes through here, so its name, and a string's value, are checked here
/// for a NUL ([CStrings]), which HDF5 would end them at.
final class Attributes {
    private Attributes() {
    }

    static void writeString(long obj, String name, String value) {
        if (ValueLayout.ADDRESS.byteSize() != Long.BYTES) {
            throw new UnsupportedOperationException("Ferry writes HDF5 string attributes with 64-bit addresses only");
        }
        CStrings.checkName("attribute", name);          // before the value: a NUL in both is the name's
        CStrings.checkAttributeValue(name, value);
        boolean ascii = value.chars().allMatch(c -> c < 0x80);
        write(obj, name, H5.typeVariableString(!ascii), arena -> {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            MemorySegment text = arena.allocate(utf8.length + 1); // zeroed: its last byte ends the string
            text.copyFrom(MemorySegment.ofArray(utf8));
            return eightBytes(arena, text.address());             // a vlen string is a char*
        });
    }

    static void writeLong(long obj, String name, long value) {
        CStrings.checkName("attribute", name);
        write(obj, name, H5.typeNativeInt64(), arena -> eightBytes(arena, value));
    }

    static void writeDouble(long obj, String name, double value) {
        CStrings.checkName("attribute", name);
        write(obj, name, H5.typeNativeDouble(), arena -> eightBytes(arena, Double.doubleToRawLongBits(value)));
    }

    /// {@return native memory from `arena` holding `value`}, eight bytes in the machine's order.
    /// Copied in, not set through a layout's var handle: the first such handle a JVM makes costs
    /// 6-11 ms (the address layout's most), and every conversion's start waited for it, as the
    /// JVM's start-up cache keeps none.
    private static MemorySegment eightBytes(Arena arena, long value) {
        MemorySegment m = arena.allocate(Long.BYTES, Long.BYTES);
        m.copyFrom(MemorySegment.ofArray(new long[]{value}));
        return m;
    }

    /// Writes what every dataset Ferry makes carries: `ferry_version`, `dtype` (numpy's descr as
    /// JSON) and `rows`.
    static void writeDatasetHeader(long dataset, DType dtype, long rows) {
        writeString(dataset, "ferry_version", FerryVersion.get());
        writeString(dataset, "dtype", dtype.descrJson());
        writeLong(dataset, "rows", rows);
    }

    /// Writes the scalar attribute `name` of HDF5 type `type` (closed after) from the bytes `value`
    /// makes; its caller has checked `name` ([CStrings#checkName]) before making `type`.
    private static void write(long obj, String name, long type, Function<Arena, MemorySegment> value) {
        try (Arena arena = Arena.ofConfined()) {
            H5.attributeWrite(obj, name, type, value.apply(arena));
        } finally {
            H5.typeClose(type);
        }
    }

    /// {@return every attribute of `obj` by name}: `String`, `Long` (a `BigInteger` for an unsigned
    /// one past 2^63 - 1), `Double` (`Float` for a float32 or smaller), or a `List` of those for
    /// arrays (lists of lists for an attribute of two or more dimensions, as h5py nests them); types
    /// Ferry does not decode appear as a short description in angle brackets.
    static Map<String, Object> readAll(long obj) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : H5.attributeNames(obj)) {
            long attr = H5.attributeOpen(obj, name);
            try {
                out.put(name, read(attr));
            } finally {
                H5.attributeClose(attr);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object read(long attr) {
        long type = H5.attributeType(attr);
        long space = H5.attributeSpace(attr);
        try {
            long points = H5.spacePoints(space);
            List<Object> values = switch (H5.typeClass(type)) {
                case STRING -> H5.typeIsVariableString(type)
                        ? new ArrayList<>(H5.attributeReadVariableStrings(attr, type, points))
                        : fixedStrings(attr, type, points);
                case INTEGER -> H5.typeSigned(type) ? numbers(attr, points, H5.typeNativeInt64(), v -> v)
                        : numbers(attr, points, H5.typeNativeUInt64(), Attributes::unsigned);
                // a float32 as a Float, which prints as h5py's does (0.1 was 0.10000000149011612);
                // read through a double, exactly
                case FLOAT -> H5.typeSize(type) <= 4
                        ? numbers(attr, points, H5.typeNativeDouble(), bits -> (float) Double.longBitsToDouble(bits))
                        : numbers(attr, points, H5.typeNativeDouble(), Double::longBitsToDouble);
                default -> List.of("<" + H5.typeClass(type).name().toLowerCase() + " attribute>");
            };
            if (values.size() == 1) {
                return values.getFirst();
            }
            long[] dims = H5.spaceExtent(space).dims();
            return dims.length > 1 && values.size() == points ? nested(values, dims, 0, 0) : List.copyOf(values);
        } finally {
            H5.spaceClose(space);
            H5.typeClose(type);
        }
    }

    /// {@return `flat`'s values from `from` on as lists nested by `dims[d..]`}, row-major as HDF5
    /// stores them: a 2 × 3 attribute is two lists of three, as h5py gives it, not six values
    private static List<Object> nested(List<Object> flat, long[] dims, int d, int from) {
        if (d == dims.length - 1) {
            return List.copyOf(flat.subList(from, from + (int) dims[d]));
        }
        int inner = 1;
        for (int k = d + 1; k < dims.length; k++) {
            inner *= (int) dims[k];
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < dims[d]; i++) {
            out.add(nested(flat, dims, d + 1, from + i * inner));
        }
        return List.copyOf(out);
    }

    private static List<Object> fixedStrings(long attr, long type, long points) {
        int size = (int) H5.typeSize(type);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, size * points));
            H5.attributeRead(attr, type, buf);
            List<Object> out = new ArrayList<>();
            for (long p = 0; p < points; p++) {
                byte[] b = buf.asSlice(p * size, size).toArray(ValueLayout.JAVA_BYTE);
                // Trailing NULs are padding, as numpy strips them from an `S` value; one inside
                // is text (b"ab\0c" read as "ab")
                int len = b.length;
                while (len > 0 && b[len - 1] == 0) {
                    len--;
                }
                out.add(new String(b, 0, len, StandardCharsets.UTF_8));
            }
            return out;
        }
    }

    /// {@return the `points` values of `attr` read as the 8-byte type `mem` (which this closes),
    /// each made from its 64 bits by `value`}
    private static List<Object> numbers(long attr, long points, long mem, java.util.function.LongFunction<Object> value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(8, 8 * points), 8);
            H5.attributeRead(attr, mem, buf);
            List<Object> out = new ArrayList<>();
            for (long p = 0; p < points; p++) {
                out.add(value.apply(buf.getAtIndex(ValueLayout.JAVA_LONG, p)));
            }
            return out;
        } finally {
            H5.typeClose(mem);
        }
    }

    /// {@return an unsigned 64-bit value}: a `Long`, or a `BigInteger` from 2^63 on (a `u8` of
    /// 2^64 - 1 read as a signed one was clamped to 2^63 - 1)
    private static Object unsigned(long bits) {
        return bits >= 0 ? (Object) bits : new java.math.BigInteger(Long.toUnsignedString(bits));
    }
}
