package io.ferry.cli;

import io.ferry.Sizes;
import io.ferry.pipeline.ConversionProgress;
import io.ferry.pipeline.ConversionProgress.State;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/// Progress of a conversion on a terminal, redrawn in place a few times a second: a total line
/// (bar, share done, bytes, rows written, rate, ETA, files written), then a line per file saying
/// what it is doing. Drawn on standard error so standard output stays clean.
///
/// Every line fits the terminal as it is at each frame ([TerminalSize]): a line that wrapped would
/// leave a copy of itself behind at every redraw. Where the width is short, fields go in this
/// order until the line fits: the rate, the files count, the bytes, the bar, the ETA, the rows;
/// the share done always stays. A file's name is shortened from the left (its end says most), its
/// bytes and then its rows go where even that is not enough. There are never more lines than the
/// terminal has, less one.
///
/// The share done, the bar and the ETA measure the whole job
/// ([ConversionProgress#bytesDone(int)]): they reach the end with the last chunk written.
final class ProgressDisplay implements AutoCloseable {
    private static final int MAX_FILE_LINES = 12;
    private static final String CLEAR_LINE = "\033[2K";
    private static final String GAP = "  ";
    private static final int BAR_MIN = 6;
    private static final int BAR_MAX = 32;
    private static final int NAME_MIN = 12;

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

    /// {@return whether standard error is a terminal (and `TERM` is not `dumb`), so progress can
    /// be drawn}
    ///
    /// Asked of the link `/proc/self/fd/2`, not of [System#console()]: the console says whether
    /// standard input and output are terminals, so `ferry convert … 2>log` typed at a terminal
    /// wrote the display's escape sequences into the log, and `>out` drew none; and its first call
    /// loads the JDK's console providers (JLine's among them), 20 ms of a one-line conversion.
    static boolean terminal() {
        return !"dumb".equals(System.getenv("TERM")) && isTerminal(Path.of("/proc/self/fd/2"));
    }

