package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/// SIGINT (Ctrl-C) and SIGTERM to `ferry convert` mid-run clean up as an error does: the
/// temporary output goes, nothing stays in `/dev/shm`, the worker JVMs exit, and the exit code
/// says which signal (130, 143). So do the warnings batch systems and limits send before the end
/// (SIGUSR1, SIGALRM, SIGXCPU: [TerminatingSignals]), which used to end it as `kill -9` does.
/// A worker JVM stopped (SIGSTOP) when the signal comes is killed too: it used to stay for ever.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class SignalTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "SIG{0} with {1} workers exits {2}")
    @CsvSource({"INT, thread, 130", "TERM, thread, 143", "INT, process, 130", "TERM, process, 143",
            "USR1, thread, 138", "ALRM, process, 142", "XCPU, thread, 152"})
    void aSignalMidRunCleansUpAndExitsWithItsCode(String signal, String isolation, int exitCode) throws Exception {
        Path out = dir.resolve("out.h5");
        try (FerryJvm ferry = FerryJvm.start(SampleInputs.slowConvert(out, isolation))) {
            if (isolation.equals("process")) {
                ferry.awaitWorkers(2);
            }
            awaitTemporaryOutput();
            Thread.sleep(500);   // well into the run, which lasts several seconds
            ferry.signal(signal);
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(exitCode, ferry.exitCode(), ferry.output());
            assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
            assertEquals(List.of(), ferry.workersRunningAfter(Duration.ofSeconds(2)), "every worker JVM exited within 2 s");
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
    }

    /// A stopped worker watches nothing, so it cannot see ferry go: it stayed, stopped, reparented
    /// to init, holding its memory, while ferry exited as if it had cleaned up. The signal comes
    /// well before the 2 s after which a run gives up on a stopped worker by itself.
    @ParameterizedTest(name = "SIG{0} while a worker is stopped exits {1}, the worker killed")
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalWhileAWorkerIsStoppedKillsTheWorker(String signal, int exitCode) throws Exception {
        try (FerryJvm ferry = FerryJvm.start(SampleInputs.slowConvert(dir.resolve("out.h5"), "process"))) {
            ProcessHandle victim = ferry.awaitWorkers(2).getFirst();
            awaitTemporaryOutput();
            Process stop = new ProcessBuilder("kill", "-s", "STOP", Long.toString(victim.pid())).inheritIO().start();
            assertEquals(0, stop.waitFor(), "kill -s STOP " + victim.pid());
            ferry.signal(signal);
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(exitCode, ferry.exitCode(), ferry.output());
            assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
            assertEquals(List.of(), ferry.workersRunningAfter(Duration.ofSeconds(3)), "every worker JVM is gone, the stopped one too");
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
    }

    /// The run has started writing: its temporary output exists.
    private void awaitTemporaryOutput() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (SampleInputs.outputsIn(dir).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("ferry wrote no temporary output within 60 s");
            }
            Thread.sleep(5);
        }
    }
}
