package io.ferry.bench;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.DatasetWriter;
import io.ferry.hdf5.deflate.DeflateLibrary;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/// Writing 1 GiB of methylation records to HDF5, against the disk and against h5py, in one run.
///
/// Contenders, run alternately `--runs` times each, medians reported:
///
/// - `disk`: a dd-like sequential write of the same bytes (8 MiB blocks) plus fsync: the ceiling.
/// - `ferry none`: [Hdf5Writer] uncompressed, appended in 16 MiB pieces (as pipeline slots would).
/// - `h5py none`: `create_dataset(data=…)` of the same array, same chunks.
/// - `ferry gzip4+shuffle parallel libdeflate`: shuffle and deflate on `--threads` threads with
///   libdeflate, `H5Dwrite_chunk` (what Ferry does by default when libdeflate loads).
/// - `ferry gzip4+shuffle parallel java`: the same with `java.util.zip` (the fallback).
/// - `ferry gzip4+shuffle hdf5`: the same file through HDF5's own (single-threaded) filter path.
/// - `ferry gzip4+shuffle 1 thread …`: Ferry's own compression on one thread, each deflater, to
///   tell the speed of the shuffle and deflater apart from the parallelism.
/// - `h5py gzip4+shuffle`: h5py with the same settings.
///
/// Each time is to a closed file; `+fsync` adds forcing it to disk. The JVM's CPU time and the load
/// average are printed beside each figure: on a shared machine Linux's autogroup scheduling gives a
/// session about its fair share of the cores, so while other sessions are busy two compression
/// threads get about one core between them, and only the CPU seconds stay comparable. Run:
///
/// ```text
/// mvn -q -pl ferry-bench -am package -DskipTests
/// java --enable-native-access=ALL-UNNAMED -cp ferry-bench/target/benchmarks.jar \
///      io.ferry.bench.Hdf5WriteBenchmark --dir /work/bench --gib 1 --runs 3 --threads 2
/// ```
public final class Hdf5WriteBenchmark {
    static final DType METHYLATION = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
    static final String PYTHON = System.getProperty("ferry.python", "/usr/bin/python3");

