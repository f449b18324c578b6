package io.ferry.proc;

import io.ferry.testing.ProtocolTable;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// The channel's table in the package documentation is the protocol: each row is read by the side
/// that receives it and written back to the same line, and every record of [Envelope] has a row for
/// each way it travels.
class ChannelProtocolTest {
    @Test
    void theTableInThePackageDocumentationIsTheProtocol() {
        Map<Boolean, Set<Class<?>>> sent = ProtocolTable.check("src/main/java/io/ferry/proc/package-info.java",
                row -> row.toChild() ? Envelope.toChild(row.json()) : Envelope.toParent(row.json()),
                e -> new String(e.line(), StandardCharsets.US_ASCII).stripTrailing());
        assertEquals(Set.copyOf(ProtocolTable.records(Envelope.ToChild.class)), sent.get(true), "parent → child");
        assertEquals(Set.copyOf(ProtocolTable.records(Envelope.ToParent.class)), sent.get(false), "child → parent");
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
