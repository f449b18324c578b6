package io.ferry.dtype;

import io.ferry.Hint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// numpy's spellings of a dtype that Ferry does not read: the error stays as it was, and its hint
/// says what to write, a spec that parses to the dtype numpy means (with text as bytes).
class NumpySpellingsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', textBlock = """
            S10,i4,f4              ; f0:S10,f1:i4,f2:f4 ; S10,i4,f4
            i4, f4                 ; f0:i4,f1:f4        ; i4,f4
            int                    ; i8                 ; int64
            float                  ; f8                 ; float64
            d                      ; f8                 ; d
            U10                    ; S10                ; S10
            <U10                   ; S10                ; S10
            a:U10,b:int,c:float    ; a:S10,b:i8,c:f8    ; a:S10,b:i8,c:f8
            chr:str,pos:i4         ; chr:S16,pos:i4     ; chr:S16,pos:i4
            a:S                    ; a:S16              ; a:S16
            S10,int,float          ; f0:S10,f1:i8,f2:f8 ; S10,i8,f8
            """)
    void whatToWrite(String spec, String suggestion, String numpyMeans) {
        DTypeSpecException e = assertThrows(DTypeSpecException.class, () -> DType.parse(spec));
        Hint hint = e.hint().orElseThrow();
        assertEquals("dtype", hint.option());
        assertEquals(suggestion, hint.value());
        assertEquals(numpyDescr(numpyMeans), DType.parse(suggestion).descr(), "numpy's dtype, text as bytes");
    }

    /// The descr numpy gives `np.dtype(spec)` (names f0, f1, … for a list), text made bytes: what
    /// the suggestion must equal. Written out here, as numpy 1.24 prints them.
    private static String numpyDescr(String spec) {
        return switch (spec) {
            case "S10,i4,f4" -> "[('f0', '|S10'), ('f1', '<i4'), ('f2', '<f4')]";
            case "i4,f4" -> "[('f0', '<i4'), ('f1', '<f4')]";
            case "S10,i8,f8" -> "[('f0', '|S10'), ('f1', '<i8'), ('f2', '<f8')]";
            default -> DType.parse(spec.replace("int64", "i8").replace("float64", "f8").replace("d", "f8")).descr();
        };
    }

    @Test
    void theErrorStaysAsItWas() {
        DTypeSpecException e = assertThrows(DTypeSpecException.class, () -> DType.parse("U10"));
        assertEquals("unknown type 'U10'; kinds are b1, i1 i2 i4 i8, u1 u2 u4 u8, f4 f8, S<n>", e.reason());
        assertEquals(0, e.position());
        assertEquals("Ferry reads text as bytes into S<n> (n bytes, Latin-1), not numpy's U<n> (4 bytes a character)",
                e.hint().orElseThrow().reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"q4", "object", "O", "chr:S0", "[('a', '<U10')]", "a:f8,a:i4", "c16", "S10,q4", ""})
    void noHintWhereNumpysSpellingIsNotKnown(String spec) {
        DTypeSpecException e = assertThrows(DTypeSpecException.class, () -> DType.parse(spec));
        assertEquals(Optional.empty(), e.hint(), spec);
    }

    @Test
    void whatFerryReadsHasNoError() {
        assertTrue(DType.parse("a:int32,b:float64").isStructured());
    }
}
