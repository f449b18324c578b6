package io.ferry.spark;

import io.ferry.FerryException;
import io.ferry.convert.ConvertOptions;
import io.ferry.convert.Stitch;
import io.ferry.convert.TextParts;
import io.ferry.dtype.DType;
import io.ferry.hdf5.Compression;
import io.ferry.json.Json;
import io.ferry.pipeline.ConversionPlan;
import io.ferry.pipeline.Input;
import io.ferry.pipeline.Part;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/// `ferry convert` as a Spark job: the inputs, and byte ranges of the big ones, are spread over the
/// executors; each task converts its part into a part file of its own with Ferry's loader and
/// HDF5 writer; the driver then writes the output with one HDF5 virtual dataset per input, mapping
/// that input's parts in order. h5py reads `/data1` as one dataset.
///
/// ```java
/// try (JavaSparkContext sc = new JavaSparkContext("local[2]", "ferry")) {
///     Map<String, Long> rows = SparkConvert.files(sc, List.of(Path.of("/shared/data1.txt")))
///             .dtype("chr:S10,pos:i4,pct:f4,c:i4,t:i4")
///             .to(Path.of("/shared/out.h5"));
/// }
/// ```
///
/// Inputs and output must be on storage every node sees at the same path (NFS, a parallel file
/// system). The parts go into a folder beside the output, `OUT.h5.parts-<id>`, which the output
/// names relative to itself: keep them together. Only the attempts Spark keeps are mapped; files
/// of failed or speculative attempts are removed at the end. The output appears only when the job
/// succeeded; a failure leaves neither it nor the parts.
public final class SparkConvert {
    private static final Pattern FERRY_ERROR = Pattern.compile("io\\.ferry\\.[\\w.]+Exception: ([^\\n]*)");

    private final JavaSparkContext sc;
    private final List<Path> files;
    private ConvertOptions.Builder options = ConvertOptions.builder();
    private long partBytes = 64L << 20;
    private Set<String> failFirstAttempts = Set.of();

    private SparkConvert(JavaSparkContext sc, List<Path> files) {
        this.sc = Objects.requireNonNull(sc, "sc");
        this.files = List.copyOf(files);
    }

    /// {@return a conversion of `files` on `sc`'s cluster, each to a dataset named after it}
    public static SparkConvert files(JavaSparkContext sc, List<Path> files) {
        return new SparkConvert(sc, files);
    }

    /// Sets every option at once, as `ferry convert` and [io.ferry.convert.Convert] take them.
    /// The cluster decides the workers, their isolation and memory: those options are not used.
    public SparkConvert options(ConvertOptions options) {
        this.options = options.toBuilder();
        return this;
    }

    /// Sets the record layout (numpy's spellings); it must be structured.
    public SparkConvert dtype(String spec) {
        return dtype(DType.parse(spec));
    }

    /// Sets the record layout; it must be structured.
    public SparkConvert dtype(DType dtype) {
        options.dtype(dtype);
        return this;
    }

    /// Sets the loader's options.
    public SparkConvert loadOptions(LoadOptions loadOptions) {
        options.loadOptions(loadOptions);
        return this;
    }

    /// Sets the compression of the parts' chunks (default none).
    public SparkConvert compression(Compression c) {
        options.compression(c);
        return this;
    }

    /// Byte-shuffles chunks before compressing (HDF5's shuffle filter).
    public SparkConvert shuffle(boolean on) {
        options.shuffle(on);
        return this;
    }

    /// Replaces an existing output (default: refuse it).
    public SparkConvert overwrite(boolean replace) {
        options.overwrite(replace);
        return this;
    }

