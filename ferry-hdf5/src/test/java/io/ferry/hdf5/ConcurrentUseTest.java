package io.ferry.hdf5;

import io.ferry.array.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/// HDF5 is called from several threads at once (writers, readers, the error path): the seam's lock
/// keeps a possibly non-thread-safe HDF5 build consistent.
class ConcurrentUseTest {
    @TempDir
    Path dir;

    @Test
    void writersAndReadersOnSeveralThreads() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            NdArray data = TestRecords.methylation(arena, 60_000, 3);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int id = t;
                    done.add(threads.submit(() -> {
                        for (int round = 0; round < 3; round++) {
                            Path out = dir.resolve("t" + id + "-" + round + ".h5");
                            WriteOptions o = WriteOptions.builder().chunkRows(5000).threads(2)
                                    .compression(id % 2 == 0 ? Compression.gzip(1) : Compression.NONE).shuffle(id % 2 == 0).build();
                            try (Hdf5Writer writer = Hdf5Writer.create(out, o)) {
                                Hdf5WriterTest.appendInPieces(writer.dataset("d", data.dtype()), data, id, 7000);
                                writer.commit();
                            }
                            try (Hdf5File f = Hdf5File.open(out); Arena mine = Arena.ofConfined()) {
                                assertEquals(data, f.read("d", mine));
                                try {
                                    f.read("missing", mine);
                                } catch (Hdf5Exception expected) {
                                    assertEquals(true, expected.getMessage().contains("doesn't exist"), expected.getMessage());
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }
}
