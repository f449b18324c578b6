package io.ferry.proc;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/// Small, quick child JVMs for tests, and the check that a test left none behind.
final class TestWorkers {
    /// Small heaps and the C1 compiler only: child JVMs here live for a second or two. Their stderr
    /// is not echoed (failure reports quote it).
    static final WorkerOptions OPTIONS = WorkerOptions.DEFAULT
            .withJvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC"))
            .withEchoStderr(false)
            .withStopTimeout(Duration.ofSeconds(3));

    static final Duration WAIT = Duration.ofSeconds(30);

    private TestWorkers() {
    }

    /// Fails when this JVM still has child processes a few seconds after a test, and kills them.
    static void assertNoChildProcessesLeft() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.current().descendants().findAny().isPresent()) {
            if (System.nanoTime() > deadline) {
                List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
                String described = left.stream()
                        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                        .collect(Collectors.joining("\n  "));
                left.forEach(ProcessHandle::destroyForcibly);
                fail("child processes left behind:\n  " + described);
            }
            Thread.sleep(50);
        }
    }
}
