package io.ferry.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputTablesTest {
    private static final String ONE_LINE = "printf 'chr1\\t{seed}\\t50.00\\t1\\t1\\n'";

    @Test
    void countsLinesWithOrWithoutTheLastNewline(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.txt");
        Files.writeString(f, "a\nb\n");
        assertEquals(2, InputTables.countLines(f));
        Files.writeString(f, "a\nb");
        assertEquals(2, InputTables.countLines(f));
        Files.writeString(f, "");
        assertEquals(0, InputTables.countLines(f));
    }

    @Test
    void generatesOncePerSizeAndReuses(@TempDir Path dir) throws Exception {
        // without {out}, the command's stdout is the file
        String gen = "for i in $(seq {lines}); do " + ONE_LINE + "; done";
        EndToEndOptions o = EndToEndOptions.parse("--lines", "3", "--files", "2", "--out", dir.toString(),
                "--generate-cmd", gen);
        InputTables t = InputTables.prepare(o);
        assertEquals(2, t.files().size());
        assertEquals("chr1\t2\t50.00\t1\t1", InputTables.firstLine(t.files().get(1)));
        assertEquals(3, InputTables.countLines(t.files().getFirst()));
        long before = Files.getLastModifiedTime(t.files().getFirst()).toMillis();
        Thread.sleep(20);
        InputTables again = InputTables.prepare(o);
        assertEquals(t.totalBytes(), again.totalBytes());
        assertEquals(before, Files.getLastModifiedTime(again.files().getFirst()).toMillis());
    }

    @Test
    void refusesAGeneratorThatWritesTheWrongNumberOfLines(@TempDir Path dir) {
        EndToEndOptions o = EndToEndOptions.parse("--lines", "3", "--files", "1", "--out", dir.toString(),
                "--generate-cmd", ONE_LINE + " > {out}");
        var e = assertThrows(IllegalStateException.class, () -> InputTables.prepare(o));
        assertTrue(e.getMessage().contains("wrote 1 lines"), e.getMessage());
    }

    @Test
    void saysHowToFixAFailingGenerator(@TempDir Path dir) {
        EndToEndOptions o = EndToEndOptions.parse("--lines", "3", "--files", "1", "--out", dir.toString(),
                "--generate-cmd", "echo no such generator >&2; exit 3");
        var e = assertThrows(IllegalStateException.class, () -> InputTables.prepare(o));
        assertTrue(e.getMessage().startsWith("input generation failed (exit 3): no such generator"), e.getMessage());
        assertTrue(e.getMessage().contains("--generate-cmd"), e.getMessage());
    }
}
