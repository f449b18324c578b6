package io.ferry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizesTest {
    @Test
    void theDocExample() {
        assert Sizes.parse("--memory", "256M") == 256L << 20;
        assert Sizes.parse("--memory", "64kib") == 64L << 10;
        assert Sizes.human(256L << 20).equals("256 MiB") && Sizes.human(1536).equals("1.5 KiB");
        assertEquals(256L << 20, Sizes.parse("--memory", "256M"));
        assertEquals("1.5 KiB", Sizes.human(1536));
    }

    @Test
    void everySpellingOfAUnitIsABinaryOne() {
        assertEquals(65536, Sizes.parse("x", "65536"));
        assertEquals(65536, Sizes.parse("x", " 64k "));
        assertEquals(65536, Sizes.parse("x", "64KB"));
        assertEquals(65536, Sizes.parse("x", "64KiB"));
        assertEquals(1L << 30, Sizes.parse("x", "1g"));
        assertEquals(3L << 40, Sizes.parse("x", "3T"));
        assertEquals(100, Sizes.parse("x", "100B"));
    }

    @Test
    void anythingElseSaysWhatTheOptionTakes() {
        for (String bad : new String[] {"0", "-1M", "", "M", "B", "1.5G", "12X", "9999999999T", "lots", "1 0M"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse("--memory", bad), bad);
            assertEquals("--memory takes a size such as 256M, 1G or 65536, not '" + bad + "'", e.getMessage());
        }
    }

    /// What Ferry prints, Ferry reads back: a printed whole number of a unit parses to the same bytes.
    @Test
    void printedSizesReadBack() {
        for (long bytes : new long[] {512, 64L << 10, 256L << 20, 32L << 30}) {
            String printed = Sizes.human(bytes);
            assertTrue(printed.matches("\\d+ (B|KiB|MiB|GiB)"), printed);
            assertEquals(bytes, Sizes.parse("x", printed), printed);
            assertEquals(bytes, Sizes.parse("x", printed.replace(" ", "")), printed);
        }
        assertEquals("512 B", Sizes.human(512));
        assertEquals("2.5 GiB", Sizes.human(5L << 29));
    }
}
