package io.ferry.bench;

import io.ferry.sample.MethylationTable;
import io.ferry.text.LoadOptions;
import io.ferry.text.TableReader;
import io.ferry.text.TextLoader;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/// Times Ferry's loader run by run, in wall time and in the parsing thread's CPU time, the way
/// `scripts/python_loaders.py` times numpy and pandas, so the figures compare on a busy machine
/// (where wall time also counts waiting for a core).
///
/// ```text
/// java -cp ferry-bench/target/benchmarks.jar io.ferry.bench.LoaderRuns FILE [RUNS]
/// ```
public final class LoaderRuns {
    private LoaderRuns() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long size = Files.size(file);
        TextLoader loader = TextLoader.of(MethylationTable.DTYPE, LoadOptions.builder().delimiter('\t').build());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long chunkRows = 1 << 16;
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(chunkRows * MethylationTable.DTYPE.itemSize(), 64);
            for (int run = -3; run < runs; run++) { // three runs to warm up the JIT
                new ProcessBuilder("sh", "-c", "cat \"$0\" > /dev/null", file.toString()).inheritIO().start().waitFor();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long rows = 0;
                try (TableReader r = loader.open(file)) {
                    for (long n; (n = r.read(chunk, chunkRows)) > 0; ) {
                        rows += n;
                    }
                }
                double w = (System.nanoTime() - t0) / 1e9;
                double c = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
                if (run >= 0) {
                    wall[run] = size / w / 1e6;
                    cpu[run] = size / c / 1e6;
                }
                System.out.printf("ferry %s %d: %d rows, %.3f s wall (%.0f MB/s), %.3f s cpu (%.0f MB/s)%n",
                        run < 0 ? "warm-up" : "run", Math.abs(run) + (run < 0 ? 0 : 1), rows, w, size / w / 1e6, c,
                        size / c / 1e6);
            }
        }
        System.out.printf("ferry median %.0f MB/s (wall), %.0f MB/s (cpu) over %d runs%n", median(wall), median(cpu), runs);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