    private Hdf5WriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        double gib = 1;
        int runs = 3;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--gib" -> gib = Double.parseDouble(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --dir DIR --gib N --runs N --threads N)");
            }
        }
        Files.createDirectories(dir);
        long rows = (long) (gib * (1L << 30)) / METHYLATION.itemSize();
        long chunkRows = WriteOptions.DEFAULT_CHUNK_BYTES / METHYLATION.itemSize();
        System.out.printf(Locale.ROOT, "%d rows of %s (%.2f GiB), chunks of %d rows, %d compression threads, %d cores, dir %s%n",
                rows, METHYLATION.compact(), rows * 26.0 / (1L << 30), chunkRows, threads,
                Runtime.getRuntime().availableProcessors(), dir);

        try (Arena arena = Arena.ofShared()) {
            long t0 = System.nanoTime();
            NdArray data = methylation(arena, rows, 42);
            System.out.printf(Locale.ROOT, "generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Path bin = dir.resolve("hdf5bench-input.bin");
            writeRaw(data.segment(), bin);      // the same bytes for h5py to load (not timed)
            try (FileChannel ch = FileChannel.open(bin, StandardOpenOption.WRITE)) {
                ch.force(true);                 // no dirty pages left to slow the first contender
            }

            WriteOptions none = WriteOptions.builder().overwrite(true).build();
            WriteOptions gzipParallel = WriteOptions.builder().overwrite(true).compression(Compression.gzip(4))
                    .shuffle(true).threads(threads).deflateLibrary(DeflateLibrary.JAVA).build();
            WriteOptions gzipHdf5 = gzipParallel.toBuilder().parallelCompression(false).build();
            WriteOptions gzipOneThread = gzipParallel.toBuilder().threads(1).build();
            boolean libdeflate = libdeflateLoads();
            WriteOptions gzipParallelLib = gzipParallel.toBuilder().deflateLibrary(DeflateLibrary.LIBDEFLATE).build();
            WriteOptions gzipOneThreadLib = gzipOneThread.toBuilder().deflateLibrary(DeflateLibrary.LIBDEFLATE).build();
            System.out.println("deflaters: " + (libdeflate ? describe(gzipParallelLib, dir) + "; " : "libdeflate not loadable; ")
                    + describe(gzipParallel, dir) + "; " + describe(gzipHdf5, dir));

            Map<String, List<double[]>> results = new LinkedHashMap<>();
            Path out = dir.resolve("hdf5bench-out.h5");
            // Warm-up, not timed: loading HDF5's natives, JIT-compiling shuffle and the append path.
            NdArray some = data.slice(0, Math.min(data.length(), 4_000_000));
            for (WriteOptions o : libdeflate ? List.of(none, gzipParallelLib, gzipParallel, gzipHdf5, gzipOneThread)
                    : List.of(none, gzipParallel, gzipHdf5, gzipOneThread)) {
                ferry(some, out, o);
            }
            for (int run = 0; run < runs; run++) {
                record(results, "disk (dd-like)", () -> writeRaw(data.segment(), out), out);
                record(results, "ferry none", () -> ferry(data, out, none), out);
                record(results, "h5py none", () -> h5py(bin, out, chunkRows, false), out);
                if (libdeflate) {
                    record(results, PAR_LIB, () -> ferry(data, out, gzipParallelLib), out);
                }
                record(results, PAR_JAVA, () -> ferry(data, out, gzipParallel), out);
                record(results, HDF5, () -> ferry(data, out, gzipHdf5), out);
                if (libdeflate) {
                    record(results, "ferry gzip4+shuffle 1 thread libdeflate", () -> ferry(data, out, gzipOneThreadLib), out);
                }
                record(results, "ferry gzip4+shuffle 1 thread java", () -> ferry(data, out, gzipOneThread), out);
                record(results, "h5py gzip4+shuffle", () -> h5py(bin, out, chunkRows, true), out);
                Files.deleteIfExists(out);
            }
            Files.deleteIfExists(bin);

            double mib = data.byteSize() / (double) (1 << 20);
            System.out.printf(Locale.ROOT, "%n%-40s %9s %9s %11s %11s %10s %9s%n", "median of " + runs, "write s", "+fsync s",
                    "MB/s", "MB/s+fsync", "file MiB", "JVM cpu s");
            Map<String, Double> medians = new LinkedHashMap<>();
            results.forEach((name, rs) -> {
                double w = median(rs, 0);
                double f = median(rs, 1);
                medians.put(name, w);
                System.out.printf(Locale.ROOT, "%-40s %9.2f %9.2f %11.0f %11.0f %10.1f %9.2f%n", name, w, f,
                        data.byteSize() / 1e6 / w, data.byteSize() / 1e6 / f, median(rs, 2) / (1 << 20), median(rs, 3));
            });
            System.out.printf(Locale.ROOT, "%nferry none vs disk: %.2fx the time; vs h5py none: %.2fx faster%n",
                    medians.get("ferry none") / medians.get("disk (dd-like)"),
                    medians.get("h5py none") / medians.get("ferry none"));
            for (String par : libdeflate ? List.of(PAR_LIB, PAR_JAVA) : List.of(PAR_JAVA)) {
                System.out.printf(Locale.ROOT, "%s vs HDF5's filter path: %.2fx faster (wall), %.2fx less JVM CPU; vs h5py: %.2fx faster (%.0f MiB in)%n",
                        par, medians.get(HDF5) / medians.get(par), median(results.get(HDF5), 3) / median(results.get(par), 3),
                        medians.get("h5py gzip4+shuffle") / medians.get(par), mib);
                // Neighbours in one round saw about the same machine load: their ratio is steadier than a ratio of medians.
                List<double[]> p = results.get(par);
                List<double[]> hdf = results.get(HDF5);
                List<double[]> ratios = new ArrayList<>();
                StringBuilder each = new StringBuilder();
                for (int r = 0; r < p.size(); r++) {
                    double ratio = hdf.get(r)[0] / p.get(r)[0];
                    ratios.add(new double[] {ratio});
                    each.append(String.format(Locale.ROOT, " %.2f", ratio));
                }
                System.out.printf(Locale.ROOT, "  per round, HDF5 filter path time / %s time:%s (median %.2f)%n", par, each, median(ratios, 0));
            }
        }
    }

    static final String PAR_LIB = "ferry gzip4+shuffle parallel libdeflate";
    static final String PAR_JAVA = "ferry gzip4+shuffle parallel java";
    static final String HDF5 = "ferry gzip4+shuffle hdf5";

    private static boolean libdeflateLoads() {
        try {
            DeflateLibrary.LIBDEFLATE.resolve();
            return true;
        } catch (RuntimeException e) {
            System.out.println("libdeflate: " + e.getMessage());
            return false;
        }
    }

    /// {@return what deflates with `o`}, as the writer says it
    private static String describe(WriteOptions o, Path dir) {
        try (Hdf5Writer writer = Hdf5Writer.create(dir.resolve("hdf5bench-describe.h5"), o)) {
            return writer.deflater();
        }
    }

    /// A timed contender; the harness adds the fsync.
    interface Contender {
        /// {@return seconds to a closed file}
        double run() throws Exception;
    }

    private static void record(Map<String, List<double[]>> results, String name, Contender c, Path out) throws Exception {
        Files.deleteIfExists(out);
        String load = loadAverage();
        long cpu0 = processCpuNanos();
        double write = c.run();
        double cpu = (processCpuNanos() - cpu0) / 1e9;     // this JVM only: 0 for h5py (another process)
        long t = System.nanoTime();
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        double fsync = write + (System.nanoTime() - t) / 1e9;
        long size = Files.size(out);
        System.out.printf(Locale.ROOT, "  %-40s %7.2f s  %7.2f s with fsync  %8.1f MiB  JVM cpu %6.2f s  load %s%n",
                name, write, fsync, size / 1048576.0, cpu, load);
        results.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {write, fsync, size, cpu});
    }

    /// {@return the 1-minute load average}: other work on a shared machine skews every figure, so it is printed beside them.
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(List<double[]> rs, int i) {
        double[] v = rs.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /// dd-like: 8 MiB blocks straight from the records' memory (the harness adds the fsync).
    static double writeRaw(MemorySegment data, Path file) throws IOException {
        long t = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long block = 8 << 20;
            for (long at = 0; at < data.byteSize(); at += block) {
                var buf = data.asSlice(at, Math.min(block, data.byteSize() - at)).asByteBuffer();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
        return (System.nanoTime() - t) / 1e9;
    }

    static double ferry(NdArray data, Path out, WriteOptions options) {
        long t = System.nanoTime();
        long piece = (16L << 20) / data.dtype().itemSize();
        try (Hdf5Writer writer = Hdf5Writer.create(out, options)) {
            DatasetWriter w = writer.dataset("sample1", "bench", data.dtype());
            for (long at = 0; at < data.length(); at += piece) {
                w.append(data.slice(at, Math.min(data.length(), at + piece)));
            }
            writer.commit();
        }
        return (System.nanoTime() - t) / 1e9;
    }

    static double h5py(Path bin, Path out, long chunkRows, boolean gzip) throws IOException, InterruptedException {
        String script = """
                import sys, time, h5py, numpy as np
                bin, out, chunk, gzip = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == 'gzip'
                dt = np.dtype([('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])
                a = np.fromfile(bin, dtype=dt)
                kw = dict(compression='gzip', compression_opts=4, shuffle=True) if gzip else {}
                t = time.perf_counter()
                with h5py.File(out, 'w') as f:
                    f.create_dataset('sample1', data=a, chunks=(chunk,), maxshape=(None,), **kw)
                print(time.perf_counter() - t)
                """;
        Path py = Files.createTempFile("hdf5bench", ".py");
        try {
            Files.writeString(py, script);
            Process p = new ProcessBuilder(PYTHON, py.toString(), bin.toString(), out.toString(),
                    Long.toString(chunkRows), gzip ? "gzip" : "none").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("h5py failed: " + text);
            }
            String[] lines = text.strip().split("\n");
            return Double.parseDouble(lines[lines.length - 1]);
        } finally {
            Files.deleteIfExists(py);
        }
    }

    /// Methylation calls as a bisulfite caller writes them: five chromosomes, increasing
    /// positions a few bases apart, small read counts, the percentage from the counts.
    static NdArray methylation(Arena arena, long n, long seed) {
        NdArray a = NdArray.allocate(METHYLATION, arena, n);
        MemorySegment s = a.segment();
        SplittableRandom r = new SplittableRandom(seed);
        long perChr = Math.max(1, n / 5);
        byte[][] names = new byte[5][];
        for (int i = 0; i < 5; i++) {
            names[i] = ("chr" + (i + 1)).getBytes(StandardCharsets.US_ASCII);
        }
        int pos = 0;
        var i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        var f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            long o = i * 26;
            if (i % perChr == 0) {
                pos = 10_000 + r.nextInt(1000);
            }
            pos += 2 + r.nextInt(60);
            int c = r.nextInt(25);
            int t = r.nextInt(25);
            byte[] name = names[(int) Math.min(4, i / perChr)];
            MemorySegment.copy(name, 0, s, ValueLayout.JAVA_BYTE, o, name.length);
            s.set(i32, o + 10, pos);
            s.set(f32, o + 14, c + t == 0 ? 0f : 100f * c / (c + t));
            s.set(i32, o + 18, c);
            s.set(i32, o + 22, t);
        }
        return a;
    }
}
