package io.ferry.convert;

import io.ferry.pipeline.ConversionPlan;
import io.ferry.pipeline.Input;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The text loader's inputs as the pipeline sees them ([TextParts#FORMAT]): which are cut into
/// ranges, and how many rows each probably holds. Gzip is told by its content, never its name.
class TextFormatTest {
    @TempDir
    Path dir;

    private Path plain(String name, int bytes) throws IOException {
        return Files.writeString(dir.resolve(name), "1\n".repeat(bytes / 2));
    }

    private Path gzip(String name, byte[] text) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(text);
        }
        return f;
    }

    private static ConversionPlan plan(Path file) throws IOException {
        return ConversionPlan.of(List.of(file), TextParts.FORMAT, 4, 10, 100);
    }

    private static long estimate(Path file) throws IOException {
        ConversionPlan plan = plan(file);
        return plan.estimatedRows(plan.inputs().getFirst());
    }

    /// A gzip file named `.txt` is one part, read whole (the loader refuses a range of it); a plain
    /// file named `.gz` is cut like any plain file.
    @Test
    void gzipIsNeverCutWhateverItsName() throws IOException {
        Path gzipNamedTxt = gzip("a.txt", new byte[100_000]);
        assertEquals(1, plan(gzipNamedTxt).parts().size());
        assertFalse(plan(gzipNamedTxt).inputs().getFirst().splittable());
        assertEquals(1, plan(Files.copy(gzipNamedTxt, dir.resolve("b.txt.gz"))).parts().size());

        ConversionPlan plainNamedGz = plan(plain("c.txt.gz", 1000));
        assertEquals(plan(plain("c.txt", 1000)).parts().size(), plainNamedGz.parts().size());
        assertTrue(plainNamedGz.parts().size() > 1);
        assertTrue(plainNamedGz.inputs().getFirst().splittable());
    }

    /// BGZF as `bgzip` (htslib, Debian's tabix) writes it.
    @Test
    @Tag("process")
    void bgzfIsCutAndOtherGzipIsNot() throws IOException, InterruptedException {
        Path t = dir.resolve("meth.txt");
        MethylationTable.write(t, 20_000, 4);
        Path bgzf = dir.resolve("b.gz");
        Process p = new ProcessBuilder("bgzip", "-c", t.toString()).redirectOutput(bgzf.toFile()).start();
        assertEquals(0, p.waitFor(), "bgzip");
        Path gz = dir.resolve("g.txt.gz");
        MethylationTable.write(gz, 20_000, 4, true);
        ConversionPlan plan = ConversionPlan.of(List.of(bgzf, gz), TextParts.FORMAT, 4, 1000);
        assertTrue(plan.inputs().get(0).splittable());
        assertTrue(plan.partsOf(0) > 1);
        assertEquals(1, plan.partsOf(1));
    }

    @Test
    void aSmallGzipFileIsCountedExactly() throws IOException {
        assertEquals(3, estimate(gzip("s.txt.gz", "1\n2\n3\n".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(0, estimate(gzip("e.txt.gz", new byte[0])));
    }

    /// Its text size is in its trailer; its lines per byte in its first 64 KiB of text.
    @Test
    void aLargeGzipFileIsEstimatedFromItsTrailerAndFirstLines() throws IOException {
        long rows = estimate(gzip("big.txt.gz", "12345678\n".repeat(100_000).getBytes(StandardCharsets.US_ASCII)));
        assertTrue(Math.abs(rows - 100_000) <= 100, "estimate " + rows);
    }

    @Test
    void gzipIsEstimatedByContentNotByName() throws IOException {
        assertEquals(2, estimate(Files.writeString(dir.resolve("d.txt.gz"), "whatever\nelse")));
        assertEquals(3, estimate(gzip("s.txt", "1\n2\n3\n".getBytes(StandardCharsets.US_ASCII))));
    }

    /// A damaged gzip file is the conversion's to report, when it reads it: the estimate is unknown.
    @Test
    void aDamagedGzipFileIsUnknown() throws IOException {
        Path f = gzip("s.txt.gz", "1\n2\n3\n".getBytes(StandardCharsets.US_ASCII));
        byte[] whole = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(whole, whole.length - 5));
        ConversionPlan plan = plan(f);
        Input in = plan.inputs().getFirst();
        assertEquals(-1, plan.estimatedRows(in));
    }
}
