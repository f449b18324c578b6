package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.ferry.pipeline.FixedWidthReader.expected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineTest {
    private static final DType I8 = DType.parse("<i8");
    private static final PartReader.Factory READERS = (file, start, end, first) -> new FixedWidthReader(file, start, end);

    @TempDir
    Path dir;

    private Path input(String name, long first, int lines) throws IOException {
        return FixedWidthReader.write(dir, name, first, lines);
    }

    /// Rows keep file order whatever the split, the number of workers and the slot memory.
    @ParameterizedTest
    @CsvSource({"1, 1, 4096", "2, 3, 64", "3, 1, 48", "4, 7, 64", "2, 2, 32"})
    void everyRowOnceInOrder(int workers, int files, long memory) throws Exception {
        List<Path> inputs = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            inputs.add(input("data" + f + ".txt", f * 100_000L, 1000 + 337 * f));
        }
        MemorySink sink = new MemorySink();
        try (ThreadWorkers pool = new ThreadWorkers(workers, READERS)) {
            ConversionResult r = Pipeline.builder(I8, inputs, sink, pool)
                    .memoryBytes(memory * 8).chunkRows(4).minPartBytes(800).build().run();
            assertTrue(r.complete());
            assertEquals(r.totalRows(), inputs.stream().mapToLong(p -> p.toFile().length() / 8).sum());
        }
        for (int f = 0; f < files; f++) {
            assertArrayEquals(expected(f * 100_000L, 1000 + 337 * f), sink.data.get("data" + f).toByteArray(), "data" + f);
            assertEquals(1000 + 337 * f, sink.finished.get("data" + f));
        }
    }

    /// Issue 22: one big input among three small ones, one of two workers slowed (as by another
    /// program on its core), in memory for 8 chunks a worker. The big input is cut into ranges and
    /// handed out first, the worker ahead of the writer holds its slots until the slow one catches
    /// up, and every row is written once, in file order.
    @Test
    void oneBigAndThreeSmallInputsWithASlowWorkerKeepTheirOrder() throws Exception {
        List<Path> inputs = List.of(input("s1.txt", 7, 300), input("big.txt", 0, 20_000), input("s2.txt", 9, 400),
                input("s3.txt", 11, 350));
        PartReader.Factory slowFirst = (file, start, end, first) -> new FixedWidthReader(file, start, end) {
            @Override
            public long read(java.lang.foreign.MemorySegment target, long maxRows) throws IOException {
                if (Thread.currentThread().getName().endsWith("-0")) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                return super.read(target, maxRows);
            }
        };
        MemorySink sink = new MemorySink();
        try (ThreadWorkers pool = new ThreadWorkers(2, slowFirst)) {
            Pipeline c = Pipeline.builder(I8, inputs, sink, pool).memoryBytes(2 * 8 * 16 * 8).chunkRows(16)
                    .minPartBytes(64).build();
            ConversionPreview plan = c.preview();
            assertTrue(plan.datasets().get(1).parts() > 100, plan.toString());
            ConversionResult r = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), c::run);
            assertTrue(r.complete());
            assertEquals(2, r.workers());
        }
        assertArrayEquals(expected(7, 300), sink.data.get("s1").toByteArray());
        assertArrayEquals(expected(0, 20_000), sink.data.get("big").toByteArray());
        assertArrayEquals(expected(9, 400), sink.data.get("s2").toByteArray());
        assertArrayEquals(expected(11, 350), sink.data.get("s3").toByteArray());
    }

    @Test
    void aBadLineStopsTheRunNamingTheFile() throws Exception {
        List<Path> inputs = List.of(input("a.txt", 0, 500), input("b.txt", 0, 500), input("c.txt", 0, 500),
                input("d.txt", 0, 500));
        Files.writeString(inputs.get(2), Files.readString(inputs.get(2)).replace("0000321\n", "bad!!!!\n"));
        MemorySink sink = new MemorySink();
        try (ThreadWorkers pool = new ThreadWorkers(2, READERS)) {
            ConversionException e = assertThrows(ConversionException.class, () ->
                    Pipeline.builder(I8, inputs, sink, pool).memoryBytes(4096).chunkRows(8).build().run());
            assertEquals(inputs.get(2).toString() + ":322: bad line", e.getMessage());
            assertEquals("c", e.input().dataset());
        }
        assertFalse(sink.committed);
    }

    /// Each part opens its input by path: an input renamed over while the run goes (an editor's
    /// save, `mv new data.txt`) gave the first parts' rows of one file and the last parts' of
    /// the other, exit 0. Now the run fails naming it, and nothing is committed.
    @Test
    void anInputReplacedDuringTheRunFailsIt() throws Exception {
        Path a = input("a.txt", 0, 1000);
        Path next = input("next.txt", 500_000, 1000);
        PartReader.Factory replacingAtTheLastPart = (file, start, end, first) -> {
            if (end == Long.MAX_VALUE && Files.exists(next)) {   // the last part: the file changes before it opens
                Files.move(next, a, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return new FixedWidthReader(file, start, end);
        };
        MemorySink sink = new MemorySink();
        try (ThreadWorkers pool = new ThreadWorkers(1, replacingAtTheLastPart)) {
            ConversionException e = assertThrows(ConversionException.class, () -> Pipeline.builder(I8, List.of(a), sink, pool)
                    .memoryBytes(64 * 8).chunkRows(4).minPartBytes(800).build().run());
            assertTrue(e.getMessage().startsWith(a + " changed while it was read: it was replaced or written to"), e.getMessage());
        }
        assertFalse(sink.committed);
        assertFalse(Files.exists(next), "the file was replaced during the run");
    }

    /// An input written while the run reads it fails as a bad line that neither the file before
    /// nor the file after holds where it was read: the change is what is said.
    @Test
    void anInputWrittenDuringTheRunIsSaidToHaveChangedNotToHoldABadLine() throws Exception {
        Path a = input("a.txt", 0, 1000);
        boolean[] written = {false};
        PartReader.Factory writingAtTheLastPart = (file, start, end, first) -> {
            if (end == Long.MAX_VALUE && !written[0]) {   // the last part: a line is garbled before it opens
                written[0] = true;
                Files.writeString(a, Files.readString(a).replace("0000999\n", "bad!!!!\n"));
                Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(0));   // whatever the clock's grain
            }
            return new FixedWidthReader(file, start, end);
        };
        MemorySink sink = new MemorySink();
        try (ThreadWorkers pool = new ThreadWorkers(1, writingAtTheLastPart)) {
            ConversionException e = assertThrows(ConversionException.class, () -> Pipeline.builder(I8, List.of(a), sink, pool)
                    .memoryBytes(64 * 8).chunkRows(4).minPartBytes(800).build().run());
            assertTrue(e.getMessage().startsWith(a + " changed while it was read: it was replaced or written to"), e.getMessage());
        }
        assertFalse(sink.committed);
    }

    /// Two bad lines, at the end of the second part (of 100 lines) and at the start of the third,
    /// the second part's worker slowed so that the third fails first: the error is the second
    /// part's line, the one numpy reports and a user fixes first (the run used to report
    /// whichever part failed first in time). With an input after it too.
    @Test
    void theFirstBadLineInFileOrderIsTheOneReportedWhateverFailsFirst() throws Exception {
        Path a = input("a.txt", 0, 4000);
        Files.writeString(a, Files.readString(a).replace("0000190\n", "bad!!!!\n").replace("0000205\n", "bad!!!!\n"));
        PartReader.Factory secondPartSlow = (file, start, end, first) -> new FixedWidthReader(file, start, end) {
            @Override
            public long read(java.lang.foreign.MemorySegment target, long maxRows) throws IOException {
                if (start == 800) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                return super.read(target, maxRows);
            }
        };
        for (List<Path> inputs : List.of(List.of(a), List.of(a, input("b.txt", 0, 100)))) {
            try (ThreadWorkers pool = new ThreadWorkers(2, secondPartSlow)) {
                MemorySink sink = new MemorySink();
                ConversionException e = assertThrows(ConversionException.class, () -> Pipeline.builder(I8, inputs, sink, pool)
                        .memoryBytes(64 * 8 * 8).chunkRows(8).minPartBytes(800).build().run());
                assertEquals(a + ":191: bad line", e.getMessage());
                assertFalse(sink.committed);
            }
        }
    }

    @Test
    void keepGoingDropsOnlyTheFailedInput() throws Exception {
        List<Path> inputs = List.of(input("a.txt", 0, 500), input("b.txt", 0, 500), input("c.txt", 7, 500),
                input("d.txt", 9, 500));
        Files.writeString(inputs.get(1), Files.readString(inputs.get(1)).replace("0000400\n", "bad!!!!\n"));
        MemorySink sink = new MemorySink();
        try (ThreadWorkers pool = new ThreadWorkers(2, READERS)) {
            ConversionResult r = Pipeline.builder(I8, inputs, sink, pool).memoryBytes(4096).chunkRows(8)
                    .keepGoing(true).build().run();
            assertFalse(r.complete());
            assertEquals(List.of("b"), r.failures().keySet().stream().map(Input::dataset).toList());
            assertEquals(1500, r.totalRows());
        }
        assertEquals(List.of("a", "c", "d"), List.copyOf(sink.data.keySet()));
        assertArrayEquals(expected(9, 500), sink.data.get("d").toByteArray());
    }

    /// The default gives every worker the same room however many there are: a fixed 128 MiB was
    /// too little for the two default chunks of each of 65 workers, and the run failed.
    @Test
    void theDefaultMemoryGrowsWithTheWorkers() throws Exception {
        assertEquals(64L << 20, Pipeline.defaultMemory(1));
        assertEquals(64L << 20, Pipeline.defaultMemory(2));
        assertEquals(128L << 20, Pipeline.defaultMemory(4));
        assertEquals(3L << 30, Pipeline.defaultMemory(96));
        List<Path> inputs = List.of(input("a.txt", 0, 3000), input("b.txt", 5, 2000));
        MemorySink sink = new MemorySink();
        try (ThreadWorkers pool = new ThreadWorkers(96, READERS)) {
            ConversionResult r = Pipeline.builder(I8, inputs, sink, pool).build().run(); // default memory and chunks
            assertTrue(r.complete());
        }
        assertArrayEquals(expected(0, 3000), sink.data.get("a").toByteArray());
        assertArrayEquals(expected(5, 2000), sink.data.get("b").toByteArray());
    }

    /// No more workers than parts: 16 asked for on one small input start one thread, not 16 that
    /// find nothing to do (in process isolation each would be a JVM).
    @Test
    void noMoreWorkersStartThanThereAreParts() throws Exception {
        List<Path> inputs = List.of(input("a.txt", 0, 1000));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemorySink sink = new MemorySink();
        try (ThreadWorkers pool = new ThreadWorkers(16, READERS)) {
            long before = threads.getTotalStartedThreadCount();
            ConversionResult r = Pipeline.builder(I8, inputs, sink, pool).memoryBytes(4 * 64 * 8).chunkRows(64).build().run();
            long started = threads.getTotalStartedThreadCount() - before;
            assertEquals(1, r.workers());
            assertTrue(started <= 2, started + " threads started for one part");
        }
        assertArrayEquals(expected(0, 1000), sink.data.get("a").toByteArray());
    }

    @Test
    void memoryMustBePositive() {
        Pipeline.Builder b = Pipeline.builder(I8, List.of(dir.resolve("a.txt")), new MemorySink(), new ThreadWorkers(1, READERS));
        assertThrows(IllegalArgumentException.class, () -> b.memoryBytes(0));
    }

    @Test
    void tooLittleMemorySaysHowMuchIsNeeded() throws Exception {
        List<Path> inputs = List.of(input("a.txt", 0, 10), input("b.txt", 0, 10));
        try (ThreadWorkers pool = new ThreadWorkers(2, READERS)) {
            FerryException e = assertThrows(FerryException.class, () ->
                    Pipeline.builder(I8, inputs, new MemorySink(), pool).memoryBytes(100).chunkRows(8).build().run());
            assertTrue(e.getMessage().contains("at least 256 B;"), e.getMessage());
        }
    }

    @Test
    void twoInputsWithOneDatasetNameAreRefusedBeforeAnyWork() throws Exception {
        List<Path> inputs = List.of(input("s1.cov.gz", 0, 1), Files.createDirectories(dir.resolve("x")).resolve("s1.txt"));
        Files.writeString(inputs.get(1), "0000001\n");
        FerryException e = assertThrows(FerryException.class, () -> DatasetNames.checkUnique(inputs));
        assertTrue(e.getMessage().contains("would both become dataset /s1"), e.getMessage());
        assertEquals("data1", DatasetNames.of(Path.of("/x/data1.txt")));
        assertEquals("s1", DatasetNames.of(Path.of("s1.cov.gz")));
        assertEquals("noext", DatasetNames.of(Path.of("noext")));
    }
}
