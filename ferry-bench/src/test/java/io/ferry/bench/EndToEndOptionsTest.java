package io.ferry.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@org.junit.jupiter.api.Tag("process")
class EndToEndOptionsTest {
    @Test
    void defaultsAreTheIssuesSizes() {
        EndToEndOptions o = EndToEndOptions.parse();
        assertEquals(5_000_000, o.lines());
        assertEquals(4, o.files());
        assertEquals(3, o.runs());
        assertEquals(Path.of("bench-results"), o.out());
        assertEquals(Path.of("bench-results/work"), o.work());
        assertEquals(List.of("./ferry"), o.ferry());
        assertFalse(o.ferryWorkers().isPresent());
        assertEquals(20, o.sampleMillis());
    }

    @Test
    void readsEveryOption() {
        EndToEndOptions o = EndToEndOptions.parse("--lines", "200_000", "--files", "2", "--runs", "5", "--out", "r",
                "--ferry", "java -jar ferry-cli/target/ferry.jar", "--ferry-workers", "3", "--only", "recipe,,limit",
                "--generate-cmd", "gen {lines} {out}", "--keep-outputs");
        assertEquals(200_000, o.lines());
        assertEquals(2, o.files());
        assertEquals(5, o.runs());
        assertEquals(Path.of("r/work"), o.work());
        assertEquals(List.of("java", "-jar", "ferry-cli/target/ferry.jar"), o.ferry());
        assertEquals(3, o.ferryWorkers().getAsInt());
        assertEquals(List.of("recipe", "limit"), o.only());
        assertEquals("gen {lines} {out}", o.generateCmd());
        assertTrue(o.keepOutputs());
    }

    @Test
    void saysWhatIsWrong() {
        var e = assertThrows(EndToEndOptions.UsageException.class, () -> EndToEndOptions.parse("--lines", "0"));
        assertEquals("--lines needs a positive whole number, not '0'", e.getMessage());
        e = assertThrows(EndToEndOptions.UsageException.class, () -> EndToEndOptions.parse("--runs"));
        assertEquals("--runs needs a value", e.getMessage());
        e = assertThrows(EndToEndOptions.UsageException.class, () -> EndToEndOptions.parse("--fast"));
        assertEquals("unknown option --fast", e.getMessage());
    }
}
