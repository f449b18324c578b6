package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.json.Json;
import io.ferry.testing.ProtocolTable;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// The table in [ParseTask]'s documentation is the protocol between a proxy and its task: each row
/// is read by the side that receives it and written back to the same JSON, and every record of
/// [PartMessage] has a row.
class PartProtocolTest {
    @Test
    void theTableInParseTasksDocumentationIsTheProtocol() {
        Map<Boolean, Set<Class<?>>> sent = ProtocolTable.check("src/main/java/io/ferry/pipeline/ParseTask.java",
                PartProtocolTest::read, m -> Json.write(m.json()));
        Set<Class<?>> all = new HashSet<>(sent.get(true));
        all.addAll(sent.get(false));
        assertEquals(Set.copyOf(ProtocolTable.records(PartMessage.class)), all);
    }

    /// {@return the row read as its receiver reads it}: the task's input, or a message
    private static PartMessage read(ProtocolTable.Row row) {
        Object json = Json.parse(row.json());
        if (!row.toChild()) {
            return PartMessage.toParent(json);
        }
        return PartMessage.Setup.TYPE.equals(Json.asObject(json, "row").get("type")) ? PartMessage.setup(json)
                : PartMessage.toChild(json);
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
