package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `kill -9` of `ferry convert` itself: no process can clean up after that, so the guarantees
/// are that its worker JVMs exit within 2 seconds, and that the next run's sweep removes what it
/// left in `/dev/shm` (its slot pool, if the kill came before every worker had mapped it, and its
/// creator record) and, when that run writes the same output, its temporary output file.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class ParentKillTest {
    @TempDir
    Path dir;

    /// Killed while its slot pool still has a name (the workers have not all mapped it yet).
    @Test
    void killedBeforeTheWorkersAttachedTheNextRunSweepsItsSegment() throws Exception {
        Set<String> left;
        try (FerryJvm ferry = FerryJvm.start(SampleInputs.slowConvert(dir.resolve("out.h5"), "process"))) {
            String slots = ferry.awaitSlotSegment();
            ferry.signal("KILL");
            assertTrue(ferry.awaitExit(Duration.ofSeconds(10)));
            assertEquals(List.of(), ferry.workersRunningAfter(Duration.ofSeconds(2)), "every worker JVM exited within 2 s");
            left = ferry.shmLeftovers();
            assertTrue(left.contains(slots), "kill -9 leaves the pool's name: " + left);
            assertNextRunSweeps(left);
        }
    }

    /// Killed mid-run, the workers busy parsing.
    @Test
    void killedMidRunItsWorkersExitWithinTwoSeconds() throws Exception {
        try (FerryJvm ferry = FerryJvm.start(SampleInputs.slowConvert(dir.resolve("out.h5"), "process"))) {
            ferry.awaitWorkers(2);
            Thread.sleep(1000);
            ferry.signal("KILL");
            assertTrue(ferry.awaitExit(Duration.ofSeconds(10)));
            assertEquals(List.of(), ferry.workersRunningAfter(Duration.ofSeconds(2)), "every worker JVM exited within 2 s");
            Set<String> left = ferry.shmLeftovers();
            assertFalse(left.isEmpty(), "kill -9 leaves at least the creator record");
            assertEquals(1, temporaries().size(), "kill -9 mid-run leaves its temporary output: " + temporaries());
            assertNextRunSweeps(left);
        }
    }

    private void assertNextRunSweeps(Set<String> left) throws Exception {
        Path small = dir.resolve("small.txt");
        SampleInputs.write(small, 1000, 1);
        var next = ferry("convert", small.toString(), "-o", dir.resolve("out.h5").toString(), "--dtype",
                SampleInputs.DTYPE, "--isolation", "process", "-q");   // the run that uses shared memory sweeps it
        assertEquals(0, next.exit(), next.err());
        for (String name : left) {
            assertFalse(ShmLeakCheck.exists(name), name + " is still in /dev/shm after the next run");
        }
        assertEquals(List.of(), temporaries(), "the next run to the same output removes the killed run's temporary file");
        assertTrue(Files.exists(dir.resolve("out.h5")));
    }

    private List<String> temporaries() throws IOException {
        return SampleInputs.outputsIn(dir).stream().filter(n -> n.endsWith(".ferry-tmp")).toList();
    }
}
