package io.ferry.text;

import io.ferry.json.Json;
import io.ferry.json.JsonException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// [LoadOptions#toJson()] and [LoadOptions#fromJson(Object)]: what a child JVM gets of the
/// loader's options, through the JSON text itself as the wire carries it.
class LoadOptionsJsonTest {
    @Test
    void everyOptionGoesThroughJsonText() {
        List<LoadOptions> all = List.of(LoadOptions.DEFAULT,
                LoadOptions.builder().delimiter('\t').skipRows(3).maxRows(10).build(),
                LoadOptions.builder().delimiter(',').quoteChar('"').noComments().useCols(4, -1, 0).lenient(true).build(),
                LoadOptions.builder().comments("#", "//").maxLineBytes(2L << 20).build(),
                LoadOptions.builder().delimiter(';').comments("%%").build(),
                LoadOptions.builder().skipRows(1).afterHeader(true).build());
        for (LoadOptions o : all) {
            assertEquals(o, LoadOptions.fromJson(Json.parse(Json.write(o.toJson()))), o.toString());
        }
    }

    @Test
    void missingKeysKeepTheirDefaultsAndOtherKeysAreIgnored() {
        assertEquals(LoadOptions.DEFAULT, LoadOptions.fromJson(Map.of()));
        assertEquals(LoadOptions.builder().delimiter(',').build(),
                LoadOptions.fromJson(Json.parse("{\"delimiter\": 44, \"dtype\": \"<i4\"}")));
    }

    @Test
    void wrongValuesAreErrorsNamingTheOption() {
        JsonException type = assertThrows(JsonException.class, () -> LoadOptions.fromJson(Json.parse("{\"skipRows\": \"1\"}")));
        assertTrue(type.getMessage().startsWith("skipRows must be a whole number"), type.getMessage());
        IllegalArgumentException lenient = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.fromJson(Json.parse("{\"lenient\": 1}")));
        assertTrue(lenient.getMessage().startsWith("lenient must be true or false"), lenient.getMessage());
        IllegalArgumentException code = assertThrows(IllegalArgumentException.class,
                () -> LoadOptions.fromJson(Json.parse("{\"delimiter\": 70000}")));
        assertTrue(code.getMessage().startsWith("delimiter is a character code"), code.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.fromJson(Json.parse("{\"delimiter\": 10}")),
                "a line break is no delimiter, as Builder.build says");
    }
}
