package io.ferry.cli;

import io.ferry.cli.ProgressSnapshot.FileProgress;
import io.ferry.pipeline.ConversionProgress.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The progress display's frames, as text: what fits where. (Drawn on a real terminal:
/// [ProgressOnTerminalTest].)
class ProgressDisplayTest {
    private static final long MB = 1 << 20;

    /// A run 45 % done: one file written, one being written, one parsed, one queued.
    static ProgressSnapshot midway() {
        return new ProgressSnapshot(12.5, List.of(
                new FileProgress("GSM1234567_sample_with_a_long_name.methylation.tsv", State.WRITTEN, 100 * MB, 100 * MB, 4_000_000),
                new FileProgress("sample2.tsv", State.WRITING, 100 * MB, 80 * MB, 3_200_000),
                new FileProgress("sample3.tsv", State.PARSING, 200 * MB, 45 * MB, 1_200_000),
                new FileProgress("sample4.tsv", State.QUEUED, 100 * MB, 0, 0)));
    }

    /// What a descriptor links to in /proc, made as links of the same targets in a folder: the
    /// terminals' devices draw, files, pipes, sockets and /dev/null do not.
    @Test
    void onlyATerminalDeviceIsATerminal(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Map<String, Boolean> targets = Map.of("/dev/pts/3", true, "/dev/tty1", true, "/dev/ttyS0", true, "/dev/tty", true,
                "/dev/console", true, "/dev/null", false, "/tmp/convert.log", false, "pipe:[81234]", false,
                "socket:[5512]", false, "/dev/ptsx", false);
        int k = 0;
        for (Map.Entry<String, Boolean> t : targets.entrySet()) {
            Path link = Files.createSymbolicLink(dir.resolve("fd" + k++), Path.of(t.getKey()));
            assertEquals(t.getValue(), ProgressDisplay.isTerminal(link), t.getKey());
        }
        assertFalse(ProgressDisplay.isTerminal(dir.resolve("no-such-descriptor")));
        assertFalse(ProgressDisplay.isTerminal(Files.createFile(dir.resolve("not-a-link"))));
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 41, 50, 60, 79, 80, 81, 100, 120, 200})
    void everyLineFitsTheWidth(int columns) {
        List<String> lines = ProgressDisplay.render(midway(), new TerminalSize(columns, 24));
        assertEquals(5, lines.size(), String.join("\n", lines));
        for (String line : lines) {
            assertTrue(line.length() < columns, columns + " columns: " + line.length() + ": " + line);
        }
        // What stays at any width: the share done, the rows written, every file's state.
        assertTrue(lines.getFirst().contains(" 45%"), lines.getFirst());
        assertTrue(lines.getFirst().contains("8,400,000 rows"), lines.getFirst());
        for (String state : new String[]{"written", "writing", "parsing", "queued"}) {
            assertEquals(1, lines.stream().filter(l -> l.contains(" " + state)).count(), state + " in " + lines);
        }
    }

    @Test
    void at40ColumnsTheLeastNeededFieldsGo() {
        List<String> lines = ProgressDisplay.render(midway(), new TerminalSize(40, 24));
        String total = lines.getFirst();
        assertTrue(total.startsWith("["), total);
        assertTrue(total.contains("ETA 0:15"), total);     // 225 MiB of 500 MiB in 12.5 s: 275 MiB to go at 18 MiB/s
        assertFalse(total.contains("/s"), total);          // the rate goes first
        assertFalse(total.contains("files"), total);
        // a long name keeps its end
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  ...ation.tsv  written")), String.join("\n", lines));
    }

    @Test
    void at80ColumnsEveryFieldIsThere() {
        List<String> lines = ProgressDisplay.render(midway(), new TerminalSize(80, 24));
        String total = lines.getFirst();
        assertTrue(total.matches("\\[=+>? *] {2} 45% {2}225 MiB / 500 MiB {2}8,400,000 rows {2}18 MiB/s {2}ETA 0:15 {2}files 1/4"), total);
        // the busy files first, then the rest in input order
        assertTrue(lines.get(1).startsWith("  sample2.tsv"), lines.get(1));
        assertTrue(lines.get(2).startsWith("  sample3.tsv"), lines.get(2));
        assertTrue(lines.get(3).contains("methylation.tsv"), lines.get(3));
        assertTrue(lines.get(4).startsWith("  sample4.tsv"), lines.get(4));
        assertTrue(lines.get(1).contains("writing  3,200,000 rows   80 MiB / 100 MiB"), lines.get(1));
    }

    @Test
    void at200ColumnsNamesAreWholeAndTheBarIsBounded() {
        List<String> lines = ProgressDisplay.render(midway(), new TerminalSize(200, 24));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  GSM1234567_sample_with_a_long_name.methylation.tsv  written")), String.join("\n", lines));
        String total = lines.getFirst();
        assertEquals(32, total.indexOf(']') + 1, total);
        assertEquals(13, total.chars().filter(ch -> ch == '=').count(), total); // 45 % of 30, rounded down
    }

    @Test
    void neverMoreLinesThanTheTerminalHas() {
        List<FileProgress> files = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            files.add(new FileProgress("f" + i + ".tsv", i < 3 ? State.PARSING : State.QUEUED, MB, i < 3 ? MB / 2 : 0, 10));
        }
        ProgressSnapshot s = new ProgressSnapshot(1, files);
        List<String> tall = ProgressDisplay.render(s, new TerminalSize(80, 50));
        assertEquals(13, tall.size());
        assertEquals("  ... and 19 more files", tall.getLast());
        List<String> short6 = ProgressDisplay.render(s, new TerminalSize(80, 6));
        assertEquals(5, short6.size(), String.join("\n", short6));
        assertEquals("  ... and 27 more files", short6.getLast());
        assertEquals(1, ProgressDisplay.render(s, new TerminalSize(80, 2)).size());
    }

    @Test
    void theEndIsAFullBarAndOnlyThen() {
        ProgressSnapshot allParsedNotWritten = new ProgressSnapshot(3, List.of(
                new FileProgress("a.tsv", State.WRITING, 100, 99, 9)));
        String line = ProgressDisplay.render(allParsedNotWritten, new TerminalSize(80, 24)).getFirst();
        assertTrue(line.contains(" 99%"), line);
        assertTrue(line.contains("ETA 0:00"), line);
        ProgressSnapshot done = new ProgressSnapshot(3, List.of(new FileProgress("a.tsv", State.WRITTEN, 100, 100, 10)));
        line = ProgressDisplay.render(done, new TerminalSize(80, 24)).getFirst();
        assertTrue(line.startsWith("[" + "=".repeat(line.indexOf(']') - 1) + "]"), line);
        assertTrue(line.contains("100%") && line.contains("ETA -") && line.contains("files 1/1"), line);
        assertTrue(line.contains(" 10 rows"), line);
        line = ProgressDisplay.render(new ProgressSnapshot(3, List.of(new FileProgress("a.tsv", State.WRITTEN, 100, 100, 1))),
                new TerminalSize(80, 24)).getFirst();
        assertTrue(line.contains(" 1 row "), line);
    }

    /// The README's picture of the display is what it draws.
    @Test
    void theReadmeShowsWhatIsDrawn() throws java.io.IOException {
        ProgressSnapshot s = new ProgressSnapshot(12.5, List.of(
                new FileProgress("sample1.tsv", State.WRITTEN, 100 * MB, 100 * MB, 4_000_000),
                new FileProgress("sample2.tsv", State.WRITING, 100 * MB, 80 * MB, 3_200_000),
                new FileProgress("sample3.tsv", State.PARSING, 200 * MB, 45 * MB, 1_200_000),
                new FileProgress("sample4.tsv", State.QUEUED, 100 * MB, 0, 0)));
        String drawn = String.join("\n", ProgressDisplay.render(s, new TerminalSize(80, 24)).stream().map(l -> "  " + l).toList());
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        int at = readme.indexOf("In an 80-column terminal:\n\n  ```text\n");
        assertTrue(at > 0, "the README's example is gone");
        int start = readme.indexOf('\n', readme.indexOf("```text", at)) + 1;
        assertEquals(drawn, readme.substring(start, readme.indexOf("\n  ```", start)));
    }

    @Test
    void theEnvironmentSaysTheSizeWhereNoTerminalDoes() {
        assertEquals(new TerminalSize(132, 50), TerminalSize.of(Map.of("COLUMNS", "132", "LINES", "50")));
        assertEquals(TerminalSize.DEFAULT, TerminalSize.of(Map.of()));
        assertEquals(new TerminalSize(80, 24), TerminalSize.of(Map.of("COLUMNS", "wide", "LINES", "-3")));
    }
}
