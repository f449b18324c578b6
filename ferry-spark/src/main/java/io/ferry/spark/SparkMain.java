package io.ferry.spark;

import io.ferry.FerryException;
import io.ferry.convert.ConvertOptionException;
import io.ferry.convert.ConvertOptions;
import io.ferry.cli.options.LoaderOptions;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.TargetExistsException;
import io.ferry.text.TextLoader;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/// `spark-submit --class io.ferry.spark.SparkMain ferry-spark.jar FILE... -o OUT.h5 --dtype SPEC`.
@Command(name = "ferry-spark", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = "ferry convert as a Spark job: each input (and byte ranges of big plain ones) converted by a "
                + "task into a part file beside OUT.h5, then OUT.h5 written with one HDF5 virtual dataset per input "
                + "over its parts in order. Inputs and output must be on storage every node sees at the same path.",
        footer = {"", "Example:",
                "  spark-submit --master yarn --class io.ferry.spark.SparkMain ferry-spark/target/ferry-spark.jar \\",
                "      /shared/calls/*.txt -o /shared/calls.h5 --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4"})
public final class SparkMain implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Text files, plain or gzip, on shared storage.")
    List<Path> files;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.h5", description = "The HDF5 file to write.")
    Path output;

    @Mixin
    LoaderOptions loaderOptions;

    @Option(names = "--compression", paramLabel = "none|gzip[:LEVEL|:fast]", defaultValue = "none", description = "Chunk compression.")
    String compression;

    @Option(names = "--shuffle", description = "Byte-shuffle chunks before compressing.")
    boolean shuffle;

    @Option(names = "--part-size", paramLabel = "BYTES", defaultValue = "67108864", description = "Bytes per task of a big plain file (default: 64 MiB).")
    long partBytes;

    @Option(names = {"-f", "--force"}, description = "Replace OUT.h5 if it exists.")
    boolean force;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Compression chunkCompression;
        try {
            chunkCompression = Compression.parse(compression);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--" + e.getMessage());
        }
        try {
            // Checked before Spark starts, by the rules ferry convert follows.
            TextLoader loader = loaderOptions.loader();
            ConvertOptions options = ConvertOptions.builder().dtype(loader.dtype()).loadOptions(loader.options())
                    .compression(chunkCompression).shuffle(shuffle).overwrite(force).build();
            options.checkFiles(files, output);
            try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("ferry convert"))) {
                Map<String, Long> rows = SparkConvert.files(sc, files).options(options).partBytes(partBytes).to(output);
                System.out.printf("%s: %d datasets, %d rows%n", output, rows.size(),
                        rows.values().stream().mapToLong(Long::longValue).sum());
                return 0;
            }
        } catch (TargetExistsException e) {
            System.err.println("ferry-spark: " + output + ": exists already; add --force to replace it");
            return 1;
        } catch (ConvertOptionException e) {
            System.err.println("ferry-spark: " + e.commandLineMessage());
            return 1;
        } catch (FerryException e) {
            System.err.println("ferry-spark: " + e.getMessage());
            return 1;
        }
    }
}
