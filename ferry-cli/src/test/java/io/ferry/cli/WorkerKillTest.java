package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `kill -9` of a worker JVM of `ferry convert --isolation process` at random moments, from its
/// start (before it has mapped the slots) to deep in the run: every run ends by itself with exit
/// code 1 and an error saying which worker died of what, leaves no output, no temporary file and
/// nothing in `/dev/shm`.
///
/// The moments come from a seed, printed with any failure; `-Dferry.seed=N` replays them.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class WorkerKillTest {
    private static final int TRIALS = 20;
    /// Latest kill, counted from when the first worker JVM appears; the run lasts far longer.
    private static final int MAX_DELAY_MILLIS = 1500;
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void killMinus9OfAWorkerAtRandomMomentsEndsEveryRunCleanly() throws Exception {
        long seed = Long.getLong("ferry.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int trial = 1; trial <= TRIALS; trial++) {
            int delay = random.nextInt(MAX_DELAY_MILLIS + 1);
            int victim = random.nextInt(2);
            String replay = "trial " + trial + " of seed " + seed + " (replay: -Dferry.seed=" + seed
                    + "), kill -9 of worker " + victim + " " + delay + " ms after the first worker appeared";
            try {
                trial(delay, victim);
            } catch (AssertionError e) {
                throw new AssertionError(replay + ": " + e.getMessage(), e);
            }
        }
    }

    /// A worker ended by SIGTERM is named by its signal's name too, as one killed by SIGKILL is.
    @Test
    void aWorkerTerminatedIsNamedBySignal() throws Exception {
        Path out = dir.resolve("out.h5");
        try (FerryJvm ferry = FerryJvm.start(SampleInputs.slowConvert(out, "process"))) {
            // the list awaitWorkers found: a listing right after it came back empty once, on a busy machine
            ProcessHandle stopped = ferry.awaitWorkers(1).getFirst();
            Thread.sleep(200);   // at work on its part
            stopped.destroy();   // SIGTERM
            ferry.assertExitsWithin(BOUND);
            String said = ferry.output();
            assertEquals(1, ferry.exitCode(), said);
            assertTrue(said.contains("worker process " + stopped.pid() + " was killed by signal 15 (SIGTERM)"), said);
            assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
    }

    private void trial(int delayMillis, int victim) throws Exception {
        Path out = dir.resolve("out.h5");
        try (FerryJvm ferry = FerryJvm.start(SampleInputs.slowConvert(out, "process"))) {
            ferry.awaitWorkers(1);
            Thread.sleep(delayMillis);
            List<ProcessHandle> workers = ferry.workers();
            ProcessHandle killed = workers.get(Math.min(victim, workers.size() - 1));
            killed.destroyForcibly();   // SIGKILL

            ferry.assertExitsWithin(BOUND);
            String said = ferry.output();
            assertEquals(1, ferry.exitCode(), said);
            assertTrue(said.contains("worker process " + killed.pid() + " was killed by signal 9 (SIGKILL)"), said);
            assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
            assertEquals(List.of(), ferry.workersRunningAfter(Duration.ofSeconds(10)), "every worker JVM exited");
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
    }
}
