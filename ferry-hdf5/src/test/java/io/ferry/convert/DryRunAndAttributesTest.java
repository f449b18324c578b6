package io.ferry.convert;

import io.ferry.hdf5.Compression;
import io.ferry.hdf5.TargetExistsException;
import io.ferry.pipeline.ConversionPreview;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ferry.testing.Checkout.EXAMPLES;
import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// [Convert#dryRun(Path)] says what [Convert#to(Path)] would write and writes nothing;
/// [Convert#attribute(String, String)] sets the file's attributes.
@ExtendWith(ShmLeakCheck.class)
class DryRunAndAttributesTest {
    @TempDir
    Path dir;

    @Test
    void aDryRunEstimatesEachDatasetAndWritesNothing() throws Exception {
        List<Path> files = List.of(EXAMPLES.resolve("sample1.txt"), EXAMPLES.resolve("sample4.txt.gz"));
        Path out = dir.resolve("out.h5");
        Convert c = Convert.files(files).dtype(SAMPLE_DTYPE).workers(2).compression(Compression.gzip(4)).shuffle(true);
        ConversionPreview p = c.dryRun(out);
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "a dry run writes nothing");
        }
        assertEquals(2, p.datasets().size());
        ConversionPreview.Dataset s1 = p.datasets().get(0);
        assertEquals("sample1", s1.input().dataset());
        assertEquals(26, s1.rowBytes());
        assertArrayEquals(new long[0], s1.row());
        assertTrue(s1.estimatedRows() > 2700 && s1.estimatedRows() < 3300, "sample1 has 3,000 rows: " + s1.estimatedRows());
        assertEquals(1, s1.parts());
        assertTrue(p.datasets().get(1).estimatedRows() >= 5000, "the gzip input's rows from its trailer");
        assertEquals(2, p.workers());
        assertTrue(p.sinkBytes() > 0, "gzip needs compression buffers");
        assertEquals(p.slots() * p.slotBytes() + p.sinkBytes(), p.memoryBytes());

        // The run that follows writes about what was estimated.
        assertEquals(8000, c.to(out).totalRows());
        Files.delete(out);

        ConversionPreview grid = Convert.files(List.of(EXAMPLES.resolve("grid.txt"))).dtype("f8").dryRun(out);
        assertArrayEquals(new long[]{6}, grid.datasets().getFirst().row());
        assertEquals(48, grid.datasets().getFirst().rowBytes());
        assertEquals(grid.datasets().getFirst().estimatedRows() * 48, grid.datasets().getFirst().estimatedBytes());
        assertTrue(Files.notExists(out));
    }

    @Test
    void aDryRunMakesTheChecksOfARun() throws IOException {
        Path out = Files.writeString(dir.resolve("out.h5"), "keep me");
        Convert c = Convert.files(List.of(EXAMPLES.resolve("sample1.txt"))).dtype(SAMPLE_DTYPE);
        assertThrows(TargetExistsException.class, () -> c.dryRun(out));
        assertEquals("keep me", Files.readString(out));
        assertEquals(1, c.overwrite(true).dryRun(out).datasets().size());
        assertEquals("keep me", Files.readString(out));
    }

    @Test
    void attributesAreStringsOnTheFileAndFerrysOwnAreRefused() throws Exception {
        Path out = dir.resolve("a.h5");
        Convert.files(List.of(EXAMPLES.resolve("grid.txt"))).dtype("f4")
                .attribute("title", "air temperature").attribute("units", "°C").attribute("year", "2026").to(out);
        String said = PythonPeer.run("""
                import sys, h5py
                a = h5py.File(sys.argv[1], 'r').attrs
                print(a['title'], a['units'], repr(a['year']), sorted(a))
                """, out.toString());
        assertEquals("air temperature °C '2026' ['created', 'ferry_version', 'title', 'units', 'year']", said.strip());
        var e = assertThrows(ConvertOptionException.class,
                () -> Convert.files(List.of(EXAMPLES.resolve("grid.txt"))).dtype("f8").attribute("created", "x").to(out));
        assertEquals("attributes: attribute 'created' is Ferry's own (ferry_version, created): choose another name", e.getMessage());
        assertThrows(ConvertOptionException.class,
                () -> Convert.files(List.of(EXAMPLES.resolve("grid.txt"))).dtype("f8").attribute("", "x").to(dir.resolve("b.h5")));
    }
}
