package io.ferry.share;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.proc.TaskOutcome;
import io.ferry.proc.WorkerOptions;
import io.ferry.proc.Worker;
import io.ferry.proc.WorkerPool;
import io.ferry.shm.SharedArray;
import io.ferry.testing.ShmLeakCheck;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;
import io.ferry.text.TextParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// [LoadIntoSharedArray] in real child JVMs of a [WorkerPool]: each array the parent maps holds
/// the bytes the loader gives in this JVM for the same file and options (the loader itself is held
/// to numpy by `LoadtxtParityTest`), and no segment is left in `/dev/shm` (the extension checks).
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class LoadIntoSharedArrayTest {
    private static final WorkerOptions OPTIONS = WorkerOptions.DEFAULT
            .withJvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC"))
            .withEchoStderr(false)
            .withStopTimeout(Duration.ofSeconds(3));
    private static final DType DT = DType.parse("chr:S10,pos:i4,pct:f4");

    @TempDir
    Path dir;

    /// A CSV with a header, a gzipped table of the same, a plain grid with chosen columns: the
    /// loader's options reach the child, and each array is the loader's own result, byte for byte.
    @Test
    void eachArrayIsWhatTheLoaderGivesWithItsOptions() throws Exception {
        StringBuilder csv = new StringBuilder("chr,pos,pct\n");
        for (int i = 0; i < 5000; i++) {
            csv.append("chr").append(i % 23).append(',').append(1000 + 7L * i).append(',').append(i % 101 / 3.0).append('\n');
        }
        Path plain = Files.writeString(dir.resolve("a.csv"), csv);
        Path gz = dir.resolve("b.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(csv.toString().getBytes());
        }
        Path grid = Files.writeString(dir.resolve("grid.txt"), "# x y z\n1 2 3\n4 5 6\n7 8 9\n");
        LoadOptions csvOptions = LoadOptions.builder().delimiter(',').skipRows(1).build();
        LoadOptions gridOptions = LoadOptions.builder().useCols(2, 0).build();
        DType f8 = DType.parse("<f8");
        List<Object> inputs = List.of(LoadIntoSharedArray.input(plain, DT, csvOptions),
                LoadIntoSharedArray.input(gz, DT, csvOptions), LoadIntoSharedArray.input(grid, f8, gridOptions));
        Map<Integer, byte[]> bytes = new ConcurrentHashMap<>();
        Map<Integer, List<Long>> shapes = new ConcurrentHashMap<>();
        List<Object> rows;
        try (WorkerPool pool = WorkerPool.start(2, OPTIONS)) {
            rows = pool.map(LoadIntoSharedArray.class, inputs, (index, message, task) -> {
                try (SharedArray a = LoadIntoSharedArray.attach(message, task)) {
                    bytes.put(index, a.array().segment().asSlice(0, a.array().byteSize()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    List<Long> shape = new ArrayList<>();
                    for (long d : a.array().shape()) {
                        shape.add(d);
                    }
                    shapes.put(index, shape);
                }
            });
        }
        assertEquals(List.of(5000L, 5000L, 3L), rows);
        assertArrayEquals(loadHere(plain, DT, csvOptions), bytes.get(0));
        assertArrayEquals(loadHere(gz, DT, csvOptions), bytes.get(1));
        assertArrayEquals(loadHere(grid, f8, gridOptions), bytes.get(2));
        assertEquals(List.of(3L, 2L), shapes.get(2), "numpy's shape: rows x the columns chosen");
    }

    /// A line that does not parse fails that input alone, with the loader's message; a missing
    /// file too; the other input is loaded; nothing is left in /dev/shm.
    @Test
    void aBadLineFailsItsInputAloneNamingTheLine() throws Exception {
        Path good = Files.writeString(dir.resolve("good.txt"), "chr1 1 0.5\nchr2 2 1.5\n");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "chr1 1 0.5\nchr2 x 1.5\n");
        List<Object> inputs = List.of(LoadIntoSharedArray.input(bad, DT, LoadOptions.DEFAULT),
                LoadIntoSharedArray.input(good, DT, LoadOptions.DEFAULT),
                LoadIntoSharedArray.input(dir.resolve("missing.txt"), DT, LoadOptions.DEFAULT));
        List<TaskOutcome> outcomes;
        try (WorkerPool pool = WorkerPool.start(1, OPTIONS)) {
            outcomes = pool.mapOutcomes(LoadIntoSharedArray.class, inputs, (index, message, task) -> {
                LoadIntoSharedArray.attach(message, task).close();
            });
        }
        TaskOutcome.Failure failed = assertInstanceOf(TaskOutcome.Failure.class, outcomes.get(0));
        assertTrue(failed.reason().contains(TextParseException.class.getName()), failed.reason());
        assertTrue(failed.reason().contains(bad + ":2:"), failed.reason());
        assertEquals(2L, assertInstanceOf(TaskOutcome.Success.class, outcomes.get(1)).result());
        TaskOutcome.Failure missing = assertInstanceOf(TaskOutcome.Failure.class, outcomes.get(2));
        assertTrue(missing.reason().contains("missing.txt"), missing.reason());
    }

    /// A parent that answers something else than "attached" (the old examples' "done") gets a
    /// failure saying so, and the child removes the array it made.
    @Test
    void aWrongAnswerFailsTheInputAndTheChildRemovesItsArray() throws Exception {
        Path good = Files.writeString(dir.resolve("good.txt"), "chr1 1 0.5\n");
        List<TaskOutcome> outcomes;
        try (WorkerPool pool = WorkerPool.start(1, OPTIONS)) {
            outcomes = pool.mapOutcomes(LoadIntoSharedArray.class, List.of(LoadIntoSharedArray.input(good, DT, LoadOptions.DEFAULT)),
                    (index, message, task) -> task.send("done"));
        }
        TaskOutcome.Failure failed = assertInstanceOf(TaskOutcome.Failure.class, outcomes.getFirst());
        assertTrue(failed.reason().contains("the parent answered \"done\""), failed.reason());
    }

    /// A handler that throws before it attaches fails its input, and the child, which still owns
    /// the segment whose handle it sent, removes it and its creator record as it goes: it was
    /// killed outright, and both stayed in /dev/shm with nothing to sweep them (a tester found it).
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aHandlerThatFailsBeforeAttachingLeavesNothingInDevShm() throws Exception {
        Path good = Files.writeString(dir.resolve("good.txt"), "chr1 1 0.5\nchr2 2 1.5\n");
        Set<Long> children = ConcurrentHashMap.newKeySet();
        Set<String> handedOver = ConcurrentHashMap.newKeySet();
        List<TaskOutcome> outcomes;
        try (WorkerPool pool = WorkerPool.start(1, OPTIONS)) {
            outcomes = pool.mapOutcomes(LoadIntoSharedArray.class, List.of(LoadIntoSharedArray.input(good, DT, LoadOptions.DEFAULT)),
                    (index, message, task) -> {
                        long child = ((Worker) task).pid();
                        children.add(child);
                        handedOver.addAll(ShmLeakCheck.segmentsOf(child));
                        throw new IllegalStateException("my handler failed before attaching");
                    });
            TaskOutcome.Failure failed = assertInstanceOf(TaskOutcome.Failure.class, outcomes.getFirst());
            assertTrue(failed.reason().contains("my handler failed before attaching"), failed.reason());
            long child = children.iterator().next();
            assertEquals(1, handedOver.size(), "the child's segment was there when the handle came: " + handedOver);
            assertTrue(ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true), "the failed child is gone");
            Set<String> left = ShmLeakCheck.filesOf(child);
            left.forEach(ShmLeakCheck::remove);
            assertEquals(Set.of(), left, "what the child left in /dev/shm (removed now)");
        }
    }

    private static byte[] loadHere(Path file, DType dtype, LoadOptions options) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = TextLoader.of(dtype, options).load(file, arena);
            return a.segment().asSlice(0, a.byteSize()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
    }
}
