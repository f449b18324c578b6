package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotBudgetTest {
    private static final DType I8 = DType.parse("<i8");

    /// A sink whose buffers hold `bytes` per dataset.
    private static TableSink sinkHolding(long bytes) {
        return new MemorySink() {
            @Override
            public long workingBytes(DType dtype, long chunkRows, int datasets) {
                return bytes * datasets;
            }
        };
    }

    @Test
    void theSinksBuffersComeOutOfTheBudgetWhenThereIsRoom() {
        try (ThreadWorkers w = new ThreadWorkers(2, null)) {
            SlotBudget b = SlotBudget.of(64 * 8 * 10, 64, I8, 2, sinkHolding(64 * 8), w);
            assertEquals(512, b.slotBytes());
            assertEquals(4, b.slotsPerWorker());              // (5120 - 1024) / 2 / 512
            assertEquals(1024, b.sinkBytes());
            SlotBudget tight = SlotBudget.of(64 * 8 * 5, 64, I8, 2, sinkHolding(64 * 8), w);
            assertEquals(2, tight.slotsPerWorker());          // no room for both: the slots get it all
        }
    }

    @Test
    void eachWorkerOwnsItsOwnRunOfSlots() {
        try (ThreadWorkers w = new ThreadWorkers(3, null)) {
            SlotBudget b = SlotBudget.of(3 * 5 * 800, 100, I8, 3, new MemorySink(), w);
            assertEquals(15, b.slotCount());
            int[] all = IntStream.range(0, 3).flatMap(i -> Arrays.stream(b.slotsOf(i))).sorted().toArray();
            assertArrayEquals(IntStream.range(0, 15).toArray(), all);
            assertArrayEquals(new int[] {5, 6, 7, 8, 9}, b.slotsOf(1));
            SlotBudget two = b.withWorkers(2);
            assertEquals(10, two.slotCount());
            assertEquals(b.slotsPerWorker(), two.slotsPerWorker());
        }
    }

    @Test
    void aSmallInputGetsChunksNoLargerThanItIsLikelyToBe() {
        try (ThreadWorkers w = new ThreadWorkers(1, null)) {
            SlotBudget b = SlotBudget.of(1 << 20, 1000, I8, 1, new MemorySink(), w);
            assertEquals(1000, b.chunkRowsFor(-1));             // unknown
            assertEquals(1000, b.chunkRowsFor(0));              // empty
            assertEquals(126, b.chunkRowsFor(100));             // a quarter more, and one
            assertEquals(1000, b.chunkRowsFor(10_000));
        }
    }

    @Test
    void theDefaultChunkIsAboutOneMebibyteOfRecords() {
        try (ThreadWorkers w = new ThreadWorkers(1, null)) {
            assertEquals((1 << 20) / 8, SlotBudget.of(0, 0, I8, 1, new MemorySink(), w).chunkRows());
        }
    }

    @Test
    void tooLittleForTwoChunksPerWorkerSaysHowMuchIsNeeded() {
        try (ThreadWorkers w = new ThreadWorkers(2, null)) {
            FerryException e = assertThrows(FerryException.class, () -> SlotBudget.of(100, 8, I8, 2, new MemorySink(), w));
            assertTrue(e.getMessage().contains("at least 256 B;"), e.getMessage());
        }
    }

    /// Inputs of few rows need few slots: chunks of no more rows than the inputs hold, and for each
    /// worker the slots those rows can fill and one more (two at least), so that a one-line
    /// file's pool is two slots of a row, small enough for plain zeroed memory.
    @Test
    void inputsOfFewRowsGetOnlyTheSlotsTheyCanFill() {
        try (ThreadWorkers w = new ThreadWorkers(2, null)) {
            SlotBudget b = SlotBudget.of(0, 0, I8, 2, new MemorySink(), w);
            assertTrue(b.slotsPerWorker() > 20, b.toString());
            SlotBudget oneRow = b.forRows(1);
            assertEquals(1, oneRow.chunkRows());
            assertEquals(8, oneRow.slotBytes());
            assertEquals(2, oneRow.slotsPerWorker());
            assertEquals(2, b.forRows(b.chunkRows()).slotsPerWorker());
            assertEquals(b.chunkRows(), b.forRows(b.chunkRows()).chunkRows());
            assertEquals(4, b.forRows(3 * b.chunkRows() - 1).slotsPerWorker());
            assertEquals(b, b.forRows(Long.MAX_VALUE));
            assertEquals(1, oneRow.chunkRowsFor(100));          // never more than the inputs hold
        }
    }
}
