package io.ferry.cli;

import io.ferry.convert.Convert;
import io.ferry.convert.Hdf5TableSink;
import io.ferry.convert.TextParts;
import io.ferry.dtype.DType;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.WriteOptions;
import io.ferry.pipeline.Pipeline;
import io.ferry.pipeline.ConversionResult;
import io.ferry.pipeline.ProcessWorkers;
import io.ferry.pipeline.ThreadWorkers;
import io.ferry.pipeline.Workers;
import io.ferry.proc.WorkerOptions;
import io.ferry.sample.MethylationTable;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Many inputs, many workers, many runs: the counts come out right, and nothing accumulates.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class LoadAndLeakTest {
    @TempDir
    Path dir;

    /// 200 small files and 4 large ones in one run, 16 workers on this 2-core machine: every
    /// dataset is there with its rows, and h5py reads them equal to `np.loadtxt` (checked for a
    /// sample: the large ones and every 20th small one).
    @Test
    void twoHundredSmallAndFourLargeFilesWithSixteenWorkers() throws IOException {
        List<Path> files = new ArrayList<>();
        long rows = 0;
        for (int i = 0; i < 200; i++) {
            Path f = dir.resolve("small" + i + ".txt");
            MethylationTable.write(f, 50 + 7L * i, i);
            files.add(f);
            rows += 50 + 7L * i;
        }
        for (int i = 0; i < 4; i++) {
            Path f = dir.resolve("large" + i + ".txt");
            MethylationTable.write(f, 300_000, 1000 + i);   // ~7 MB each: split among the workers
            files.add(f);
            rows += 300_000;
        }
        Path out = dir.resolve("many.h5");
        List<String> args = new ArrayList<>(List.of("convert"));
        files.forEach(f -> args.add(f.toString()));
        args.addAll(List.of("-o", out.toString(), "--dtype", SAMPLE_DTYPE, "--workers", "16", "--memory", "64M",
                "--compression", "gzip:1"));
        var r = ferry(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("204 datasets, " + String.format("%,d", rows) + " rows"), r.out());

        List<Path> sample = new ArrayList<>(files.subList(200, 204));
        for (int i = 0; i < 200; i += 20) {
            sample.add(files.get(i));
        }
        ConvertCommandTest.assertMatchesNumpy(out, sample);
        String count = PythonPeer.run("""
                import sys, h5py
                with h5py.File(sys.argv[1], 'r') as f:
                    print(len(f.keys()), sum(f[k].shape[0] for k in f.keys()))
                """, out.toString());
        assertEquals("204 " + rows, count.strip());
    }

    /// 50 conversions through the library in one JVM, threads and child JVMs alternating: open
    /// files, memory mappings and threads are no more than after the first two. Counted from
    /// `/proc/self/fd`, `/proc/self/maps` and the JVM's live threads.
    @Test
    void fiftyConversionsInOneJvmLeaveNoFilesMappingsOrThreads() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path f = dir.resolve("in" + i + ".txt");
            MethylationTable.write(f, 20_000, i);
            files.add(f);
        }
        TextLoader loader = TextLoader.of(DType.parse(SAMPLE_DTYPE), LoadOptions.DEFAULT);
        convert(loader, files, 0);
        convert(loader, files, 1);              // warm-up: lazily opened JDK and HDF5 resources
        Counts before = Counts.now();
        for (int run = 2; run < 50; run++) {
            convert(loader, files, run);
        }
        Counts after = Counts.now();
        // No growth: a thread or file of the warm-up that ends late may leave the count lower.
        assertTrue(after.fds() <= before.fds(), "open file descriptors, before and after: " + before + " / " + after);
        assertTrue(after.threads() <= before.threads(), "live threads, before and after: " + before + " / " + after
                + ": " + Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
        // The C library and the JVM map and unmap memory of their own (malloc arenas, code); what
        // a leak would show is growth with the runs, 48 of them here.
        assertTrue(after.maps() - before.maps() < 24, "memory mappings, before and after: " + before + " / " + after);
    }

    private void convert(TextLoader loader, List<Path> files, int run) throws Exception {
        Path out = dir.resolve("run.h5");
        WriteOptions options = WriteOptions.builder().compression(run % 3 == 0 ? Compression.gzip(1) : Compression.NONE)
                .shuffle(run % 3 == 0).overwrite(true).build();
        boolean processes = run % 2 == 1;
        try (Hdf5TableSink sink = Hdf5TableSink.create(out, options);
             Workers workers = processes
                     ? new ProcessWorkers(1, TextParts.class, TextParts.config(loader),
                     WorkerOptions.DEFAULT.withJvmOptions(Convert.DEFAULT_WORKER_JVM_OPTIONS))
                     : new ThreadWorkers(2, TextParts.readers(loader))) {
            ConversionResult r = Pipeline.builder(loader.dtype(), files, sink, workers).memoryBytes(8L << 20).build().run();
            sink.commit();
            assertEquals(60_000, r.totalRows());
        }
    }

    private record Counts(long fds, long maps, int threads) {
        static Counts now() throws IOException, InterruptedException {
            // Pools shut down a moment ago may still be ending their threads: take the count once
            // it has held still for a few samples (at most 5 s).
            int threads = liveThreads();
            for (int still = 0, i = 0; still < 5 && i < 100; i++) {
                Thread.sleep(50);
                int t = liveThreads();
                still = t == threads ? still + 1 : 0;
                threads = t;
            }
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return new Counts(fds.count(), Files.readAllLines(Path.of("/proc/self/maps")).size(), threads);
            }
        }

        /// The JVM's live threads but those of the JDK's own pools that `Process.onExit` uses (its
        /// process reapers, and the common fork-join pool where it runs what follows an exit):
        /// each keeps an idle thread 60 s, and starts another when the one it has is still busy
        /// with the last child (with JDK 25.0.5 on 2 cores: 10 threads after the warm-up, then 11,
        /// the common pool's second worker).
        private static int liveThreads() {
            return (int) Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> !name.startsWith("process reaper") && !name.startsWith("ForkJoinPool.commonPool-"))
                    .count();
        }
    }
}
