package io.ferry.shm;

import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrayHandleTest {
    @Test
    void writesWhatPythonReadsAndReadsItBack() {
        DType meth = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
        ArrayHandle h = ArrayHandle.of("fy1k2j_8c0x3a9z", meth, 3);
        assertEquals("{\"name\": \"fy1k2j_8c0x3a9z\", \"shape\": [3], \"dtype\": [[\"chr\", \"|S10\"], [\"pos\", \"<i4\"], "
                + "[\"pct\", \"<f4\"], [\"c\", \"<i4\"], [\"t\", \"<i4\"]]}", h.toJson());
        assertEquals(h, ArrayHandle.parse(h.toJson()));
        assertEquals(78, h.byteSize());

        ArrayHandle grid = ArrayHandle.parse("{\"dtype\": \"<f4\", \"shape\": [24, 180, 360], \"name\": \"/psm_0a1b2c3d\"}");
        assertEquals("psm_0a1b2c3d", grid.name());
        assertArrayEquals(new long[] {24, 180, 360}, grid.shape());
        assertEquals(24L * 180 * 360 * 4, grid.byteSize());
        assertEquals("{\"name\": \"psm_0a1b2c3d\", \"shape\": [24, 180, 360], \"dtype\": \"<f4\"}", grid.toJson());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON              | {name: x}                                                             | bad JSON at character",
        "not an object         | [1, 2]                                                                | must be a JSON object",
        "trailing text         | `{\"name\": \"a\", \"shape\": [1], \"dtype\": \"<f4\"} x`             | bad JSON",
        "missing shape         | `{\"name\": \"a\", \"dtype\": \"<f4\"}`                               | 'shape' is missing",
        "missing name          | `{\"shape\": [1], \"dtype\": \"<f4\"}`                                | 'name' is missing",
        "unknown key           | `{\"name\": \"a\", \"shape\": [1], \"dtype\": \"<f4\", \"offset\": 8}`| unknown key 'offset'",
        "path in name          | `{\"name\": \"../x\", \"shape\": [1], \"dtype\": \"<f4\"}`            | bad shared-memory segment name '../x'",
        "slash in name         | `{\"name\": \"a/b\", \"shape\": [1], \"dtype\": \"<f4\"}`             | a '/'",
        "NUL in name           | `{\"name\": \"a\\u0000b\", \"shape\": [1], \"dtype\": \"<f4\"}`       | NUL",
        "name not a string     | `{\"name\": 5, \"shape\": [1], \"dtype\": \"<f4\"}`                   | name must be a JSON string",
        "negative shape        | `{\"name\": \"a\", \"shape\": [-1], \"dtype\": \"<f4\"}`              | negative dimension",
        "fractional shape      | `{\"name\": \"a\", \"shape\": [1.5], \"dtype\": \"<f4\"}`             | must be a whole number",
        "shape beyond 64 bits  | `{\"name\": \"a\", \"shape\": [99999999999999999999], \"dtype\": \"<f4\"}` | does not fit in 64 bits",
        "size overflow         | `{\"name\": \"a\", \"shape\": [4611686018427387904, 4], \"dtype\": \"<f4\"}` | overflows 64 bits",
        "empty shape           | `{\"name\": \"a\", \"shape\": [], \"dtype\": \"<f4\"}`                | 1 to 32 dimensions",
        "shape not a list      | `{\"name\": \"a\", \"shape\": 3, \"dtype\": \"<f4\"}`                 | shape must be a JSON array",
        "bad dtype string      | `{\"name\": \"a\", \"shape\": [1], \"dtype\": \"<q7\"}`               | bad dtype",
        "compact dtype string  | `{\"name\": \"a\", \"shape\": [1], \"dtype\": \"a:i4,b:f8\"}`         | not a numpy type string",
        "empty field list      | `{\"name\": \"a\", \"shape\": [1], \"dtype\": []}`                    | no fields",
        "field not a pair      | `{\"name\": \"a\", \"shape\": [1], \"dtype\": [[\"a\"]]}`             | [name, type] pair",
        "dtype a number        | `{\"name\": \"a\", \"shape\": [1], \"dtype\": 4}`                     | dtype must be a JSON array",
        "duplicate field       | `{\"name\": \"a\", \"shape\": [1], \"dtype\": [[\"a\", \"<i4\"], [\"a\", \"<i4\"]]}` | bad dtype",
    })
    void hostileHandlesAreRefusedSayingWhy(String what, String json, String expected) {
        InvalidHandleException e = assertThrows(InvalidHandleException.class, () -> ArrayHandle.parse(json));
        assertTrue(e.getMessage().startsWith("bad shared-array handle: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }

    @Test
    void nullIsRefused() {
        assertThrows(InvalidHandleException.class, () -> ArrayHandle.parse(null));
    }

    /// A handle is a few hundred bytes; a reader of handles reads no more than the bound and one byte.
    @Test
    void aHandleLongerThanTheBoundIsRefused() {
        String fields = "[[\"f\", \"<i4\"]" + ", [\"f\", \"<i4\"]".repeat(ArrayHandle.MAX_JSON_CHARS / 14) + "]";
        String tooLong = "{\"name\": \"fy1k2j_8c0x3a9z\", \"shape\": [3], \"dtype\": " + fields + "}";
        InvalidHandleException e = assertThrows(InvalidHandleException.class, () -> ArrayHandle.parse(tooLong));
        assertTrue(e.getMessage().startsWith("bad shared-array handle: " + tooLong.length() + " characters, more than a handle's "
                + ArrayHandle.MAX_JSON_CHARS), e.getMessage());
    }
}
