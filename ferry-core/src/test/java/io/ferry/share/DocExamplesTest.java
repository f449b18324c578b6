package io.ferry.share;

import io.ferry.dtype.DType;
import io.ferry.proc.WorkerPool;
import io.ferry.shm.SharedArray;
import io.ferry.testing.ShmLeakCheck;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The examples in the doc comments of `io.ferry.share`, as written there, on files of this test.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class DocExamplesTest {
    @TempDir
    Path dir;

    @Test
    void sharedTables() throws Exception {
        Path data1 = Files.writeString(dir.resolve("data1.txt"), "chr1\t10\nchr2\t20\n");

        TextLoader loader = TextLoader.of(DType.parse("chr:S10,pos:i4"), LoadOptions.builder().delimiter('\t').build());
        try (SharedArray a = SharedTables.load(loader, data1)) {   // the caller owns it
            String handle = a.handleJson();                                       // for another process
            assertTrue(handle.contains("\"shape\": [2]"), handle);
            assertEquals(20, a.array().column("pos").getInt(1));
        }
    }

    @Test
    void loadIntoSharedArray() throws Exception {
        Path data1 = Files.writeString(dir.resolve("data1.csv"), "chr,pos\nchr1,10\nchr2,20\nchr3,30\n");
        Map<Integer, Long> seen = new ConcurrentHashMap<>();

        List<Object> inputs = List.of(LoadIntoSharedArray.input(data1, DType.parse("chr:S10,pos:i4"),
                LoadOptions.builder().delimiter(',').skipRows(1).build()));
        try (WorkerPool pool = WorkerPool.start(2)) {
            pool.map(LoadIntoSharedArray.class, inputs, (index, message, task) -> {
                try (SharedArray a = LoadIntoSharedArray.attach(message, task)) {   // mapped, its name gone
                    seen.put(index, a.array().length());
                }
            });
        }
        assertEquals(Map.of(0, 3L), seen);
    }
}
