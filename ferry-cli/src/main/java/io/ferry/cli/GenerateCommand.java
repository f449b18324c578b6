package io.ferry.cli;

import io.ferry.sample.MethylationTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/// `ferry generate -o FILE --lines N --seed S`: a deterministic methylation table for tests and benchmarks.
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

    @Override
    public Integer call() throws Exception {
        if (lines < 0) {
            throw new CliException("--lines must be 0 or more, not " + lines);
        }
        Inputs.checkOutputDirectory(output);
        // Not createTempFile: its 0600 would stay on the renamed file; this gets the usual umask.
        Path tmp = Files.createFile(output.toAbsolutePath().resolveSibling("." + output.getFileName() + "."
                + ProcessHandle.current().pid() + ".tmp"));
        try {
            MethylationTable.write(tmp, lines, seed, output.getFileName().toString().endsWith(".gz"));
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        spec.commandLine().getOut().printf("wrote %s: %s lines, %s%n", output, Units.count(lines), Units.bytes(Files.size(output)));
        return ExitCode.OK;
    }
}
