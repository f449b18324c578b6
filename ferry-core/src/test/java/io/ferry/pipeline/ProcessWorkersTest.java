package io.ferry.pipeline;

import io.ferry.proc.WorkerOptions;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ferry.pipeline.FixedWidthReader.expected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class ProcessWorkersTest {
    private static final io.ferry.dtype.DType I8 = io.ferry.dtype.DType.parse("<i8");
    private static final WorkerOptions OPTIONS = WorkerOptions.DEFAULT.withJvmOptions(
            List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"));

    @TempDir
    Path dir;


    /// Child JVMs fill the shared slots; the parent writes them in order, as threads would.
    @Test
    void childJvmsGiveTheSameRowsAsThreads() throws Exception {
        List<Path> inputs = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            inputs.add(FixedWidthReader.write(dir, "data" + f + ".txt", f * 100_000L, 3000 + 111 * f));
        }
        MemorySink sink = new MemorySink();
        try (ProcessWorkers workers = new ProcessWorkers(2, FixedWidthRecipe.class, Map.of(), OPTIONS)) {
            ConversionResult r = Pipeline.builder(I8, inputs, sink, workers).memoryBytes(64 * 8 * 4)
                    .chunkRows(64).minPartBytes(4000).build().run();
            assertTrue(r.complete());
        }
        for (int f = 0; f < 3; f++) {
            assertArrayEquals(expected(f * 100_000L, 3000 + 111 * f), sink.data.get("data" + f).toByteArray());
        }
    }

    @Test
    void aBadLineInAChildFailsTheRunWithTheChildsMessage() throws Exception {
        List<Path> inputs = List.of(FixedWidthReader.write(dir, "a.txt", 0, 500), FixedWidthReader.write(dir, "b.txt", 0, 500));
        Files.writeString(inputs.get(1), Files.readString(inputs.get(1)).replace("0000099\n", "bad!!!!\n"));
        try (ProcessWorkers workers = new ProcessWorkers(2, FixedWidthRecipe.class, Map.of(), OPTIONS)) {
            ConversionException e = assertThrows(ConversionException.class, () ->
                    Pipeline.builder(I8, inputs, new MemorySink(), workers).memoryBytes(4096).chunkRows(8).build().run());
            assertEquals(inputs.get(1) + ":100: bad line", e.getMessage());
        }
    }

    /// A bad line late in the first half of a split file, while the child parsing the second half
    /// has filled its slots with chunks the writer must hold until the first half is written: the
    /// run fails. (It used to hang: the held chunks kept their slots, and that child, which does
    /// not see the run stop, waited for a free slot forever.)
    @Test
    void aFailureWhileAnotherChildWaitsForItsSlotsEndsTheRun() throws Exception {
        Path big = FixedWidthReader.write(dir, "big.txt", 0, 40_000);
        Files.writeString(big, Files.readString(big).replace("0018000\n", "bad!!!!\n"));
        try (ProcessWorkers workers = new ProcessWorkers(2, FixedWidthRecipe.class, Map.of("delayMs", 2L), OPTIONS)) {
            ConversionException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                    ConversionException.class, () -> Pipeline.builder(I8, List.of(big), new MemorySink(), workers)
                            .memoryBytes(64 * 8 * 4).chunkRows(64).minPartBytes(4000).build().run()));
            assertEquals(big + ":18001: bad line", e.getMessage());
        }
    }

    /// `kill -9` of a worker mid-file: the run fails naming the file and how the worker died.
    @Test
    void aKilledWorkerFailsTheRunNamingTheFile() throws Exception {
        List<Path> inputs = List.of(FixedWidthReader.write(dir, "slow.txt", 0, 4000));
        MemorySink sink = new MemorySink();
        try (ProcessWorkers workers = new ProcessWorkers(1, FixedWidthRecipe.class, Map.of("delayMs", 20L), OPTIONS)) {
            Thread killer = Thread.ofPlatform().start(() -> {
                try {
                    awaitSlotsMapped();   // the child parses from then on (for 10 s: 500 chunks of 20 ms)
                    Thread.sleep(300);
                    ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
                } catch (InterruptedException ignored) {
                    // the test ended first
                }
            });
            ConversionException e = assertThrows(ConversionException.class, () ->
                    Pipeline.builder(I8, inputs, sink, workers).memoryBytes(4096).chunkRows(8).build().run());
            killer.join();
            assertTrue(e.getMessage().matches("(?s)worker process \\d+ was killed by signal 9 \\(SIGKILL\\) while parsing "
                    + java.util.regex.Pattern.quote(inputs.get(0).toString()) + ".*"), e.getMessage());
        }
        assertFalse(sink.committed);
    }

    /// Waits until every child has mapped the slots: their name then goes from `/dev/shm`.
    private static void awaitSlotsMapped() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ShmLeakCheck.segmentsOf(ProcessHandle.current().pid()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        while (!ShmLeakCheck.segmentsOf(ProcessHandle.current().pid()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    /// A child that makes no progress while it has a part and slots to fill (here each chunk takes
    /// 10 s, as a stuck read would) is killed once the stall timeout has passed, and its part fails
    /// naming it, the file and its state.
    @Test
    void aChildThatMakesNoProgressIsKilledAndFailsTheRun() throws Exception {
        List<Path> inputs = List.of(FixedWidthReader.write(dir, "stuck.txt", 0, 1000));
        long t0 = System.nanoTime();
        try (ProcessWorkers workers = new ProcessWorkers(1, FixedWidthRecipe.class, Map.of("delayMs", 10_000L), OPTIONS)
                .stallTimeout(Duration.ofSeconds(1))) {
            ConversionException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                    ConversionException.class, () -> Pipeline.builder(I8, inputs, new MemorySink(), workers)
                            .memoryBytes(4096).chunkRows(8).build().run()));
            assertTrue(e.getMessage().matches("worker process \\d+ made no progress for 1 s while parsing "
                    + java.util.regex.Pattern.quote(inputs.get(0).toString()) + ": its state is [SR] \\((sleeping|running)\\); it was killed\\."
                    + " If one chunk can take that long to parse, allow more with --stall-timeout"), e.getMessage());
        }
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "the 10 s chunk was not waited for");
        assertEquals(List.of(), ProcessHandle.current().children().toList(), "the stalled child is gone");
    }

    /// A child whose slots all wait for a slow writer makes no progress either, and is not stalled:
    /// here the writer takes 2.5 s per chunk and the stall timeout is 1 s, while the child waits
    /// for a slot to parse the third chunk into.
    @Test
    void aChildWaitingForASlowWriterIsNotStalled() throws Exception {
        List<Path> inputs = List.of(FixedWidthReader.write(dir, "a.txt", 0, 192));
        MemorySink slow = new MemorySink() {
            @Override
            public DatasetAppender dataset(String name, io.ferry.dtype.DType dtype, Path source, long chunkRows) {
                DatasetAppender inner = super.dataset(name, dtype, source, chunkRows);
                return new DatasetAppender() {
                    @Override
                    public void append(io.ferry.array.NdArray rows) throws IOException {
                        try {
                            Thread.sleep(2500);
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                        inner.append(rows);
                    }

                    @Override
                    public void finish(long totalRows) throws IOException {
                        inner.finish(totalRows);
                    }

                    @Override
                    public void discard() throws IOException {
                        inner.discard();
                    }
                };
            }
        };
        try (ProcessWorkers workers = new ProcessWorkers(1, FixedWidthRecipe.class, Map.of(), OPTIONS)
                .stallTimeout(Duration.ofSeconds(1))) {
            ConversionResult r = Pipeline.builder(I8, inputs, slow, workers).memoryBytes(2 * 64 * 8).chunkRows(64)
                    .build().run();
            assertTrue(r.complete());
        }
        assertArrayEquals(expected(0, 192), slow.data.get("a").toByteArray());
    }
}
