package io.ferry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The exit code of a signal says what became of the output: 143 (130 for Ctrl-C) only while the
/// old file is as it was; once the new one is in place, 0. A hostile tester's SIGTERM at random
/// moments to `ferry convert --append` gave 143 five times in 33 over a file whose dataset had
/// been appended (a retry then failed: the name was taken), and one during the rename made its
/// hooks remove the temporary file the rename was moving. Exits wait for a rename under way
/// ([io.ferry.file.Commits]).
@org.junit.jupiter.api.Tag("process")
class SignalAtCommitTest {
    @TempDir
    Path dir;

    @Test
    void aSignalBeforeTheOutputIsInPlaceLeavesTheOldFileAndSaysSo() throws Exception {
        Path out = Files.writeString(dir.resolve("out.txt"), "old\n");
        Process p = start(out);
        BufferedReader said = reader(p);
        assertEquals("temporary", said.readLine());
        signal(p, "TERM");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue());
        assertEquals("old\n", Files.readString(out));
        assertEquals(List.of(out), files(), "the temporary file is gone");
    }

    @Test
    void aSignalOnceTheOutputIsInPlaceExitsZero() throws Exception {
        Path out = Files.writeString(dir.resolve("out.txt"), "old\n");
        Process p = start(out);
        BufferedReader said = reader(p);
        assertEquals("temporary", said.readLine());
        try (Writer w = p.outputWriter(StandardCharsets.UTF_8)) {
            w.write("commit\n");
            w.flush();
            assertEquals("committed", said.readLine());
            signal(p, "INT");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(0, p.exitValue(), "the job was done: its output is in place");
        assertEquals("new\n", Files.readString(out));
        assertEquals(List.of(out), files());
    }

    private Process start(Path out) throws Exception {
        return new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), CommitThenWait.class.getName(), out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void signal(Process p, String name) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-s", name, Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    private List<Path> files() throws Exception {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
