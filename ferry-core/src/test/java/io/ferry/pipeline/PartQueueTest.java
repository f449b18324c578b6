package io.ferry.pipeline;

import io.ferry.file.StandardInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class PartQueueTest {
    @TempDir
    Path dir;

    private Path file(String name, int bytes) throws IOException {
        return Files.write(dir.resolve(name), new byte[bytes]);
    }

    private static PartQueue queue(ConversionPlan plan) {
        return new PartQueue(plan, new ConversionProgress(plan));
    }

    /// {@return every part `queue` hands out, as "input:index"}
    private static List<String> drain(PartQueue queue) {
        List<String> order = new ArrayList<>();
        for (Part p = queue.next(); p != null; p = queue.next()) {
            order.add(p.input() + ":" + p.index());
        }
        return order;
    }

    /// Issue 22's case: one big file and three small ones, given small first. The big one's ranges
    /// go first, then the small files, largest first.
    @Test
    void theBigFilesRangesGoFirstThenTheSmallFilesLargestFirst() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("s1.txt", 200), file("big.txt", 10_000), file("s2.txt", 300),
                file("s3.txt", 250)), InputFormat.PLAIN, 2, 100);
        assertEquals(8, plan.partsOf(1));
        assertEquals(List.of("1:0", "1:1", "1:2", "1:3", "1:4", "1:5", "1:6", "1:7", "2:0", "3:0", "0:0"), drain(queue(plan)));
    }

    /// Only the first waiting part of each input competes: an input's last part, the largest (it
    /// runs to the end), does not jump ahead of its earlier parts, whose rows are written first.
    @Test
    void eachInputsPartsGoInFileOrder() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1003), file("b.txt", 252)), InputFormat.PLAIN, 1, 250);
        assertEquals(List.of(250L, 250L, 250L, 253L, 252L), plan.parts().stream().map(plan::bytes).toList());
        assertEquals(List.of("1:0", "0:0", "0:1", "0:2", "0:3"), drain(queue(plan)));
    }

    /// An input its format says cannot be cut (gzip, for text) is one part, read whole: larger
    /// than the ranges of a plain file, it starts first. Standard input, of unknown size, starts
    /// before anything.
    @Test
    void wholeInputsGoBeforeSmallerRanges() throws IOException {
        Path gz = file("g.txt.gz", 5000);
        InputFormat gzipWhole = new InputFormat() {
            @Override
            public boolean splittable(Path f) {
                return !f.equals(gz);
            }
        };
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 10_000), gz), gzipWhole, 1, 100);
        assertTrue(plan.partsOf(0) > 1 && plan.bytes(plan.parts().getFirst()) < Files.size(gz), plan.parts().toString());
        assertEquals("1:0", drain(queue(plan)).getFirst());

        ConversionPlan withStdin = ConversionPlan.of(List.of(file("b.txt", 10_000), StandardInput.PATH), InputFormat.PLAIN, 1, 100);
        assertEquals("1:0", drain(queue(withStdin)).getFirst());
    }

    @Test
    void aFailedInputsPartsAreSkippedAndAStoppedQueueHandsOutNothing() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1000), file("b.txt", 400)), InputFormat.PLAIN, 1, 100);
        PartQueue q = queue(plan);
        assertEquals(0, q.next().input());
        q.failInput(0);
        assertEquals(List.of("1:0", "1:1"), drain(q));

        PartQueue stopped = queue(plan);
        stopped.stop();
        assertNull(stopped.next());
    }

    /// The writer is never starved: a model of the pipeline (each worker its own slots, a part's
    /// chunks held until the writer reaches them, parts at most a quarter of a worker's slots as
    /// [SlotBudget#maxPartBytes()] cuts them) runs to the end whatever the workers' speeds (one of
    /// them slowed, as by another program on its core) and the files' sizes, and the part the
    /// writer waits for is always handed out or its input's next.
    @Test
    void theWritersNextPartIsNeverStarved() throws IOException {
        Random random = new Random(22);
        for (int round = 0; round < 100; round++) {
            List<Path> files = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int f = 0; f < count; f++) {
                files.add(file("r" + round + "f" + f + ".txt", random.nextBoolean() ? 100 + random.nextInt(20_000)
                        : 10 + random.nextInt(500)));
            }
            int workers = 1 + random.nextInt(4);
            int slotsPerWorker = 2 + random.nextInt(14);
            long chunkBytes = 16 + random.nextInt(100);
            long maxPart = Math.max(1, slotsPerWorker * chunkBytes / 4);
            ConversionPlan plan = ConversionPlan.of(files, InputFormat.PLAIN, workers, 1 + random.nextInt(400), maxPart);
            simulate(plan, workers, slotsPerWorker, chunkBytes, random);
        }
    }

    /// Runs `plan` on a model of the pipeline, one chunk at a time, until every part is written.
    private static void simulate(ConversionPlan plan, int workers, int slotsPerWorker, long chunkBytes, Random random) {
        PartQueue queue = queue(plan);
        int inputs = plan.inputs().size();
        int[] nextPart = new int[inputs];   // the writer's next part of each input
        int[] nextSeq = new int[inputs];
        Map<Part, Integer> chunksFilled = new HashMap<>();
        Map<Part, Boolean> done = new HashMap<>();
        Map<Part, Integer> worker = new HashMap<>();
        int[] held = new int[workers];   // slots each worker has filled and the writer not yet freed
        Part[] current = new Part[workers];
        long[] left = new long[workers];
        List<List<Part>> handedOut = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            handedOut.add(new ArrayList<>());
        }
        int[] speed = new int[workers];
        for (int w = 0; w < workers; w++) {
            speed[w] = w == 0 && workers > 1 && random.nextBoolean() ? 1 : 3;   // worker 0 may share its core
        }
        boolean queueEmpty = false;
        while (true) {
            // The writer: each input's chunks in order, freeing their slots.
            for (int i = 0; i < inputs; i++) {
                while (nextPart[i] < plan.partsOf(i)) {
                    Part p = handedOut.get(i).size() > nextPart[i] ? handedOut.get(i).get(nextPart[i]) : null;
                    if (p == null) {
                        break;
                    }
                    if (chunksFilled.getOrDefault(p, 0) > nextSeq[i]) {
                        nextSeq[i]++;
                        held[worker.get(p)]--;
                    } else if (done.getOrDefault(p, false)) {
                        nextPart[i]++;
                        nextSeq[i] = 0;
                    } else {
                        break;
                    }
                }
            }
            boolean allWritten = true;
            for (int i = 0; i < inputs; i++) {
                allWritten &= nextPart[i] == plan.partsOf(i);
            }
            if (allWritten) {
                return;
            }
            // The workers: each able to, takes a part or fills a chunk, the slow one less often.
            List<Integer> able = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                if (current[w] == null && !queueEmpty || current[w] != null && held[w] < slotsPerWorker) {
                    for (int s = 0; s < speed[w]; s++) {
                        able.add(w);
                    }
                }
            }
            if (able.isEmpty()) {
                fail("stuck: " + workers + " workers, parts per input "
                        + java.util.stream.IntStream.range(0, inputs).mapToObj(plan::partsOf).toList() + ", writer at parts " + java.util.Arrays.toString(nextPart) + ", slots held "
                        + java.util.Arrays.toString(held) + " of " + slotsPerWorker);
            }
            int w = able.get(random.nextInt(able.size()));
            if (current[w] == null) {
                Part p = queue.next();
                if (p == null) {
                    queueEmpty = true;
                    continue;
                }
                List<Part> mine = handedOut.get(p.input());
                assertEquals(mine.size(), p.index(), "parts of input " + p.input() + " out of file order");
                mine.add(p);
                worker.put(p, w);
                current[w] = p;
                left[w] = plan.bytes(p);
            } else {
                Part p = current[w];
                held[w]++;
                chunksFilled.merge(p, 1, Integer::sum);
                left[w] -= chunkBytes;
                if (left[w] <= 0) {
                    done.put(p, true);
                    current[w] = null;
                }
            }
        }
    }
}
