package io.ferry.bench;

import io.ferry.sample.MethylationTable;
import io.ferry.text.LoadOptions;
import io.ferry.text.TableReader;
import io.ferry.text.TextLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/// Parses a generated methylation table (`chr pos pct c t`, 5M lines, about 120 MB) into one
/// reused native chunk, on one thread: the text-parsing speed of one core.
///
/// MB/s = file size / time per operation; the file size is printed at setup. The file is
/// generated once into `ferry.bench.dir` (default `java.io.tmpdir`) and reused; it stays in the
/// page cache while the benchmark runs, so this measures parsing, not the disk.
///
/// ```text
/// java -jar ferry-bench/target/benchmarks.jar LoaderBenchmark -f 1 -wi 3 -i 5
/// ```
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class LoaderBenchmark {
    private static final long CHUNK_ROWS = 1 << 16;

    @Param("5000000")
    public long lines;

    /// `tab` (delimiter='\t') or `whitespace` (np.loadtxt's default).
    @Param({"tab", "whitespace"})
    public String delimiter;

    private Path file;
    private Arena arena;
    private MemorySegment chunk;
    private TextLoader loader;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path dir = Path.of(System.getProperty("ferry.bench.dir", System.getProperty("java.io.tmpdir")));
        file = dir.resolve("ferry-meth-" + lines + "-42.txt");
        if (!Files.exists(file)) {
            MethylationTable.write(file, lines, 42);    // atomically: a run stopped meanwhile leaves no half file
        }
        LoadOptions options = delimiter.equals("tab") ? LoadOptions.builder().delimiter('\t').build() : LoadOptions.DEFAULT;
        loader = TextLoader.of(MethylationTable.DTYPE, options);
        arena = Arena.ofShared();
        chunk = arena.allocate(CHUNK_ROWS * MethylationTable.DTYPE.itemSize(), 64);
        chunk.fill((byte) 0); // touch the pages once, outside the measurement
        System.out.printf("%n%s: %d bytes (%.1f MB)%n", file, Files.size(file), Files.size(file) / 1e6);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long parse() throws IOException {
        long total = 0;
        try (TableReader r = loader.open(file)) {
            for (long n; (n = r.read(chunk, CHUNK_ROWS)) > 0; ) {
                total += n;
            }
        }
        if (total != lines) {
            throw new IllegalStateException("read " + total + " rows, expected " + lines);
        }
        return total;
    }
}
