package io.ferry.proc;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/// What a process is doing, as Linux reports it: the state letters of its threads
/// (`/proc/<pid>/task/<tid>/stat`), told as one.
///
/// ```java
/// Process sleeper = new ProcessBuilder("sleep", "60").start();
/// assert !ProcessState.of(sleeper.pid()).orElseThrow().stopped();
/// new ProcessBuilder("kill", "-STOP", Long.toString(sleeper.pid())).start().waitFor();
/// assert ProcessState.of(sleeper.pid()).orElseThrow().stopped();   // T (stopped by SIGSTOP or SIGTSTP)
/// sleeper.destroyForcibly();                                       // SIGKILL ends a stopped process too
/// ```
///
/// The process's own line (`/proc/<pid>/stat`) is only its first thread's, which in a JVM is the
/// launcher waiting for the JVM to end: `S` whatever the JVM does. So the threads are read, and the
/// most telling letter wins: stopped (`T`, `t`) if any thread is, else running (`R`) if any runs,
/// else waiting in the kernel (`D`) if any waits there, else the first thread's.
///
/// @param code the letter: `R` running, `S` sleeping, `D` waiting in the kernel, `T` stopped, `t`
///             stopped by a debugger, `Z` exited (a zombie)
public record ProcessState(char code) {
    private static final String RANKED = "TtRD";

    /// {@return the state of process `pid`}, empty when there is no such process (or no `/proc`)
    public static Optional<ProcessState> of(long pid) {
        Optional<Character> first = letter(Path.of("/proc/" + pid + "/stat"));
        if (first.isEmpty()) {
            return Optional.empty();
        }
        char best = first.get();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : threads) {
                char c = letter(t.resolve("stat")).orElse(best);
                int rank = RANKED.indexOf(c);
                int bestRank = RANKED.indexOf(best);
                if (rank >= 0 && (bestRank < 0 || rank < bestRank)) {
                    best = c;
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // gone meanwhile: the first thread's letter stands
        }
        return Optional.of(new ProcessState(best));
    }

    /// {@return the state letter in the `stat` file `stat`}, empty when it cannot be read
    private static Optional<Character> letter(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException e) {
            return Optional.empty();
        }
        // "pid (command) S …": the command may hold spaces and parentheses, so count from the last ')'.
        int close = line.lastIndexOf(')');
        return close < 0 || close + 2 >= line.length() ? Optional.empty() : Optional.of(line.charAt(close + 2));
    }

    /// {@return whether the process is stopped}: by SIGSTOP or SIGTSTP (`kill -STOP`, Ctrl-Z), or by
    /// a debugger; it runs again only when continued
    public boolean stopped() {
        return code == 'T' || code == 't';
    }

    /// {@return the letter and what it means}, e.g. `T (stopped by SIGSTOP or SIGTSTP)`
    @Override
    public String toString() {
        return code + switch (code) {
            case 'R' -> " (running)";
            case 'S' -> " (sleeping)";
            case 'D' -> " (waiting in the kernel: disk or network I/O, or frozen)";
            case 'T' -> " (stopped by SIGSTOP or SIGTSTP)";
            case 't' -> " (stopped by a debugger)";
            case 'Z' -> " (exited, not yet reaped)";
            default -> "";
        };
    }
}
