package io.ferry.cli;

import io.ferry.file.Commits;
import sun.misc.Signal;

import java.util.List;

/// The signals that ask a run to end, each ending it through the JVM's shutdown (whose hooks remove
/// a temporary output, and what Ferry made in `/dev/shm`) with exit code 128 + its number, once no
/// output is being renamed into place ([Commits]), and with 0 when the command's output is in
/// place by then: a signal that came as the run ended said "interrupted, the old file as it was"
/// over the new file. SIGINT, SIGTERM, SIGHUP, which the JVM would handle so, but for the rename;
/// and SIGUSR1 (Grid Engine's with `-notify`, SLURM's `--signal`), SIGALRM, SIGXCPU (a CPU-time
/// limit: `ulimit -t`, `h_cpu`), which batch systems and limits send as a warning before the end
/// and which by default end a process without letting it clean up (as `kill -9`).
///
/// (SIGUSR2 is the JVM's own; SIGPROF and SIGVTALRM are profilers', left alone. A signal ignored
/// from the start, as SIGINT is in a script's background job, stays ignored: the JVM keeps it so.)
final class TerminatingSignals {
    private static final List<String> NAMES = List.of("INT", "TERM", "HUP", "USR1", "ALRM", "XCPU");

    private TerminatingSignals() {
    }

    /// Makes each signal end the run through the JVM's shutdown, where this system has it.
    /// @param oneOutput whether the command writes one output, which in place means its job is
    ///                  done (not `ferry serve`, whose outputs are its requests')
    static void install(boolean oneOutput) {
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), s -> Commits.exit(oneOutput, 128 + s.getNumber()));
            } catch (IllegalArgumentException | UnsupportedOperationException usedOrUnknown) {
                // the JVM uses it, or this system has no such signal: its default stays
            }
        }
    }
}
