package io.ferry.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A JVM that exits while it writes an output leaves no temporary file, whatever ends it and
/// whichever thread was writing; a commit before the exit keeps the output.
class OutputFileExitTest {
    @TempDir
    Path dir;

    @Test
    void anExitFromAnotherThreadRemovesTheTemporaryFile() throws Exception {
        Path temporary = run("exit", 143);
        assertEquals(List.of(), list(), "no output, no temporary file " + temporary);
    }

    @Test
    void sigtermRemovesTheTemporaryFile() throws Exception {
        Process child = start("wait");
        String temporary = firstLine(child);
        assertTrue(Files.exists(Path.of(temporary)), temporary);
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, child.exitValue());
        assertEquals(List.of(), list());
    }

    @Test
    void aCommittedOutputStaysAfterTheExit() throws Exception {
        run("commit", 0);
        assertEquals(List.of("out.txt"), list());
        assertEquals("partial\n", Files.readString(dir.resolve("out.txt")));
    }

    /// Without native access (`--illegal-native-access=deny`, no `--enable-native-access`) the
    /// swap cannot be linked: the commit renames the large file over the old one instead.
    @Test
    void withoutNativeAccessALargeOutputIsRenamedIntoPlace() throws Exception {
        Files.writeString(dir.resolve("out.txt"), "old\n");
        Process child = start("commit-large", "--illegal-native-access=deny");
        firstLine(child);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ended");
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), err);
        assertEquals(List.of("out.txt"), list());
        assertEquals(OutputFile.EXCHANGE_BYTES, Files.size(dir.resolve("out.txt")));
        try (var in = Files.newInputStream(dir.resolve("out.txt"))) {
            assertEquals("partial\n", new String(in.readNBytes(8), StandardCharsets.UTF_8));
        }
    }

    private Path run(String how, int exit) throws Exception {
        Process child = start(how);
        String temporary = firstLine(child);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ended");
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(exit, child.exitValue(), err);
        return Path.of(temporary);
    }

    private Process start(String how) throws Exception {
        return start(how, "--enable-native-access=ALL-UNNAMED");
    }

    private Process start(String how, String nativeAccess) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, nativeAccess, "-XX:-UsePerfData", "-cp",
                System.getProperty("java.class.path"), TemporaryWriterMain.class.getName(),
                dir.resolve("out.txt").toString(), how).start();
    }

    private static String firstLine(Process child) throws Exception {
        String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            child.waitFor(60, TimeUnit.SECONDS);
            throw new AssertionError("the child printed nothing: " + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return line;
    }

    private List<String> list() throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
