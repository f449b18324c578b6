package io.ferry.cli;

/// The exit codes of `ferry`, listed in the README.
final class ExitCode {
    /// Everything asked was done.
    static final int OK = 0;
    /// It failed: bad input, a worker died, an I/O error. Nothing was left behind.
    static final int FAILED = 1;
    /// `--keep-going`: the output was written without the inputs that failed, which are listed.
    static final int PARTIAL = 2;
    /// The command line is wrong (unknown option, missing argument): it says how to fix it.
    static final int USAGE = 64;
    /// Interrupted (SIGINT, Ctrl-C), after cleaning up.
    static final int INTERRUPTED = 130;
    /// Terminated (SIGTERM), after cleaning up.
    static final int TERMINATED = 143;

    private ExitCode() {
    }
}
