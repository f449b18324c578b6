package io.ferry.cli;

import sun.misc.Signal;

import java.util.List;

/// Signals that end a process by default without letting it clean up, and that batch systems and
/// limits send as a warning before the end: SIGUSR1 (Grid Engine's with `-notify`, SLURM's
/// `--signal`), SIGALRM, SIGXCPU (a CPU-time limit: `ulimit -t`, `h_cpu`). The JVM runs its
/// shutdown hooks (which remove a temporary output, and what Ferry made in `/dev/shm`) for
/// SIGINT, SIGTERM and SIGHUP only; under these the run ended as under `kill -9`, leaving them.
/// Now each ends it as SIGTERM does, with exit code 128 + its number.
///
/// (SIGUSR2 is the JVM's own; SIGPROF and SIGVTALRM are profilers', left alone.)
final class TerminatingSignals {
    private static final List<String> NAMES = List.of("USR1", "ALRM", "XCPU");

    private TerminatingSignals() {
    }

    /// Makes each signal end the run through the JVM's shutdown, where this system has it.
    static void install() {
        for (String name : NAMES) {
            try {
                Signal.handle(new Signal(name), s -> System.exit(128 + s.getNumber()));
            } catch (IllegalArgumentException | UnsupportedOperationException usedOrUnknown) {
                // the JVM uses it, or this system has no such signal: its default stays
            }
        }
    }
}
