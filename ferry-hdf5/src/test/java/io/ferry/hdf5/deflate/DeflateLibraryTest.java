package io.ferry.hdf5.deflate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Which library deflates: AUTO, the `ferry.deflate` property, a forced one, the fallback.
class DeflateLibraryTest {
    @Test
    void autoPrefersLibdeflateAndFallsBackToJava() {
        assertEquals(DeflateLibrary.LIBDEFLATE.available() ? DeflateLibrary.LIBDEFLATE : DeflateLibrary.JAVA, DeflateLibrary.AUTO.resolve(null, false));
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.JAVA.resolve(null, false));
    }

    @Test
    void thePropertyPicksForAutoOnly() {
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.AUTO.resolve("java", false));
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.AUTO.resolve(" JAVA ", false));
        assertEquals(DeflateLibrary.AUTO.resolve(null, false), DeflateLibrary.AUTO.resolve("auto", false));
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.JAVA.resolve("libdeflate", false), "an explicit option wins");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeflateLibrary.AUTO.resolve("zopfli", false));
        assertEquals("-Dferry.deflate is java, libdeflate or auto, not 'zopfli'", e.getMessage());
    }

    @Test
    void gzipFastPrefersIsal() {
        DeflateLibrary zlibLevels = DeflateLibrary.AUTO.resolve(null, false);
        assertEquals(DeflateLibrary.ISAL.available() ? DeflateLibrary.ISAL : zlibLevels, DeflateLibrary.AUTO.resolve(null, true));
        assertEquals(DeflateLibrary.AUTO.resolve(null, true), DeflateLibrary.AUTO.resolveFastest());
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.AUTO.resolve("java", true), "the property still picks");
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.JAVA.resolve(null, true), "an explicit option wins");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeflateLibrary.ISAL.resolve());
        assertEquals("ISA-L deflates for gzip:fast only: its levels are not zlib's", e.getMessage());
    }

    @Test
    void isalAskedForLoadsOrSaysWhyNot() {
        if (DeflateLibrary.ISAL.available()) {
            assertEquals(DeflateLibrary.ISAL, DeflateLibrary.ISAL.resolve(null, true));
            assertEquals("", DeflateLibrary.ISAL.problem());
        } else {
            LibraryUnavailableException e = assertThrows(LibraryUnavailableException.class, () -> DeflateLibrary.ISAL.resolve(null, true));
            assertTrue(e.getMessage().contains("libisal2"), e.getMessage());
        }
    }

    @Test
    void libdeflateAskedForLoadsOrSaysWhyNot() {
        if (DeflateLibrary.LIBDEFLATE.available()) {
            assertEquals(DeflateLibrary.LIBDEFLATE, DeflateLibrary.LIBDEFLATE.resolve(null, false));
            assertEquals(DeflateLibrary.LIBDEFLATE, DeflateLibrary.AUTO.resolve("libdeflate", false));
            assertEquals("", DeflateLibrary.LIBDEFLATE.problem());
        } else {
            LibraryUnavailableException e = assertThrows(LibraryUnavailableException.class, () -> DeflateLibrary.LIBDEFLATE.resolve(null, false));
            assertTrue(e.getMessage().contains("libdeflate0"), e.getMessage());
        }
    }
}
