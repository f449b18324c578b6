package io.ferry.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentNameTest {
    @Test
    void generatedNamesAreShortAndCarryThePid() {
        long pid = ProcessHandle.current().pid();
        String n = SegmentName.random();
        assertTrue(n.length() <= 14 && n.length() == SegmentName.GENERATED_LENGTH, n);
        assertTrue(n.matches("fy[0-9a-z]+_[0-9a-z]{6,}"), n);
        assertEquals(OptionalLong.of(pid), SegmentName.creatorPid(n));
        assertEquals(n, SegmentName.validate(n));
        assertNotEquals(n, SegmentName.random());
        // the largest Linux pid still leaves six random characters
        String big = SegmentName.random(4_194_304L);
        assertEquals(14, big.length());
        assertEquals(OptionalLong.of(4_194_304L), SegmentName.creatorPid(big));
    }

    @Test
    void onlyFerryNamesHaveACreator() {
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("psm_1234abcd"));
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fy12.pid"));
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fyAB_cdef12"));
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fy1_0123456789abc"));  // too long
    }

    @Test
    void oneLeadingSlashIsDroppedAsPythonDoes() {
        assertEquals("psm_ab12", SegmentName.validate("/psm_ab12"));
        assertEquals("a.b-C_9", SegmentName.validate("a.b-C_9"));
        assertEquals("x".repeat(255), SegmentName.validate("x".repeat(255)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "//x", "../x", "..", ".", ".hidden", "a/b", "a\u0000b", "a b", "é", "x;rm", "a\nb"})
    void badNamesAreRefusedWithTheReason(String bad) {
        InvalidSegmentNameException e = assertThrows(InvalidSegmentNameException.class, () -> SegmentName.validate(bad));
        assertTrue(e.getMessage().startsWith("bad shared-memory segment name '"), e.getMessage());
    }

    @Test
    void tooLongAndNullAreRefused() {
        assertTrue(assertThrows(InvalidSegmentNameException.class, () -> SegmentName.validate("x".repeat(256)))
                .getMessage().contains("256 characters"));
        assertThrows(InvalidSegmentNameException.class, () -> SegmentName.validate(null));
    }
}
