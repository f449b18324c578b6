package io.ferry.proc;

import io.ferry.testing.ProtocolTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The channel's table in the package documentation is the protocol: each row is read by the side
/// that receives it and written back to the same line, and every record of [Envelope] has a row for
/// each way it travels.
class ChannelProtocolTest {
    private static final String TABLE = "src/main/java/io/ferry/proc/package-info.java";

    @Test
    void everyRowOfTheTableIsAMessageOfItsDirectionAndRoundTrips() {
        List<ProtocolTable.Row> rows = ProtocolTable.rows(TABLE);
        assertTrue(rows.size() >= 2, "no table rows found in " + TABLE);
        Set<Class<?>> toChild = new LinkedHashSet<>();
        Set<Class<?>> toParent = new LinkedHashSet<>();
        for (ProtocolTable.Row row : rows) {
            Envelope e = row.toChild() ? Envelope.toChild(row.json()) : Envelope.toParent(row.json());
            assertEquals(row.json() + "\n", new String(e.line(), StandardCharsets.US_ASCII), "line " + row.line());
            (row.toChild() ? toChild : toParent).add(e.getClass());
        }
        assertEquals(Set.copyOf(ProtocolTable.records(Envelope.ToChild.class)), toChild, "parent → child rows");
        assertEquals(Set.copyOf(ProtocolTable.records(Envelope.ToParent.class)), toParent, "child → parent rows");
    }

    @Test
    void eachSideRefusesWhatItNeverReceives() {
        assertThrows(Envelope.BadLine.class, () -> Envelope.toParent("{\"type\": \"stop\"}"));
        assertThrows(Envelope.BadLine.class, () -> Envelope.toChild("{\"type\": \"result\", \"seq\": 0, \"value\": 1}"));
        assertThrows(Envelope.BadLine.class, () -> Envelope.toChild("{\"type\": \"end\"}"));
        assertThrows(Envelope.BadLine.class, () -> Envelope.toParent("{\"type\": \"begin\"}"));
        assertThrows(Envelope.BadLine.class, () -> Envelope.toParent("[1, 2]"));
    }

    @Test
    void aRunawayStackIsCut() {
        Envelope.Failure f = new Envelope.Failure(0, "E", "", "x".repeat(Envelope.Failure.MAX_STACK_CHARS + 10));
        assertEquals(Envelope.Failure.MAX_STACK_CHARS + 2, f.stack().length());
    }
}
