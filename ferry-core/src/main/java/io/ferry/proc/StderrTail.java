package io.ferry.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/// The last lines of a child's standard error, kept by a thread that reads the pipe to its end so
/// the child never blocks on a full pipe, whatever it prints.
final class StderrTail {
    /// Longer lines are cut: a child printing megabytes without a newline must not fill our heap.
    static final int MAX_LINE_CHARS = 2000;

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final int capacity;
    private final PrintStream echo;
    private final String echoPrefix;
    private final Thread drainer;

    private StderrTail(int capacity, InputStream stderr, PrintStream echo, String echoPrefix, String threadName) {
        this.capacity = capacity;
        this.echo = echo;
        this.echoPrefix = echoPrefix;
        this.drainer = Thread.ofPlatform().daemon().name(threadName)
                .start(() -> drain(new InputStreamReader(stderr, StandardCharsets.UTF_8)));
    }

    /// Starts draining `stderr`; each line is also printed to `echo` after `echoPrefix` unless `echo` is null.
    static StderrTail drain(int capacity, InputStream stderr, PrintStream echo, String echoPrefix, String threadName) {
        return new StderrTail(capacity, stderr, echo, echoPrefix, threadName);
    }

    /// Waits up to `millis` for the pipe's end, so a report made after the child exited has its last words.
    void awaitEnd(long millis) {
        try {
            drainer.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /// {@return the lines kept, oldest first}
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /// Keeps (and echoes) a line that came another way: text on the child's standard output that is
    /// not a channel message, such as the JVM's own `-Xlog` output.
    void note(String line) {
        String s = line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + " …(line cut)";
        add(s);
        if (echo != null) {
            echo.println(echoPrefix + s);
        }
    }

    private synchronized void add(String line) {
        if (capacity == 0) {
            return;
        }
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    private void drain(Reader in) {
        char[] buf = new char[8192];
        StringBuilder line = new StringBuilder();
        boolean cut = false;
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        finish(line, cut);
                        line.setLength(0);
                        cut = false;
                    } else if (line.length() < MAX_LINE_CHARS) {
                        line.append(c);
                    } else {
                        cut = true;
                    }
                }
            }
        } catch (IOException e) {
            // The pipe broke: the child is gone or the stream was closed; what we have is the tail.
        }
        if (!line.isEmpty()) {
            finish(line, cut);
        }
    }

    private void finish(StringBuilder line, boolean cut) {
        if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        }
        String s = cut ? line + " …(line cut)" : line.toString();
        add(s);
        if (echo != null) {
            echo.println(echoPrefix + s);
        }
    }
}