    /// {@return whether the link `descriptor` (an entry of `/proc/PID/fd`) names a terminal
    /// device}: a pseudo-terminal (`/dev/pts/N`, what terminal windows, ssh and tmux give), a
    /// virtual console or serial line (`/dev/ttyN`, `/dev/ttyS0`, `/dev/tty`) or the system
    /// console; not a file, a pipe, a socket or `/dev/null`
    static boolean isTerminal(Path descriptor) {
        String device;
        try {
            device = Files.readSymbolicLink(descriptor).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;   // no /proc: nothing drawn, as on a file
        }
        return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
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
        List<String> lines = render(ProgressSnapshot.of(p), TerminalSize.current());
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

    /// {@return the lines showing `s` on a terminal of `size`}: a total line, then one per file
    /// (those being parsed or written, and those that failed, first), each shorter than the
    /// terminal is wide, and fewer lines than it has
    static List<String> render(ProgressSnapshot s, TerminalSize size) {
        int width = Math.max(1, size.columns() - 1); // the last column: some terminals wrap on it
        List<String> lines = new ArrayList<>();
        lines.add(totalLine(s, width));
        int fileLines = Math.min(MAX_FILE_LINES, size.rows() - 2);
        if (fileLines <= 0) {
            return lines;
        }
        List<ProgressSnapshot.FileProgress> order = new ArrayList<>();
        s.files().stream().filter(f -> active(f.state())).forEach(order::add);
        s.files().stream().filter(f -> !active(f.state())).forEach(order::add);
        int more = order.size() > fileLines ? order.size() - (fileLines - 1) : 0;
        List<ProgressSnapshot.FileProgress> shown = more > 0 ? order.subList(0, fileLines - 1) : order;
        lines.addAll(fileLines(shown, width));
        if (more > 0) {
            lines.add(fit("  ... and " + more + " more " + (more == 1 ? "file" : "files"), width));
        }
        return lines;
    }

    private static boolean active(State s) {
        return s == State.PARSING || s == State.WRITING || s == State.FAILED;
    }

    /// {@return how a person reads `s`}
    static String label(State s) {
        return switch (s) {
            case QUEUED -> "queued";
            case PARSING -> "parsing";
            case WRITING -> "writing";
            case WRITTEN -> "written";
            case FAILED -> "failed";
        };
    }

    private static String totalLine(ProgressSnapshot s, int width) {
        long done = s.done();
        long total = Math.max(1, s.size());
        boolean finished = s.filesFinished() == s.files().size();
        double frac = finished ? 1.0 : Math.min((double) done / total, 0.999);
        double rate = done / Math.max(1e-3, s.seconds());
        String eta = finished ? "-" : rate > 0 ? Units.duration((total - done) / rate) : "?";
        // Fields in the order shown; each knows when it goes (a higher rank stays longer).
        record Field(String text, int rank) {
        }
        List<Field> fields = new ArrayList<>(List.of(
                new Field(String.format("%3d%%", (int) Math.floor(frac * 100)), Integer.MAX_VALUE),
                new Field(Sizes.human(done) + " / " + Sizes.human(total), 3),
                new Field(Units.count(s.rows()) + (s.rows() == 1 ? " row" : " rows"), 6),
                new Field(Sizes.human((long) rate) + "/s", 1),
                new Field("ETA " + eta, 5),
                new Field("files " + s.filesFinished() + "/" + s.files().size(), 2)));
        boolean bar = true;
        int barRank = 4;
        while (true) {
            int text = fields.stream().mapToInt(f -> f.text().length()).sum() + GAP.length() * (fields.size() - 1);
            int room = width - text - (bar ? GAP.length() : 0);
            if (bar && room >= BAR_MIN || !bar && room >= 0 || fields.size() == 1 && !bar) {
                String line = String.join(GAP, fields.stream().map(Field::text).toList());
                return bar ? bar(frac, Math.min(BAR_MAX, room)) + GAP + line : fit(line, width);
            }
            // Drop the lowest-ranked of the fields and the bar.
            Field lowest = fields.stream().filter(f -> f.rank() != Integer.MAX_VALUE)
                    .min(Comparator.comparingInt(Field::rank)).orElse(null);
            if (bar && (lowest == null || barRank < lowest.rank())) {
                bar = false;
            } else if (lowest != null) {
                fields.remove(lowest);
            } else {
                return fit(String.join(GAP, fields.stream().map(Field::text).toList()), width);
            }
        }
    }

    private static String bar(double frac, int width) {
        int inside = width - 2;
        int filled = (int) Math.floor(frac * inside);
        return "[" + "=".repeat(filled) + (filled < inside ? ">" + " ".repeat(inside - filled - 1) : "") + "]";
    }

    /// {@return one line per file in `files`, in columns: name, state, rows, bytes}
    private static List<String> fileLines(List<ProgressSnapshot.FileProgress> files, int width) {
        List<String[]> cells = new ArrayList<>();
        for (ProgressSnapshot.FileProgress f : files) {
            cells.add(new String[]{f.name(), label(f.state()),
                    Units.count(f.rows()) + (f.rows() == 1 ? " row" : " rows"),
                    Sizes.human(f.done()) + " / " + Sizes.human(f.size())});
        }
        int[] w = new int[4];
        for (String[] c : cells) {
            for (int i = 0; i < 4; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        // Keep as many columns as leave the names room enough (or all of their length).
        int columns = 4;
        int nameWidth;
        while (true) {
            int rest = 2;
            for (int i = 1; i < columns; i++) {
                rest += GAP.length() + w[i];
            }
            nameWidth = Math.min(w[0], width - rest);
            if (nameWidth >= Math.min(w[0], NAME_MIN) || columns == 2) {
                break;
            }
            columns--;
        }
        nameWidth = Math.max(1, nameWidth);
        List<String> lines = new ArrayList<>();
        for (String[] c : cells) {
            StringBuilder b = new StringBuilder("  ").append(pad(shorten(c[0], nameWidth), nameWidth));
            for (int i = 1; i < columns; i++) {
                b.append(GAP).append(i == 1 ? pad(c[i], w[i]) : " ".repeat(w[i] - c[i].length()) + c[i]);
            }
            lines.add(fit(b.toString().stripTrailing(), width));
        }
        return lines;
    }

    /// {@return `name` in at most `width` characters, its start cut when it must be}
    static String shorten(String name, int width) {
        if (name.length() <= width) {
            return name;
        }
        return width <= 3 ? name.substring(name.length() - width) : "..." + name.substring(name.length() - (width - 3));
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String fit(String line, int width) {
        return line.length() <= width ? line : line.substring(0, width);
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
