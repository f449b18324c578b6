package io.ferry.array;

import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NdArrayTest {
    private static final DType METH = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");

    /// The example in NdArray's documentation, as written there.
    @Test
    void docExample() {
        DType dt = DType.parse("chr:S4,pos:i4,pct:f4");
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = NdArray.allocate(dt, arena, 3);
            Column pos = a.column("pos");
            for (long row = 0; row < 3; row++) {
                pos.setLong(row, 100 + row);
                a.column("chr").setBytes(row, "chr1".getBytes());
            }
            assertEquals(102, pos.getInt(2));
            assertEquals(101, a.slice(1, 3).column("pos").getInt(0));

            NdArray grid = NdArray.allocate(DType.parse("<f4"), arena, 2, 3, 4);
            grid.setDouble(grid.index(1, 2, 3), 1.5);
            assertEquals(1.5f, grid.getFloat(23));
        }
    }

    @Test
    void recordsReadAndWriteEveryKind() {
        DType dt = DType.parse("a:b1,b:i1,c:u1,d:>i2,e:u2,f:i4,g:>u4,h:i8,i:u8,j:f4,k:>f8,s:S3");
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = NdArray.allocate(dt, arena, 2);
            a.column("a").setLong(0, 1);
            a.column("b").setLong(0, -128);
            a.column("c").setLong(0, 255);
            a.column("d").setLong(0, -2);
            a.column("e").setLong(0, 65535);
            a.column("f").setLong(0, Integer.MIN_VALUE);
            a.column("g").setLong(0, 4_000_000_000L);
            a.column("h").setLong(0, Long.MIN_VALUE);
            a.column("i").setLong(0, -1L); // 2^64-1
            a.column("j").setDouble(0, 0.1);
            a.column("k").setDouble(0, -2.5e300);
            a.column("s").setBytes(0, new byte[] {'x', 'y', 'z'});
            assertEquals(1, a.column("a").getLong(0));
            assertEquals(-128, a.column("b").getLong(0));
            assertEquals(255, a.column("c").getLong(0));
            assertEquals(-2, a.column("d").getLong(0));
            assertEquals(65535, a.column("e").getLong(0));
            assertEquals(Integer.MIN_VALUE, a.column("f").getInt(0));
            assertEquals(4_000_000_000L, a.column("g").getLong(0));
            assertEquals(Long.MIN_VALUE, a.column("h").getLong(0));
            assertEquals(1.8446744073709552e19, a.column("i").getDouble(0));
            assertEquals(0.1f, a.column("j").getFloat(0));
            assertEquals(-2.5e300, a.column("k").getDouble(0));
            assertEquals("xyz", a.column("s").getString(0));
            // big-endian fields store big-endian bytes
            long off = dt.field("d").offset();
            assertEquals((byte) 0xFF, a.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, off));
            assertEquals((byte) 0xFE, a.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, off + 1));
            assertEquals("(True, -128, 255, -2, 65535, -2147483648, 4000000000, -9223372036854775808, "
                    + "18446744073709551615, 0.1, -2.5e+300, b'xyz')", ArrayPrinter.row(a, 0));
        }
    }

    @Test
    void slicesShareMemoryAndCheckBounds() {
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = NdArray.allocate(METH, arena, 10);
            NdArray s = a.slice(4, 7);
            assertEquals(3, s.length());
            s.column("pos").setLong(0, 42);
            assertEquals(42, a.column("pos").getInt(4));
            assertThrows(IndexOutOfBoundsException.class, () -> a.slice(5, 11));
            assertThrows(IndexOutOfBoundsException.class, () -> s.column("pos").getInt(3));
            NdArray grid = NdArray.allocate(DType.parse("f8"), arena, 4, 5);
            assertArrayEquals(new long[] {2, 5}, grid.slice(1, 3).shape());
            assertEquals(80, grid.slice(1, 3).byteSize());
        }
    }

    @Test
    void equalityIsDtypeShapeAndBytes() {
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = NdArray.allocate(METH, arena, 3);
            NdArray b = NdArray.allocate(METH, arena, 3);
            assertEquals(a, b);
            b.column("t").setLong(2, 1);
            assertNotEquals(a, b);
            assertNotEquals(NdArray.allocate(DType.parse("i4"), arena, 6), NdArray.allocate(DType.parse("i4"), arena, 2, 3));
        }
    }

    @Test
    void wrongAccessSaysWhatToDo() {
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = NdArray.allocate(METH, arena, 1);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> a.getDouble(0));
            assertTrue(e.getMessage().contains("column(\"chr\")"), e.getMessage());
            IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> a.column("nope"));
            assertTrue(f.getMessage().contains("fields: [chr, pos, pct, c, t]"), f.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.column("chr").setBytes(0, new byte[11]));
            assertThrows(IllegalArgumentException.class,
                    () -> NdArray.wrap(METH, MemorySegment.ofArray(new byte[25]), 1));
        }
    }

    @Test
    void useAfterCloseThrowsInsteadOfCrashing() {
        NdArray a;
        try (Arena arena = Arena.ofConfined()) {
            a = NdArray.allocate(METH, arena, 2);
        }
        assertThrows(IllegalStateException.class, () -> a.column("pos").getInt(0));
    }

    @Test
    void printsAsNumpyDoes() {
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = NdArray.allocate(METH, arena, 2);
            a.column("chr").setBytes(0, "chr1".getBytes());
            a.column("pos").setLong(0, 10469);
            a.column("pct").setDouble(0, 66.67);
            a.column("c").setLong(0, 2);
            a.column("t").setLong(0, 1);
            assertEquals("array([(b'chr1', 10469, 66.67, 2, 1), (b'', 0, 0.0, 0, 0)], "
                    + "dtype=[('chr', '|S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])", a.toString());
            NdArray f = NdArray.allocate(DType.parse("f8"), arena, 2, 2);
            f.setDouble(1, 1e-5);
            f.setDouble(2, 1e16);
            f.setDouble(3, Double.NaN);
            assertEquals("[0.0, 1e-05]\n[1e+16, nan]\n", f.head(5));
        }
    }

    /// A float set into an integer array is what numpy's assignment makes of it: the fraction
    /// dropped, wrapped into the type, and every u8 below 2^64 exact (1.8e19 came out
    /// 9223372036854775807, Java's cast stopping at 2^63 - 1). What numpy refuses, Ferry refuses.
    @Test
    void aFloatIntoAnIntegerIsNumpysAssignment() {
        double[] values = {1.8e19, 9.3e18, 1e19, 0x1p63, -1.5, 3.7, -0.5, 1.8446744073709550e19};
        String numpy = io.ferry.testing.PythonPeer.run("""
                import numpy as np
                for t in ['u8', 'i8', 'u1', 'i4']:
                    row = []
                    for v in [1.8e19, 9.3e18, 1e19, 2.0**63, -1.5, 3.7, -0.5, 1.8446744073709550e19]:
                        a = np.zeros(1, t)
                        try:
                            a[0] = v
                            row.append(str(a[0]))
                        except (OverflowError, ValueError):
                            row.append('refused')
                    print(t, ' '.join(row))
                """);
        StringBuilder ferry = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            for (String t : new String[]{"u8", "i8", "u1", "i4"}) {
                NdArray a = NdArray.allocate(DType.parse(t), arena, 1);
                ferry.append(t);
                for (double v : values) {
                    try {
                        a.setDouble(0, v);
                        ferry.append(' ').append(t.equals("u8") ? Long.toUnsignedString(a.getLong(0)) : Long.toString(a.getLong(0)));
                    } catch (IllegalArgumentException refused) {
                        ferry.append(" refused");
                    }
                }
                ferry.append('\n');
            }
        }
        assertEquals(numpy, ferry.toString());
    }
}
