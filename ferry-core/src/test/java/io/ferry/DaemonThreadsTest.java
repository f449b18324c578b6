package io.ferry;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonThreadsTest {
    @Test
    void theDocExample() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, new DaemonThreads("ferry-load-"));
        try {
            List<Future<Thread>> ran = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ran.add(pool.submit(() -> {
                    Thread.sleep(50); // both threads of the pool, not one twice
                    return Thread.currentThread();
                }));
            }
            List<String> names = new ArrayList<>();
            for (Future<Thread> f : ran) {
                Thread t = f.get();
                assertTrue(t.isDaemon(), t.getName());
                names.add(t.getName());
            }
            assertEquals(List.of("ferry-load-1", "ferry-load-2"), names.stream().sorted().toList());
        } finally {
            pool.shutdownNow();
        }
    }
}
