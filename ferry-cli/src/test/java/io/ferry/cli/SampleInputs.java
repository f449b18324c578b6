package io.ferry.cli;

import io.ferry.array.NdArray;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.DatasetWriter;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;
import io.ferry.sample.MethylationTable;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/// Sample tables the fault tests share, written once per test JVM and removed when it exits.
final class SampleInputs {
    static final String DTYPE = io.ferry.testing.Checkout.SAMPLE_DTYPE;

    private static Path dir;
    private static Path busy;

    private SampleInputs() {
    }

    /// {@return a table of 3 million rows (~75 MB)}: with `--compression gzip:9 --memory 5M` the
    /// writer keeps two workers busy for several seconds, long after any moment a test picks
    static synchronized Path busy() {
        if (busy == null) {
            busy = directory().resolve("busy.txt");
            write(busy, 3_000_000, 7);
        }
        return busy;
    }

    /// The arguments that make a run of [#busy()] slow: gzip 9 in the writer, 5 MiB of slots (4 chunks).
    static String[] slowConvert(Path out, String isolation) {
        return new String[]{"convert", busy().toString(), "-o", out.toString(), "--dtype", DTYPE, "--isolation",
                isolation, "--workers", "2", "--compression", "gzip:9", "--memory", "5M", "-q"};
    }

    static void write(Path file, long rows, long seed) {
        try {
            MethylationTable.write(file, rows, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("ferry-samples");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> s = Files.walk(d)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory: the system cleans it eventually
                }
            }));
        }
        return dir;
    }

    /// {@return the names in `dir` a run may have left beside its output}: the output and its
    /// temporary file (`.out.h5.….ferry-tmp`)
    static java.util.List<String> outputsIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".h5") || n.contains("tmp")).sorted().toList();
        }
    }

    /// {@return `file`, written as `ferry convert` writes three small tables}: gzip and shuffle,
    /// chunks of 500 rows, Ferry's attributes; the same bytes each time but for the time it was made
    static Path smallHdf5(Path file) throws IOException {
        Path text = file.resolveSibling("table.txt");
        MethylationTable.write(text, 3000, 5);
        WriteOptions options = WriteOptions.builder().compression(Compression.gzip(4)).shuffle(true).chunkRows(500).build();
        try (Arena arena = Arena.ofConfined(); Hdf5Writer writer = Hdf5Writer.create(file, options)) {
            NdArray rows = TextLoader.of(MethylationTable.DTYPE, LoadOptions.DEFAULT).load(text, arena);
            for (String name : List.of("sample1", "sample2", "sample3")) {
                DatasetWriter w = writer.dataset(name, "in/" + name + ".txt", MethylationTable.DTYPE);
                w.append(rows);
            }
            writer.commit();
        }
        Files.delete(text);
        return file;
    }
}
