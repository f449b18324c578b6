package io.ferry.cli;

import io.ferry.Sizes;
import io.ferry.pipeline.ConversionProgress;
import io.ferry.pipeline.Input;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/// Progress of a conversion on a terminal, redrawn in place a few times a second: bytes and rows
/// done, rate, ETA, and each file's state. Drawn on standard error so standard output stays clean.
final class ProgressDisplay implements AutoCloseable {
    private static final int MAX_FILE_LINES = 12;
    private static final String CLEAR_LINE = "\033[2K";

    private final Supplier<ConversionProgress> progress;
    private final PrintStream out;
    private final Thread thread;
    private int drawnLines;
    private volatile boolean running = true;

    /// Starts drawing; `progress` may return null until the conversion has planned its work.
    ProgressDisplay(Supplier<ConversionProgress> progress, PrintStream out) {
        this.progress = progress;
        this.out = out;
        this.thread = Thread.ofPlatform().name("ferry-progress").daemon().start(this::loop);
    }

    /// {@return whether `System.err` is a terminal, so progress can be drawn}
    static boolean terminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal() && !"dumb".equals(System.getenv("TERM"));
    }

    private void loop() {
        while (running) {
            draw();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void draw() {
        ConversionProgress p = progress.get();
        if (p == null) {
            return;
        }
        List<String> lines = render(p, 100);
        StringBuilder b = new StringBuilder();
        if (drawnLines > 0) {
            b.append("\033[").append(drawnLines).append('A'); // back to the first line drawn
        }
        for (String line : lines) {
            b.append('\r').append(CLEAR_LINE).append(line).append('\n');
        }
        for (int i = lines.size(); i < drawnLines; i++) {
            b.append('\r').append(CLEAR_LINE).append('\n');
        }
        int total = Math.max(lines.size(), drawnLines);
        if (total > lines.size()) {
            b.append("\033[").append(total - lines.size()).append('A');
        }
        drawnLines = lines.size();
        out.print(b);
        out.flush();
    }

    /// {@return the lines describing `p`}: a total line, then one per file (the running ones first
    /// when there are many).
    static List<String> render(ConversionProgress p, int width) {
        long done = p.totalBytesRead();
        long total = Math.max(1, p.totalBytes());
        double secs = Math.max(1e-3, p.elapsedSeconds());
        double rate = done / secs;
        double frac = Math.min(1.0, (double) done / total);
        String eta = rate > 0 && frac < 1 ? Units.duration((total - done) / rate) : "-";
        int barWidth = 24;
        int filled = (int) Math.round(frac * barWidth);
        String bar = "[" + "=".repeat(filled) + (filled < barWidth ? ">" + " ".repeat(barWidth - filled - 1) : "") + "]";
        List<Input> inputs = p.inputs();
        int doneFiles = 0;
        for (int i = 0; i < inputs.size(); i++) {
            doneFiles += p.state(i) == ConversionProgress.State.DONE ? 1 : 0;
        }
        java.util.ArrayList<String> lines = new java.util.ArrayList<>();
        lines.add(String.format("%s %3.0f%%  %s / %s  %s rows  %s/s  ETA %s  files %d/%d", bar, frac * 100,
                Sizes.human(done), Sizes.human(total), Units.count(p.totalRowsWritten()), Sizes.human((long) rate), eta,
                doneFiles, inputs.size()));
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (p.state(i) == ConversionProgress.State.RUNNING || p.state(i) == ConversionProgress.State.FAILED) {
                order.add(i);
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!order.contains(i)) {
                order.add(i);
            }
        }
        int shown = 0;
        for (int i : order) {
            if (shown == MAX_FILE_LINES && inputs.size() > MAX_FILE_LINES) {
                lines.add(String.format("  ... and %d more files", inputs.size() - MAX_FILE_LINES));
                break;
            }
            Input in = inputs.get(i);
            String name = in.file().getFileName().toString();
            if (name.length() > 32) {
                name = "..." + name.substring(name.length() - 29);
            }
            lines.add(String.format("  %-32s %-8s %10s rows  %9s / %s", name, p.state(i).name().toLowerCase(),
                    Units.count(p.rowsWritten(i)), Sizes.human(p.bytesRead(i)), Sizes.human(in.size())));
            shown++;
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).length() > width) {
                lines.set(i, lines.get(i).substring(0, width));
            }
        }
        return lines;
    }

    /// Draws the final state and stops. Idempotent.
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw();
    }
}
