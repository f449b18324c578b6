package io.ferry.cli;

import io.ferry.cli.options.LoaderOptions;
import io.ferry.Sizes;
import io.ferry.array.NdArray;
import io.ferry.array.Npy;
import io.ferry.file.OutputFileException;
import io.ferry.text.TextLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/// `ferry load FILE --dtype SPEC [-o OUT.npy]`: one text table into memory, as `np.loadtxt` would.
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Load a text table as np.loadtxt(FILE, dtype=…, ndmin=1) does, with numpy's values bit",
                "for bit, and a clear error (file, line, column, text) where numpy would silently corrupt.",
                "Prints rows, time, rate and the first rows; -o writes a .npy that np.load reads."},
        footer = {"", "Examples:",
                "  ferry load examples/sample1.txt --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4",
                "  ferry load data.csv --dtype f8 --delimiter , --skiprows 1 -o data.npy --force",
                "  ferry load calls.txt.gz --dtype chr:S10,pos:i4 --usecols 0,1 --rows 20"})
final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The text file (plain or gzip).")
    Path file;

    @Mixin
    LoaderOptions loaderOptions;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.npy", description = "Write the array to this .npy file.")
    Path output;

    @Option(names = {"-n", "--rows"}, paramLabel = "N", defaultValue = "5", description = "Rows to print (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = {"-f", "--force"}, description = "Replace OUT.npy if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        TextLoader loader = loaderOptions.loader();
        if (rows < 0) {
            throw new UsageException("--rows takes a number of rows to print, 0 or more, not " + rows);
        }
        Inputs.checkReadable(file);
        if (output != null) { // Npy.write replaces, as np.save does; the command asks for --force
            Outputs.check(output, force, List.of(file));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Arena arena = Arena.ofShared()) {
            long t0 = System.nanoTime();
            NdArray a = loader.load(file, arena);
            double secs = (System.nanoTime() - t0) / 1e9;
            long bytes = Files.size(file);
            out.printf("%s: %s, %s of text in %.3f s (%s/s)%n", file, Units.counted(a.length(), "row"), Sizes.human(bytes),
                    secs, Sizes.human((long) (bytes / Math.max(secs, 1e-9))));
            out.println("dtype " + a.dtype().descr() + (a.dtype().isStructured() ? "" : ", shape " + shape(a.shape())));
            out.print(a.head(rows));
            if (output != null) {
                try {
                    Npy.write(a, output);
                } catch (OutputFileException e) {
                    throw Outputs.refusal(e);
                }
                out.println("wrote " + output + " (" + Sizes.human(Files.size(output)) + ")");
            }
            out.flush();
        }
        return ExitCode.OK;
    }

    static String shape(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