    /// Sets the size of a part: plain inputs larger than this are cut into byte ranges of about
    /// this size, one task each (default 64 MiB). Gzip inputs are one task each.
    public SparkConvert partBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("a part needs at least one byte, not " + bytes);
        }
        this.partBytes = bytes;
        return this;
    }

    /// For tests: the first attempt of these parts (`"input:part"`, both indexes from 0) fails,
    /// as a lost executor's would, so Spark retries them.
    SparkConvert failFirstAttempts(Set<String> parts) {
        this.failFirstAttempts = Set.copyOf(parts);
        return this;
    }

    /// Runs the job and writes `output`. {@return each dataset's rows, in input order}
    /// @throws FerryException for bad options or input (naming file and line), a failed job, or an
    ///         output that may not be written ([ConvertOptions#checkFiles(List, Path)])
    public Map<String, Long> to(Path output) throws IOException {
        ConvertOptions o = options.build();
        if (o.append()) { // the driver writes its output new, over parts stitched by name
            throw new FerryException("the Spark job writes a new file: appending to " + output + " is not supported;"
                    + " convert into a new file, or append with ferry convert");
        }
        o.checkFiles(files, output);
        if (o.dtype() == null || !o.dtype().isStructured()) { // grids and --header are the local conversion's
            throw new FerryException("the Spark job writes tables of records: give a structured dtype such as a:f8,b:f8"
                    + (o.dtype() == null ? "" : " (not " + o.dtype() + "; grids of a plain dtype are for ferry convert)"));
        }
        TextLoader loader = TextLoader.of(o.dtype(), o.loadOptions());
        ConversionPlan plan = ConversionPlan.of(files, o.datasets(files), TextParts.FORMAT, sc.defaultParallelism(),
                o.loadOptions().maxRows() >= 0 ? Long.MAX_VALUE : partBytes, partBytes);
        Path absolute = output.toAbsolutePath();
        Path partsDir = absolute.resolveSibling(absolute.getFileName() + ".parts-"
                + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36));
        Files.createDirectory(partsDir);
        boolean done = false;
        try {
            List<PartTask> tasks = tasks(plan, loader, o, partsDir);
            Set<String> failing = failFirstAttempts;
            List<PartDone> parts;
            try {
                parts = new ArrayList<>(sc.parallelize(tasks, Math.max(1, tasks.size())).map(task -> {
                    TaskContext context = TaskContext.get();
                    if (context.attemptNumber() == 0 && failing.contains(task.input() + ":" + task.part())) {
                        throw new IllegalStateException("injected failure of the first attempt of part " + task.part());
                    }
                    return PartWriter.write(task, context.taskAttemptId());
                }).collect());
            } catch (Exception e) {      // Scala throws SparkException undeclared
                throw ferryError(e);
            }
            Map<String, Long> rows = stitch(o, parts, output);
            removeUnused(partsDir, parts);
            done = true;
            return rows;
        } finally {
            if (!done) {
                deleteTree(partsDir);
            }
        }
    }

    private static List<PartTask> tasks(ConversionPlan plan, TextLoader loader, ConvertOptions o, Path partsDir) {
        String dtypeJson = o.dtype().descrJson();
        String loaderJson = Json.write(TextParts.config(loader));
        List<PartTask> tasks = new ArrayList<>();
        for (Part p : plan.parts()) {
            Input in = plan.inputs().get(p.input());
            tasks.add(new PartTask(p.input(), p.index(), in.file().toAbsolutePath().toString(), in.dataset(), p.start(),
                    p.end(), dtypeJson, loaderJson, o.compression().spec(), o.shuffle(), o.chunkRows(), partsDir.toString()));
        }
        return tasks;
    }

    /// The output: one virtual dataset per input over its parts in order, written atomically, as
    /// `ferry stitch` writes it. Each part file holds one input's dataset, so the parts sorted by
    /// input and then by place give each input's datasets in order, and the inputs in order.
    private static Map<String, Long> stitch(ConvertOptions o, List<PartDone> parts, Path output) {
        List<Path> files = parts.stream()
                .sorted(Comparator.comparingInt(PartDone::input).thenComparingInt(PartDone::part))
                .map(d -> Path.of(d.path())).toList();
        return Stitch.parts(files).overwrite(o.overwrite()).to(output);
    }

    /// Removes what attempts Spark did not keep left behind (their files, or a temporary one).
    private static void removeUnused(Path partsDir, List<PartDone> parts) throws IOException {
        Set<Path> kept = new HashSet<>();
        parts.forEach(d -> kept.add(Path.of(d.path()).toAbsolutePath()));
        try (Stream<Path> s = Files.list(partsDir)) {
            for (Path f : s.toList()) {
                if (!kept.contains(f.toAbsolutePath())) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /// Spark reports a task's exception inside its own message; Ferry's (a bad line: file, line,
    /// column, text) is what the user needs, so it is brought to the front.
    private static FerryException ferryError(Exception e) {
        Matcher m = FERRY_ERROR.matcher(String.valueOf(e.getMessage()));
        String why = m.find() ? m.group(1) : "the Spark job failed: " + e.getMessage();
        return new FerryException(why, e);
    }
}
