package io.ferry.cli;

import io.ferry.Sizes;
import io.ferry.file.OutputFileException;
import io.ferry.sample.MethylationTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/// `ferry generate -o FILE --lines N --seed S [--force]`: a deterministic methylation table for tests and benchmarks.
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write a deterministic methylation table (chr pos pct c t, tab separated), the same",
                "bytes for the same seed and line count. Its dtype is " + "chr:S10,pos:i4,pct:f4,c:i4,t:i4."},
        footer = {"", "Examples:", "  ferry generate -o big.txt --lines 5000000 --seed 1",
                "  ferry generate -o s1.cov.gz --lines 100000   (gzip-compressed by its name)"})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "Where to write; a name ending in .gz is gzip-compressed.")
    Path output;

    @Option(names = "--lines", paramLabel = "N", defaultValue = "1000000", description = "Lines (default: ${DEFAULT-VALUE}).")
    long lines;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-f", "--force"}, description = "Replace FILE if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (lines < 0) {
            throw new UsageException("--lines takes a number of lines, 0 or more, not " + lines);
        }
        // The library replaces a file, as np.save does; the command asks for --force, as every command does.
        Outputs.check(output, force, List.of());
        try {
            MethylationTable.write(output, lines, seed, output.getFileName().toString().endsWith(".gz"));
        } catch (OutputFileException e) {
            throw Outputs.refusal(e);
        } catch (java.io.IOException e) {   // a full disk: "No space left on device" named no file
            throw new io.ferry.FerryException(output + ": cannot write it: " + io.ferry.file.FileErrors.describe(e), e);
        }
        spec.commandLine().getOut().printf("wrote %s: %s, %s%n", output, Units.counted(lines, "line"), Sizes.human(Files.size(output)));
        return ExitCode.OK;
    }
}
