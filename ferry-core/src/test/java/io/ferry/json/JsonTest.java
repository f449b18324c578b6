package io.ferry.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    @Test
    void docExample() {
        Object v = Json.parse("{\"name\": \"ferry_ab12\", \"shape\": [3, 4]}");
        Map<String, Object> m = Json.asObject(v, "handle");
        assertEquals(List.of(3L, 4L), m.get("shape"));
        assertEquals("{\"name\": \"ferry_ab12\", \"shape\": [3, 4]}", Json.write(m));
    }

    @Test
    void writesEachKindAndRefusesWhatJsonHasNot() {
        assertEquals("[null, 7, 2.5, false, [1, -2], {\"k\": [3]}, {\"raw\": 1}]", Json.write(java.util.Arrays.asList(
                null, 7, 2.5f, false, new long[]{1, -2}, Map.of("k", List.of(3L)), new Json.JsonText("{\"raw\": 1}"))));
        for (Object none : List.of(Double.NaN, Double.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(none)));
            assertEquals("JSON has no " + none, e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertEquals("cannot write java.lang.Object as JSON", e.getMessage());
    }

    @Test
    void valuesRoundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "tab\there \"q\" \\ é\u0001");
        m.put("n", -12L);
        m.put("d", 0.5);
        m.put("b", true);
        m.put("z", null);
        m.put("l", List.of(1L, List.of(), Map.of()));
        assertEquals(m, Json.parse(Json.write(m)));
        assertEquals(new BigDecimal("123456789012345678901234567890"), Json.parse("123456789012345678901234567890"));
        assertEquals(1.5e300, Json.parse("1.5e300"));
        assertNull(Json.parse(" null "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"abc", "tru", "[1] 2", "{'a': 1}",
            "\"\\q\"", "\"\\u12\"", "nul", "[", "{\"a\":1,}"})
    void malformedJsonIsAJsonException(String text) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("bad JSON at character "), e.getMessage());
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
    }

    @Test
    void typeAccessorsNameWhatIsWrong() {
        JsonException e = assertThrows(JsonException.class, () -> Json.asObject(List.of(), "the handle"));
        assertEquals("the handle must be a JSON object, not an array", e.getMessage());
        assertThrows(JsonException.class, () -> Json.asLong(1.5, "shape[0]"));
    }
}
