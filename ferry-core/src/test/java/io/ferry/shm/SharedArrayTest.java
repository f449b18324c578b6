package io.ferry.shm;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
class SharedArrayTest {
    @Test
    void docExample() {
        DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
        try (SharedArray shared = SharedArray.create(dt, 1000)) {
            shared.array().column("pos").setLong(0, 10469);
            String handle = shared.handleJson();
            try (SharedArray seen = SharedArray.attach(handle)) {
                shared.unlink();
                assertEquals(10469, seen.array().column("pos").getInt(0));
            }
        }
    }

    @Test
    void aStackOfGridsIsSharedWithItsShape() {
        try (SharedArray grids = SharedArray.create(DType.parse("<f4"), 24, 180, 360)) {
            NdArray a = grids.array();
            a.setDouble(a.index(23, 179, 359), 2.5);
            assertEquals("{\"name\": \"" + grids.name() + "\", \"shape\": [24, 180, 360], \"dtype\": \"<f4\"}", grids.handleJson());
            try (SharedArray view = SharedArray.attach(grids.handleJson())) {
                assertArrayEquals(new long[] {24, 180, 360}, view.array().shape());
                assertEquals(2.5f, view.array().getFloat(view.array().size() - 1));
                assertEquals(Ownership.VIEW, view.segment().ownership());
            }
        }
    }

    @Test
    void anEmptyArrayStillGetsASegment() {
        try (SharedArray empty = SharedArray.create(DType.parse("<i8"), 0)) {
            assertEquals(0, empty.array().size());
            assertEquals(1, empty.segment().byteSize());
        }
    }

    @Test
    void attachChecksTheSegmentHoldsTheShape() {
        try (SharedArray small = SharedArray.create(DType.parse("<f8"), 10)) {
            String tooBig = ArrayHandle.of(small.name(), DType.parse("<f8"), 11).toJson();
            SegmentTooSmallException e = assertThrows(SegmentTooSmallException.class, () -> SharedArray.attach(tooBig));
            assertTrue(e.getMessage().contains(small.name()) && e.getMessage().contains("88"), e.getMessage());
        }
    }

    @Test
    void publishUnlinksOnceTheConsumerHasAttached() {
        SharedArray shared = SharedArray.create(DType.parse("<i4"), 4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        shared.publish(new BufferedReader(new StringReader("hello\nattached\n")), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(shared.handleJson() + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
        assertTrue(shared.segment().isUnlinked());
        assertFalse(ShmLeakCheck.exists(shared.name()));
        shared.close();

        try (SharedArray other = SharedArray.create(DType.parse("<i4"), 4)) {
            other.publish(new BufferedReader(new StringReader("done\n")), new PrintStream(new ByteArrayOutputStream()));
            assertTrue(ShmLeakCheck.exists(other.name()), "done without attached leaves unlinking to close");
        }
    }
}
