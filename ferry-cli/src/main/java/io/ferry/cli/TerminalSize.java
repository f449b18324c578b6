package io.ferry.cli;

import io.ferry.libc.Libc;

import java.util.Map;
import java.util.Optional;

/// The size of the terminal progress is drawn on, asked again for every frame so that a resize
/// takes effect at once. Where no terminal answers: `COLUMNS` and `LINES` when the environment has
/// them, else 80 × 24.
///
/// @param columns characters a line
/// @param rows    lines
record TerminalSize(int columns, int rows) {
    /// Where nothing says otherwise: the VT100's.
    static final TerminalSize DEFAULT = new TerminalSize(80, 24);

    /// {@return the size of the terminal standard error is on}, else that of the process's
    /// controlling terminal (`/dev/tty`), else [#of(Map)] of the environment
    static TerminalSize current() {
        return ask(2).or(TerminalSize::controllingTerminal).orElseGet(() -> of(System.getenv()));
    }

    /// {@return the size `COLUMNS` and `LINES` in `env` say}, each [#DEFAULT]'s when missing or
    /// not a positive number
    static TerminalSize of(Map<String, String> env) {
        return new TerminalSize(positive(env.get("COLUMNS"), DEFAULT.columns), positive(env.get("LINES"), DEFAULT.rows));
    }

    private static Optional<TerminalSize> ask(int fd) {
        try {
            return Libc.windowSize(fd).map(w -> new TerminalSize(w.columns(), w.rows() > 0 ? w.rows() : DEFAULT.rows));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();   // no native access: the environment's word will do
        }
    }

    private static Optional<TerminalSize> controllingTerminal() {
        int fd;
        try {
            fd = Libc.open("/dev/tty", 0);   // O_RDONLY
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();   // no controlling terminal (a daemon, a CI job)
        }
        try {
            return ask(fd);
        } finally {
            Libc.close(fd);
        }
    }

    private static int positive(String s, int otherwise) {
        try {
            int n = s == null ? 0 : Integer.parseInt(s.strip());
            return n > 0 ? n : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
