package io.ferry.shm;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Fuzzes [ArrayHandle#parse], which reads JSON from other processes: any text gives a handle or an
/// [InvalidHandleException], nothing else (no other exception, no stack overflow, no hang). A
/// handle it accepts has a valid segment name and a byte size that fits in a long, and its JSON
/// parses back to an equal handle.
///
/// `mvn test` runs the committed corpus (`src/test/resources/io/ferry/shm/ArrayHandleFuzzTestInputs/`);
/// `JAZZER_FUZZ=1` fuzzes for the `maxDuration` below.
@org.junit.jupiter.api.Tag("fuzz")
class ArrayHandleFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parseAcceptsOrRefusesWithItsOwnException(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        ArrayHandle h;
        try {
            h = ArrayHandle.parse(json);
        } catch (InvalidHandleException refused) {
            return;
        }
        assertEquals(h.name(), SegmentName.validate(h.name()));
        assertTrue(h.byteSize() >= 0, h::toString);
        assertEquals(h, ArrayHandle.parse(h.toJson()));
    }
}
