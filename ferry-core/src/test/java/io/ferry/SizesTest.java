package io.ferry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizesTest {
    @Test
    void theDocExample() {
        assert Sizes.fixed(2.345, 2).equals("2.35") && Sizes.fixed(0.04, 1).equals("0.0");
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

    /// Printed as `String.format(Locale.ROOT, "%.1f %s" or "%.0f %s")` printed them, rounding and all.
    @Test
    void printedAsTheFormatterPrintedThem() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        for (int i = 0; i < 200_000; i++) {
            long bytes = i < 100_000 ? 1024 + random.nextLong(1L << (10 + random.nextInt(40)))
                    : (long) ((random.nextInt(10_000) + 0.5) * (1L << (10 * (1 + random.nextInt(3)))) / 1000);
            if (bytes < 1024) {
                continue;
            }
            double v = bytes;
            int u = -1;
            while (v >= 1024 && u < units.length - 1) {
                v /= 1024;
                u++;
            }
            String expected = String.format(java.util.Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
            assertEquals(expected, Sizes.human(bytes), "bytes " + bytes);
            double seconds = random.nextDouble() * (i % 3 == 0 ? 10 : i % 3 == 1 ? 10_000 : 0.01);
            assertEquals(String.format(java.util.Locale.ROOT, "%.2f", seconds), Sizes.fixed(seconds, 2));
            assertEquals(String.format(java.util.Locale.ROOT, "%.3f", seconds), Sizes.fixed(seconds, 3));
        }
    }
}
