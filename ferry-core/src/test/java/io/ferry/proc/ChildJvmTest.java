package io.ferry.proc;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChildJvmTest {
    /// A worker that could not start under `ulimit -n 20` passed on the JDK's three guesses
    /// ("Spawn helper ran into JDK version mismatch", …) after the real cause.
    @Test
    void whyAChildCouldNotStartIsTheJdksFirstLineWithTheRemedy() {
        IOException e = new IOException("Cannot run program \"/bin/sh\": Bad file descriptor, error: 24 (Too many open files)\n"
                + "Possible reasons:\n  - Spawn helper ran into JDK version mismatch\n"
                + "  - Spawn helper ran into unexpected internal error\n  - Spawn helper was terminated by another process");
        assertEquals("Cannot run program \"/bin/sh\": Bad file descriptor, error: 24 (Too many open files); raise the limit"
                + " (ulimit -n), or use --isolation thread, which starts no JVM", ChildJvm.why(e));
        assertEquals("Cannot run program \"x\": error=2, No such file or directory",
                ChildJvm.why(new IOException("Cannot run program \"x\": error=2, No such file or directory")));
    }
}
