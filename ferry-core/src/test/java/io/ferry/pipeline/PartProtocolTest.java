package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.json.Json;
import io.ferry.testing.ProtocolTable;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The table in [ParseTask]'s documentation is the protocol between a proxy and its task: each row
/// is read by the side that receives it and written back to the same JSON, and every record of
/// [PartMessage] has a row.
class PartProtocolTest {
    private static final String TABLE = "src/main/java/io/ferry/pipeline/ParseTask.java";

    @Test
    void everyRowOfTheTableIsAMessageOfItsDirectionAndRoundTrips() {
        List<ProtocolTable.Row> rows = ProtocolTable.rows(TABLE);
        assertTrue(rows.size() >= 2, "no table rows found in " + TABLE);
        Set<Class<?>> seen = new LinkedHashSet<>();
        for (ProtocolTable.Row row : rows) {
            Object json = Json.parse(row.json());
            PartMessage m;
            if (!row.toChild()) {
                m = PartMessage.toParent(json);
            } else if (PartMessage.Setup.TYPE.equals(Json.asObject(json, "row").get("type"))) {
                m = PartMessage.setup(json);
            } else {
                m = PartMessage.toChild(json);
            }
            assertEquals(row.json(), Json.write(m.json()), "line " + row.line());
            seen.add(m.getClass());
        }
        assertEquals(Set.copyOf(ProtocolTable.records(PartMessage.class)), seen);
    }

    @Test
    void eachSideRefusesWhatItNeverReceives() {
        assertThrows(FerryException.class, () -> PartMessage.toChild(Map.of("type", "chunk", "slot", 1L, "seq", 0L,
                "rows", 1L, "bytes", 8L)));
        assertThrows(FerryException.class, () -> PartMessage.toParent(Map.of("type", "stop")));
        assertThrows(FerryException.class, () -> PartMessage.toParent(Map.of("type", "nonsense")));
        assertThrows(FerryException.class, () -> PartMessage.toChild(Map.of("type", "free")));
        assertThrows(FerryException.class, () -> PartMessage.setup(Map.of("type", "end")));
    }
}
