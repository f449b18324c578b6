package io.ferry.dtype;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/// Fuzzes [DType#parse] with any string: it returns a dtype or throws [DTypeSpecException], nothing
/// else (no other exception, no hang), and what it returns survives a round trip through both of
/// numpy's spellings it prints.
///
/// `mvn test` runs the committed corpus (`src/test/resources/io/ferry/dtype/DTypeParseFuzzTestInputs/`);
/// `JAZZER_FUZZ=1` fuzzes for the `maxDuration` below and adds what it finds to `.cifuzz-corpus/`.
@org.junit.jupiter.api.Tag("fuzz")
class DTypeParseFuzzTest {
    // Raw bytes, so the corpus files are the specs as they are.
    @FuzzTest(maxDuration = "30s")
    void parseAcceptsOrRefusesWithItsOwnException(byte[] input) {
        String spec = new String(input, StandardCharsets.UTF_8);
        DType d;
        try {
            d = DType.parse(spec);
        } catch (DTypeSpecException refused) {
            return;
        }
        assertEquals(d, DType.parse(d.descr()), () -> "descr of " + d);
        assertEquals(d, DType.parse(d.descrJson()), () -> "descrJson of " + d);
        assertEquals(d.itemSize(), DType.parse(d.descr()).itemSize());
    }
}
