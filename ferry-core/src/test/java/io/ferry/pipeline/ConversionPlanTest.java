package io.ferry.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversionPlanTest {
    @TempDir
    Path dir;

    private Path file(String name, int bytes) throws IOException {
        return Files.write(dir.resolve(name), new byte[bytes]);
    }

    @Test
    void moreFilesThanWorkersStayWholeWithoutABound() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1000), file("b.txt", 1000), file("c.txt", 1000)), 2, 100);
        assertEquals(3, plan.parts().size());
    }

    /// A worker ahead of the writer holds a whole part: parts are cut to the bound, each file's in order.
    @Test
    void bigFilesAreCutToTheBoundWhateverTheWorkers() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1000), file("b.txt", 250), file("c.txt", 90)), 2, 10, 100);
        assertEquals(10, plan.partsOf(0));
        assertEquals(3, plan.partsOf(1));
        assertEquals(1, plan.partsOf(2));
        long covered = 0;
        for (Part p : plan.parts()) {
            if (p.input() == 0) {
                assertEquals(covered, p.start());
                assertTrue(p.end() > p.start());
                covered = p.last() ? 1000 : p.end();
            }
        }
        assertEquals(1000, covered);
    }

    @Test
    void theMinimumPartWinsOverTheBound() throws IOException {
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1000), file("b.txt", 1000)), 2, 500, 100);
        assertEquals(2, plan.partsOf(0));
    }

    /// Gzip is recognised by its content: a gzip file named `.txt` is one part, read whole (it
    /// used to be cut into ranges, which the loader then refused); a plain file named `.gz` is cut
    /// like any plain file.
    @Test
    void compressedInputsAreNeverCutWhateverTheirName() throws IOException {
        Path gzipNamedTxt = dir.resolve("a.txt");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipNamedTxt))) {
            out.write(new byte[100_000]);
        }
        Path gzipNamedGz = Files.copy(gzipNamedTxt, dir.resolve("b.txt.gz"));
        ConversionPlan plan = ConversionPlan.of(List.of(gzipNamedTxt), 4, 10, 100);
        assertEquals(1, plan.parts().size());
        assertFalse(plan.inputs().getFirst().splittable());
        assertEquals(1, ConversionPlan.of(List.of(gzipNamedGz), 4, 10, 100).parts().size());

        ConversionPlan plainNamedGz = ConversionPlan.of(List.of(file("c.txt.gz", 1000)), 4, 10, 100);
        assertEquals(10, plainNamedGz.parts().size());
        assertTrue(plainNamedGz.inputs().getFirst().splittable());
    }

    @Test
    void noMinimumMeansNoCut() throws IOException {  // max_rows counts rows from the start of the file
        ConversionPlan plan = ConversionPlan.of(List.of(file("a.txt", 1000)), 4, Long.MAX_VALUE, 100);
        assertEquals(1, plan.parts().size());
    }
}
