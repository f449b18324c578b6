package io.ferry.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
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
        assertTrue(n.matches("fy[0-9a-z]+(-[0-9a-z])?_[0-9a-z]{4,}"), n);
        assertTrue(n.startsWith(SegmentName.processPrefix()), n);
        assertEquals(OptionalLong.of(pid), SegmentName.creatorPid(n));
        assertEquals(n, SegmentName.validate(n));
        assertNotEquals(n, SegmentName.random());
        // the largest Linux pid still leaves six random characters, and four with a variant
        String big = SegmentName.random(new CreatorTag(4_194_304L, CreatorTag.PLAIN));
        assertTrue(big.matches("fy2hwcg_[0-9a-z]{6}"), big);
        assertEquals(OptionalLong.of(4_194_304L), SegmentName.creatorPid(big));
        String variant = SegmentName.random(new CreatorTag(4_194_304L, 35));
        assertTrue(variant.matches("fy2hwcg-z_[0-9a-z]{4}"), variant);
        assertEquals(OptionalLong.of(4_194_304L), SegmentName.creatorPid(variant));
        assertEquals(new CreatorTag(4_194_304L, 35), SegmentName.creatorTag(variant).orElseThrow());
        assertEquals(37, CreatorTag.candidates(4_194_304L).size(), "its own tag and 36 variants");
    }

    /// The random part takes every one of its 36 characters, about equally often, and 2,000 names
    /// of one tag do not repeat.
    @Test
    void randomPartsUseEveryCharacterAndDoNotRepeat() {
        CreatorTag tag = new CreatorTag(4_194_304L, CreatorTag.PLAIN);
        java.util.Set<String> names = new java.util.HashSet<>();
        List<String> twice = new java.util.ArrayList<>();
        int[] counts = new int[36];
        for (int i = 0; i < 2000; i++) {
            String n = SegmentName.random(tag);
            if (!names.add(n)) {
                twice.add(n);
            }
            for (char c : n.substring(tag.segmentPrefix().length()).toCharArray()) {
                counts[Character.digit(c, 36)]++;
            }
        }
        // The longest pid leaves 6 random characters, 36^6 names: 2,000 draws repeat one about once
        // in a thousand runs (a CI run met it; creating a segment draws again on a clash), and two
        // repeats would be a broken draw
        assertTrue(twice.size() <= 1, "came twice: " + twice);
        // 12,000 characters, 333 expected of each: a character below 200 or above 480 is a broken draw
        for (int d = 0; d < 36; d++) {
            assertTrue(counts[d] > 200 && counts[d] < 480, Character.forDigit(d, 36) + " came " + counts[d] + " times");
        }
    }

    @Test
    void onlyFerryNamesHaveACreator() {
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("psm_1234abcd"));
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fy12.pid"));
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fyAB_cdef12"));
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fy1_0123456789abc"));  // too long
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fy1-_abcd"));
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fy1-ab_cdef"));
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fy-1_abcd"));
        assertEquals(OptionalLong.empty(), SegmentName.creatorPid("fy0_abcd"));
        assertEquals(OptionalLong.of(37), SegmentName.creatorPid("fy11-a_abcd"));
    }

    @Test
    void creatorRecordsAreNamedAfterTheTag() {
        assertEquals("fy11.pid", new CreatorTag(37, CreatorTag.PLAIN).recordName());
        assertEquals("fy11-a.pid", new CreatorTag(37, 10).recordName());
        assertEquals(OptionalLong.of(37), SegmentName.recordPid("fy11-a.pid"));
        assertEquals(OptionalLong.of(37), SegmentName.recordPid("fy11.pid"));
        assertEquals(OptionalLong.empty(), SegmentName.recordPid("fy11_abcd"));
        assertEquals(OptionalLong.empty(), SegmentName.recordPid("fy11.pid.x"));
        assertEquals(new CreatorTag(37, 10), CreatorTag.ofRecord("fy11-a.pid").orElseThrow());
    }

    /// A record (or its draft) is not a segment: attached as one, it could be written over, or
    /// removed by an owner while its process lives, whose segments then could never be swept.
    @ParameterizedTest
    @ValueSource(strings = {"fy11.pid", "/fy11-a.pid", "fy11.pid.1a.draft"})
    void creatorRecordsAreNoSegments(String record) {
        InvalidSegmentNameException e = assertThrows(InvalidSegmentNameException.class, () -> SegmentName.validate(record));
        assertTrue(e.getMessage().endsWith("it is a creator record (fy<tag>.pid), Ferry's note of the process that made"
                + " segments, not a segment"), e.getMessage());
        assertEquals("fy11.pidx", SegmentName.validate("fy11.pidx"), "a name that only looks alike is one");
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
