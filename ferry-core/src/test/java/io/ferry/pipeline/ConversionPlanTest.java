package io.ferry.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversionPlanTest {
    @TempDir
    Path dir;

    private Path file(String name, int bytes) throws IOException {
        return Files.write(dir.resolve(name), new byte[bytes]);
    }

    /// Issue 22: one big file among small ones is cut into ranges whatever the file count (it
    /// used to stay whole with as many files as workers, and one worker parsed it alone), in parts
    /// of about the total over 4 parts per worker; the small files, below that, stay whole.
    @Test
    void oneBigFileAmongSmallOnesIsCutWhateverTheFileCount() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("big.txt", 10_000), file("s1.txt", 200), file("s2.txt", 200),
                file("s3.txt", 200)), InputFormat.PLAIN, 2, 100);
        long target = 10_600 / (2 * ConversionPlan.PARTS_PER_WORKER);   // 1325
        assertEquals(Math.ceilDiv(10_000, target), plan.partsOf(0));   // 8 ranges
        for (int small = 1; small <= 3; small++) {
            assertEquals(1, plan.partsOf(small));
        }
        assertCovers(plan, 0, 10_000);
        // Given in any order, the big one is cut the same.
        ConversionPlan smallFirst = ConversionPlan.of(List.of(dir.resolve("s1.txt"), dir.resolve("s2.txt"),
                dir.resolve("s3.txt"), dir.resolve("big.txt")), InputFormat.PLAIN, 2, 100);
        assertEquals(plan.partsOf(0), smallFirst.partsOf(3));
    }

    /// More equal files than workers are cut too (whole, the third would leave one worker idle
    /// while the other parses it), unless their parts would be below the minimum.
    @Test
    void equalFilesAreCutUnlessBelowTheMinimum() throws IOException {
        List<Path> files = List.of(file("a.txt", 1000), file("b.txt", 1000), file("c.txt", 1000));
        assertEquals(3, ConversionPlan.of(files, InputFormat.PLAIN, 2, 1000).parts().size());
        assertEquals(3 * 3, ConversionPlan.of(files, InputFormat.PLAIN, 2, 100).parts().size());   // 3000 / 8 = 375 a part
    }

    /// A part's bytes, which the queue hands out by: the last runs to the input's end.
    @Test
    void aPartsBytesRunToTheEndOfItsInput() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1003)), InputFormat.PLAIN, 1, 250);
        assertEquals(4, plan.parts().size());
        assertEquals(List.of(250L, 250L, 250L, 253L), plan.parts().stream().map(plan::bytes).toList());
    }

    private static void assertCovers(ConversionPlan plan, int input, long size) {
        long covered = 0;
        for (Part p : plan.parts()) {
            if (p.input() == input) {
                assertEquals(covered, p.start());
                assertTrue(p.end() > p.start());
                covered = p.last() ? size : p.end();
            }
        }
        assertEquals(size, covered);
    }

    /// A worker ahead of the writer holds a whole part: parts are cut to the bound, each file's in order.
    @Test
    void bigFilesAreCutToTheBoundWhateverTheWorkers() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1000), file("b.txt", 250), file("c.txt", 90)), InputFormat.PLAIN, 2, 10, 100);
        assertEquals(10, plan.partsOf(0));
        assertEquals(3, plan.partsOf(1));
        assertEquals(1, plan.partsOf(2));
        assertCovers(plan, 0, 1000);
    }

    @Test
    void theMinimumPartWinsOverTheBound() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1000), file("b.txt", 1000)), InputFormat.PLAIN, 2, 500, 100);
        assertEquals(2, plan.partsOf(0));
    }

    @Test
    void noMinimumMeansNoCut() throws IOException {  // max_rows counts rows from the start of the file
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1000)), InputFormat.PLAIN, 4, Long.MAX_VALUE, 100);
        assertEquals(1, plan.parts().size());
    }

    /// [InputFormat]'s example, as its documentation gives it.
    @Test
    void inputFormatExample() throws IOException {
        InputFormat format = InputFormat.PLAIN;
        boolean cut = format.splittable(Path.of("examples/sample1.txt"));   // true
        assertTrue(cut);
    }

    /// The rows a conversion's inputs can hold, which bounds its slot pool: a row takes a byte of
    /// text at least, so plain inputs hold no more rows than their bytes; a compressed input's
    /// text may be any size.
    @Test
    void plainInputsHoldNoMoreRowsThanTheirBytes() throws IOException {
        List<Path> plain = List.of(file("a.txt", 300), file("b.txt", 45));
        assertEquals(345, ConversionPlan.of(plain, InputFormat.PLAIN, 2, 100).rowsBound());
        InputFormat gzipNamed = new InputFormat() {
            @Override
            public boolean compressed(Path file) {
                return file.toString().endsWith(".gz");
            }
        };
        assertEquals(345, ConversionPlan.of(plain, gzipNamed, 2, 100).rowsBound());
        List<Path> withGzip = List.of(file("a.txt", 300), file("c.gz", 45));
        assertEquals(Long.MAX_VALUE, ConversionPlan.of(withGzip, gzipNamed, 2, 100).rowsBound());
    }
}
