package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// More workers asked for than a run can use: `ferry convert --workers 50 --isolation process` on
/// a 1,000-line file starts one worker JVM, not 50 (it used to start one per worker, about 30 s of
/// JVM starts on 2 cores before the run could end), and says that the workers exceed the cores.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class WorkerCountTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void noMoreWorkerJvmsStartThanThereAreParts() throws Exception {
        Path small = dir.resolve("small.txt");
        SampleInputs.write(small, 1000, 3);
        Path out = dir.resolve("out.h5");
        int asked = Math.max(50, Runtime.getRuntime().availableProcessors() + 1);
        try (FerryJvm ferry = FerryJvm.start("convert", small.toString(), "-o", out.toString(), "--dtype", SampleInputs.DTYPE,
                "--workers", Integer.toString(asked), "--isolation", "process")) {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (!ferry.awaitExit(Duration.ofMillis(5))) {   // a worker JVM lives far longer than 5 ms
                ferry.workers();
                if (System.nanoTime() > deadline) {
                    fail("ferry did not exit within " + BOUND + "; it said:\n" + ferry.output());
                }
            }
            String said = ferry.output();
            assertEquals(0, ferry.exitCode(), said);
            assertEquals(1, ferry.workersSeen().size(), "worker JVMs started: " + ferry.workersSeen() + "\n" + said);
            assertTrue(said.contains("ferry convert: note: --workers " + asked + " is more than the "
                    + Runtime.getRuntime().availableProcessors() + " cores; workers share the cores, and each costs memory"
                    + " and a JVM"), said);
            assertTrue(said.contains("1 dataset, 1,000 rows"), said);
            assertEquals(List.of("out.h5"), SampleInputs.outputsIn(dir), "the output and no temporary file");
            assertTrue(Files.size(out) > 0);
            assertEquals(List.of(), ferry.workersRunningAfter(Duration.ofSeconds(10)), "every worker JVM exited");
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
    }
}
