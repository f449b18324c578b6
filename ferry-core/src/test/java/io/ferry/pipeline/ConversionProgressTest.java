package io.ferry.pipeline;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.pipeline.ConversionProgress.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversionProgressTest {
    private static final DType I8 = DType.parse("<i8");
    private static final PartReader.Factory READERS = (file, start, end, first) -> new FixedWidthReader(file, start, end);

    @TempDir
    Path dir;

    /// An input goes queued → parsing → writing (parsed, not all written) → written, and its bytes
    /// done follow the rows written, not the bytes parsed.
    @Test
    void statesAndBytesDoneFollowTheWriter() throws Exception {
        Path a = FixedWidthReader.write(dir, "a.txt", 0, 100);    // 800 bytes, two parts
        Path b = FixedWidthReader.write(dir, "b.txt", 0, 10);
        ConversionPlan plan = ConversionPlan.of(List.of(a, b), InputFormat.PLAIN, 2, 400, 400);
        assertEquals(2, plan.partsOf(0));
        ConversionProgress p = new ConversionProgress(plan);
        assertEquals(State.QUEUED, p.state(0));
        assertEquals(0, p.totalBytesDone());

        p.stateIfQueued(0, State.PARSING);
        p.addBytes(0, 400);
        p.addParsedRows(0, 50);
        assertEquals(State.PARSING, p.state(0));
        assertEquals(0, p.bytesDone(0), "parsed, nothing written");
        p.addRows(0, 25);
        assertEquals(200, p.bytesDone(0));

        p.partParsed(0);
        assertEquals(State.PARSING, p.state(0), "one part of two parsed");
        p.addBytes(0, 400);
        p.addParsedRows(0, 50);
        p.partParsed(0);
        assertEquals(State.WRITING, p.state(0), "all parsed, rows waiting for the writer");
        assertEquals(800, p.totalBytesRead());
        assertEquals(200, p.bytesDone(0), "the bar does not follow the parsers");
        p.addRows(0, 75);
        assertEquals(799, p.bytesDone(0), "every row written, the dataset not finished yet");
        p.state(0, State.WRITTEN);
        assertEquals(State.WRITTEN, p.state(0));
        assertEquals(800, p.bytesDone(0));

        p.stateIfQueued(1, State.PARSING);
        p.state(1, State.FAILED);
        assertEquals(State.FAILED, p.state(1));
        assertEquals(p.totalBytes(), p.totalBytesDone(), "a failed input has nothing left to do");
    }

    /// A slow writer (as compression in the writing thread is): the bytes done stay behind while
    /// every byte is parsed, agree with the rows written all along, and reach the total only once
    /// every dataset is finished.
    @Test
    void aSlowWriterHoldsTheBarBack() throws Exception {
        List<Path> inputs = List.of(FixedWidthReader.write(dir, "a.txt", 0, 2000), FixedWidthReader.write(dir, "b.txt", 0, 400));
        SlowSink sink = new SlowSink();
        try (ThreadWorkers pool = new ThreadWorkers(2, READERS)) {
            Pipeline c = Pipeline.builder(I8, inputs, sink, pool).memoryBytes(4096 * 8).chunkRows(16).minPartBytes(800).build();
            CompletableFuture<ConversionResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<long[]> seen = new ArrayList<>(); // read, done, rows, files written
            while (!run.isDone()) {
                ConversionProgress p = c.progress();
                if (p != null) {
                    long written = 0;
                    for (int i = 0; i < p.inputs().size(); i++) {
                        written += p.state(i) == State.WRITTEN ? 1 : 0;
                    }
                    long rows = p.totalRowsWritten();
                    long done = p.totalBytesDone();
                    seen.add(new long[]{p.totalBytesRead(), done, rows, written});
                    // 8 bytes a row; the parsers may be a chunk ahead with their bytes on each worker
                    assertTrue(Math.abs(done - 8 * rows) <= 2 * 16 * 8, "bytes done " + done + " but rows " + rows);
                }
                Thread.sleep(2);
            }
            assertTrue(run.get(60, TimeUnit.SECONDS).complete());
            ConversionProgress p = c.progress();
            assertEquals(p.totalBytes(), p.totalBytesDone());
            assertEquals(2400, p.totalRowsWritten());
            long total = p.totalBytes();
            assertTrue(seen.stream().anyMatch(s -> s[0] == total && s[1] < total - 800),
                    "never saw every byte parsed with the writer well behind");
            assertTrue(seen.stream().allMatch(s -> s[1] < total || s[3] == 2), "the bar was full before the writer finished");
        }
    }

    /// Appends take a while, as deflating in the writing thread does.
    private static final class SlowSink extends MemorySink {
        @Override
        public DatasetAppender dataset(String name, DType dtype, Path source, long chunkRows) {
            DatasetAppender inner = super.dataset(name, dtype, source, chunkRows);
            return new DatasetAppender() {
                @Override
                public void append(NdArray rows) throws java.io.IOException {
                    try {
                        Thread.sleep(3);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inner.append(rows);
                }

                @Override
                public void finish(long totalRows) throws java.io.IOException {
                    inner.finish(totalRows);
                }

                @Override
                public void discard() throws java.io.IOException {
                    inner.discard();
                }
            };
        }
    }
}
