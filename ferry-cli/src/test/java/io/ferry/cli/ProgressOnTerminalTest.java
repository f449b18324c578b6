package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The progress display on a real terminal: `ferry convert` in a `tmux` window of 80 × 24, its
/// screen read with `capture-pane` while it runs and after. A line that wrapped would leave copies
/// of the total line behind, one a frame.
@org.junit.jupiter.api.Tag("process")
class ProgressOnTerminalTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyFrameFitsAnd80ColumnTerminalAndLeavesNoCopies() throws Exception {
        // A long name and a big file beside two small ones: the line is wider than 80 untrimmed.
        Path small1 = dir.resolve("a_sample_with_quite_a_long_name_indeed.methylation.tsv");
        Path small2 = dir.resolve("b.tsv");
        SampleInputs.write(small1, 20_000, 1);
        SampleInputs.write(small2, 20_000, 2);
        Path big = dir.resolve("big.tsv");
        // Long enough to be seen midway more than once: 600,000 lines took 0.8 s, and a run
        // sampled every 300 ms then showed one frame midway as often as two.
        SampleInputs.write(big, 2_000_000, 3);
        Path out = dir.resolve("out.h5");
        Path pidFile = dir.resolve("pid");
        List<String> java = new ArrayList<>(FerryJvm.javaCommand());
        java.addAll(List.of("convert", big.toString(), small1.toString(), small2.toString(),
                "-o", out.toString(), "--dtype", SampleInputs.DTYPE, "--isolation", "thread", "--workers", "2",
                "--compression", "gzip:9", "--memory", "5M"));
        List<String> frames = frames("echo $$ > " + quote(pidFile.toString()) + "; exec " + words(java));
        String screen = frames.getLast();
        assertTrue(screen.contains("FERRY-EXIT=0"), screen);
        long midway = frames.stream().filter(f -> f.lines().anyMatch(l -> l.matches(".*\\b\\d{1,2}%.*"))).count();
        assertTrue(midway >= 2, "fewer than two frames seen while it ran:\n" + String.join("\n----\n", frames));
        for (String frame : frames) {
            // -J joins a wrapped line back: a line longer than 80 wrapped. (The summary on
            // standard output names the output, as long as its path is: not the display's.)
            frame.lines().filter(l -> !l.startsWith(out.toString()))
                    .forEach(l -> assertTrue(l.length() <= 80, "wider than 80: " + l + "\n" + frame));
            long totals = frame.lines().filter(ProgressOnTerminalTest::totalLine).count();
            assertTrue(totals <= 1, "copies of the total line left behind:\n" + frame);
        }
        assertEquals(1, screen.lines().filter(l -> totalLine(l) && l.contains("100%")).count(), screen);
        assertTrue(screen.lines().anyMatch(l -> l.contains("...") && l.contains("methylation.tsv") && l.contains("written")), screen);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertEquals(Set.of(), ShmLeakCheck.filesOf(pid), "left in /dev/shm");
    }

    /// The display goes where standard error goes, whatever standard input and output are: typed
    /// at a terminal, `2>log` kept its escape sequences out of the log (they were written there,
    /// the JDK's console asking about standard input and output), and `>out` still draws (it drew
    /// nothing).
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void drawsWhereStandardErrorIsATerminalOnly() throws Exception {
        Path input = dir.resolve("in.tsv");
        SampleInputs.write(input, 300_000, 4);
        List<String> java = new ArrayList<>(FerryJvm.javaCommand());
        java.addAll(List.of("convert", input.toString(), "-o", dir.resolve("out.h5").toString(), "--force",
                "--dtype", SampleInputs.DTYPE, "--workers", "1"));
        String convert = words(java);
        Path log = dir.resolve("err.log");
        String screen = frames(convert + " 2>" + quote(log.toString())).getLast();
        assertTrue(screen.contains("FERRY-EXIT=0"), screen);
        String logged = Files.readString(log);
        assertFalse(logged.contains("\033") || logged.contains("%"), "progress drawn into the log: " + logged);
        assertTrue(screen.lines().noneMatch(ProgressOnTerminalTest::totalLine), screen);

        Path out = dir.resolve("out.log");
        screen = frames(convert + " >" + quote(out.toString())).getLast();
        assertTrue(screen.contains("FERRY-EXIT=0"), screen);
        assertEquals(1, screen.lines().filter(l -> totalLine(l) && l.contains("100%")).count(), screen);
        assertTrue(Files.readString(out).contains("1 dataset, 300,000 rows"), Files.readString(out));
    }

    /// {@return the screens of an 80 × 24 tmux window running `command` (by sh), read every 150 ms
    /// until it has ended}: the last is the screen after its end
    private List<String> frames(String command) throws Exception {
        // A server a window, its socket in the test's directory (removed with it; -L would leave
        // one in /tmp/tmux-UID after kill-server), and a socket of its own: a new server on the
        // socket of one just killed can find it still going away ("server exited unexpectedly").
        String socket = Files.createTempFile(dir, "tmux", ".sock").toString();
        Files.delete(Path.of(socket));
        try {
            run("tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24",
                    "sh -c " + quote(command) + "; echo FERRY-EXIT=$?; sleep 600");
            List<String> frames = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            String screen;
            do {
                Thread.sleep(150);
                screen = run("tmux", "-S", socket, "capture-pane", "-p", "-J", "-S", "-");
                frames.add(screen);
                assertTrue(System.nanoTime() < deadline, "no end in sight:\n" + screen);
            } while (!screen.contains("FERRY-EXIT="));
            return frames;
        } finally {
            new ProcessBuilder("tmux", "-S", socket, "kill-server").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean totalLine(String l) {
        return l.matches("^(\\[[=> ]*] +)?\\s*\\d{1,3}% .*rows.*");
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    /// {@return `words` as sh reads them back: each quoted, between spaces}
    private static String words(List<String> words) {
        return String.join(" ", words.stream().map(ProgressOnTerminalTest::quote).toList());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
