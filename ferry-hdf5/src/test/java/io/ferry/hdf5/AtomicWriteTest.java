package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The target is the complete new file or untouched; no temporary file survives.
class AtomicWriteTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void nothingAppearsUntilCommit() throws IOException {
        Path out = dir.resolve("out.h5");
        try (Arena arena = Arena.ofConfined(); Hdf5Writer writer = Hdf5Writer.create(out, WriteOptions.DEFAULT)) {
            writer.dataset("d", TestRecords.METHYLATION).append(TestRecords.methylation(arena, 100, 1));
            assertFalse(Files.exists(out));
            assertEquals(List.of(writer.temporaryFile()), files());
            assertEquals(dir, writer.temporaryFile().getParent());
            writer.commit();
            assertEquals(List.of(out), files());
        }
        assertEquals(List.of(out), files());
    }

    @Test
    void closeWithoutCommitLeavesNothing() throws IOException {
        Path out = dir.resolve("out.h5");
        try (Arena arena = Arena.ofConfined();
             Hdf5Writer writer = Hdf5Writer.create(out, WriteOptions.builder().compression(Compression.gzip(4)).build())) {
            writer.dataset("d", TestRecords.METHYLATION).append(TestRecords.methylation(arena, 100_000, 1));
        }
        assertEquals(List.of(), files());
    }

    @Test
    void anExceptionLeavesNothing() throws IOException {
        Path out = dir.resolve("out.h5");
        assertThrows(IllegalStateException.class, () -> {
            try (Arena arena = Arena.ofConfined(); Hdf5Writer writer = Hdf5Writer.create(out, WriteOptions.DEFAULT)) {
                writer.dataset("d", TestRecords.METHYLATION).append(TestRecords.methylation(arena, 10, 1));
                throw new IllegalStateException("the parser failed");
            }
        });
        assertEquals(List.of(), files());
    }

    @Test
    void aFailedAppendFailsTheSinkAndLeavesNothing() throws IOException {
        Path out = dir.resolve("out.h5");
        try (Arena arena = Arena.ofConfined(); Hdf5Writer writer = Hdf5Writer.create(out, WriteOptions.DEFAULT)) {
            DatasetWriter w = writer.dataset("d", TestRecords.METHYLATION);
            NdArray wrong = NdArray.allocate(DType.parse("<i4"), arena, 3);
            assertThrows(IllegalArgumentException.class, () -> w.append(wrong));   // caller's mistake: writer goes on
            w.append(TestRecords.methylation(arena, 10, 1));
            arena.close();
        } catch (IllegalStateException expected) {
            // closing the arena before the writer is the test's way to make the next step impossible
        }
        assertEquals(List.of(), files());
    }

    @Test
    void anExistingTargetIsAnErrorBeforeAnythingIsWritten() throws IOException {
        Path out = Files.writeString(dir.resolve("out.h5"), "precious");
        TargetExistsException e = assertThrows(TargetExistsException.class, () -> Hdf5Writer.create(out, WriteOptions.DEFAULT));
        assertTrue(e.getMessage().contains("overwrite"), e.getMessage());
        assertEquals(out, e.target());
        assertEquals(List.of(out), files());
        assertEquals("precious", Files.readString(out));
    }

    @Test
    void overwriteReplacesOnlyOnCommit() throws IOException {
        Path out = Files.writeString(dir.resolve("out.h5"), "precious");
        WriteOptions replace = WriteOptions.builder().overwrite(true).build();
        try (Hdf5Writer writer = Hdf5Writer.create(out, replace)) {
            writer.dataset("d", DType.parse("<i4"));
        }
        assertEquals("precious", Files.readString(out));        // closed without commit: old file kept
        assertEquals(List.of(out), files());
        try (Arena arena = Arena.ofConfined(); Hdf5Writer writer = Hdf5Writer.create(out, replace)) {
            NdArray a = TestRecords.random(DType.parse("<i4"), arena, 1, 10);
            writer.dataset("d", a.dtype()).append(a);
            assertEquals("precious", Files.readString(out));
            writer.commit();
            try (Hdf5File f = Hdf5File.open(out)) {
                assertEquals(a, f.read("d", arena));
            }
        }
        assertEquals(List.of(out), files());
    }

    @Test
    void aTargetThatAppearsBeforeCommitIsNotReplaced() throws IOException {
        Path out = dir.resolve("out.h5");
        try (Hdf5Writer writer = Hdf5Writer.create(out, WriteOptions.DEFAULT)) {
            writer.dataset("d", DType.parse("<i4"));
            Files.writeString(out, "someone else's");
            assertThrows(TargetExistsException.class, writer::commit);
        }
        assertEquals("someone else's", Files.readString(out));
        assertEquals(List.of(out), files());
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseIsAnError() {
        Hdf5Writer writer = Hdf5Writer.create(dir.resolve("x.h5"), WriteOptions.DEFAULT);
        DatasetWriter w = writer.dataset("d", DType.parse("<f8"));
        writer.close();
        writer.close();
        assertThrows(IllegalStateException.class, () -> writer.dataset("e", DType.parse("<f8")));
        assertThrows(IllegalStateException.class, () -> w.attribute("a", 1L));
        assertThrows(IllegalStateException.class, writer::commit);
    }

    @Test
    void duplicateDatasetNamesAreRefused() {
        try (Hdf5Writer writer = Hdf5Writer.create(dir.resolve("x.h5"), WriteOptions.DEFAULT)) {
            writer.dataset("a/b", DType.parse("<f8"));
            assertThrows(IllegalArgumentException.class, () -> writer.dataset("a/b", DType.parse("<f8")));
            writer.dataset("a/c", DType.parse("<f8"), 2, 3);
            writer.commit();
        }
        try (Hdf5File f = Hdf5File.open(dir.resolve("x.h5"))) {
            assertArrayEquals(new long[] {0, 2, 3}, f.dataset("a/c").shape());
        }
    }
}
