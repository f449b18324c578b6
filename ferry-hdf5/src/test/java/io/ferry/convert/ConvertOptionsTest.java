package io.ferry.convert;

import io.ferry.FerryException;
import io.ferry.dtype.DType;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.TargetExistsException;
import io.ferry.file.OutputFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// The conversion's options: their rules, checked once, and the files of a run.
class ConvertOptionsTest {
    private static final DType DTYPE = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");

    @TempDir
    Path dir;

    /// The class's doc example, as written there.
    @Test
    void docExample() {
        ConvertOptions o = ConvertOptions.builder()
                .dtype(DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4"))
                .compression(Compression.gzip(4)).shuffle(true)
                .workers(4).isolation(Isolation.PROCESS)
                .build();
        assertTrue(o.writeOptions().compression().equals(Compression.gzip(4)));
        assertTrue(ConvertOptions.DEFAULT.workers() == Runtime.getRuntime().availableProcessors());
    }

    /// [ConvertOptionException]'s doc example, as written there.
    @Test
    void exceptionDocExample() {
        try {
            ConvertOptions.builder().workers(0).build();
            fail();
        } catch (ConvertOptionException e) {
            assertTrue(e.option().equals("workers"));
            assertTrue(e.getMessage().equals("workers takes a number of workers, 1 or more, not 0"));
            assertTrue(e.describe("--workers").equals("--workers takes a number of workers, 1 or more, not 0"));
            assertTrue(e.commandLineMessage().equals(e.describe("--workers")));
        }
    }

    @Test
    void eachRuleNamesItsOption() {
        assertEquals("attributes", rule(() -> ConvertOptions.builder().attribute("created", "now").build()).option());
        assertEquals("workers", rule(() -> ConvertOptions.builder().workers(-3).build()).option());
        assertEquals("chunkRows", rule(() -> ConvertOptions.builder().chunkRows(0)).option());
        assertEquals("memory", rule(() -> ConvertOptions.builder().memory(0)).option());
        ConvertOptionException stall = rule(() -> ConvertOptions.builder().stallTimeout(Duration.ofSeconds(-5)).build());
        assertEquals("stallTimeout takes a number of seconds, more than 0, not -5", stall.getMessage());
        assertEquals("--stall-timeout takes a number of seconds, more than 0, not -5", stall.commandLineMessage());
        assertEquals("attributes: attribute 'created' is Ferry's own (ferry_version, created): choose another name",
                rule(() -> ConvertOptions.builder().attribute("created", "now").build()).getMessage());
    }

    /// A NUL in an attribute's name or value: HDF5 wrote the text up to it (`ti = 'v'` for
    /// `attribute("ti\0tle", "v\0w")`) and the run went on (a tester found it). Refused before
    /// any work, naming the attribute.
    @Test
    void anAttributeWithANulIsRefused() {
        assertEquals("attributes: attribute name 'ti\\0tle' holds a NUL character, which HDF5 names cannot",
                rule(() -> ConvertOptions.builder().attribute("ti\0tle", "v").build()).getMessage());
        ConvertOptionException value = rule(() -> ConvertOptions.builder().attribute("title", "v\0w").build());
        assertEquals("attributes", value.option());
        assertTrue(value.getMessage().startsWith("attributes: attribute 'title': its value holds a NUL character (at index 1"
                + " of 3)"), value.getMessage());
    }

    @Test
    void theWriterGetsTheChunkingAndCompressionAsked() {
        ConvertOptions o = ConvertOptions.builder().dtype(DTYPE).chunkRows(1000).compression(Compression.gzip(1))
                .overwrite(true).build();
        assertEquals(1000, o.writeOptions().rowsPerChunk(DTYPE.itemSize()));
        assertTrue(o.writeOptions().overwrite());
        assertEquals((1 << 20) / DTYPE.itemSize(), ConvertOptions.DEFAULT.writeOptions().rowsPerChunk(DTYPE.itemSize()));
        assertEquals(o, o.toBuilder().build());
    }

    @Test
    void theFilesOfARunAreCheckedBeforeAnyWork() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "chr1 1 1.0 1 1\n");
        Path twin = Files.createDirectories(dir.resolve("sub")).resolve("a.csv");
        Files.writeString(twin, "chr1 1 1.0 1 1\n");
        Path out = dir.resolve("out.h5");
        ConvertOptions o = ConvertOptions.builder().dtype(DTYPE).build();

        assertThrows(IllegalStateException.class, () -> ConvertOptions.DEFAULT.checkFiles(List.of(a), out));
        FerryException missing = assertThrows(FerryException.class, () -> o.checkFiles(List.of(dir.resolve("no.txt")), out));
        assertEquals(dir.resolve("no.txt") + ": no such file", missing.getMessage());
        FerryException twins = assertThrows(FerryException.class, () -> o.checkFiles(List.of(a, twin), out));
        assertTrue(twins.getMessage().contains("would both become dataset /a"), twins.getMessage());
        OutputFileException input = assertThrows(OutputFileException.class, () -> o.checkFiles(List.of(a), a));
        assertEquals(OutputFileException.Problem.IS_AN_INPUT, input.problem());

        Files.writeString(out, "keep me");
        assertThrows(TargetExistsException.class, () -> o.checkFiles(List.of(a), out));
        o.toBuilder().overwrite(true).build().checkFiles(List.of(a), out);
        assertEquals("keep me", Files.readString(out));
        assertFalse(Files.exists(dir.resolve("out.h5.ferry-tmp")));
    }

    private static ConvertOptionException rule(Runnable build) {
        return assertThrows(ConvertOptionException.class, build::run);
    }
}
