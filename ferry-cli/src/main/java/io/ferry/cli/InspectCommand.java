package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.array.NdArray;
import io.ferry.hdf5.DatasetInfo;
import io.ferry.hdf5.Hdf5File;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/// `ferry inspect FILE.h5`: what an HDF5 file holds, Ferry's or anyone's.
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = {"Shows what an HDF5 file holds: each dataset's dtype, rows, shape, chunking, "
                + "compression and attributes, and its first rows."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file was read", "1:the file is missing, unreadable or not HDF5", "64:wrong usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  ferry inspect out.h5", "  ferry inspect --head 10 --dataset sample1 out.h5"})
public final class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the HDF5 file")
    Path file;

    @Option(names = {"-n", "--head"}, paramLabel = "ROWS", defaultValue = "5",
            description = "rows to show from each dataset (default: ${DEFAULT-VALUE}; 0 for none)")
    int head;

    @Option(names = {"-d", "--dataset"}, paramLabel = "NAME", description = "show only this dataset")
    String only;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (head < 0) {
            throw new UsageException("--head takes a number of rows to show, 0 or more, not " + head);
        }
        try (Hdf5File f = Hdf5File.open(file); Arena arena = Arena.ofConfined()) {
            out.println(file);
            printAttributes(out, "", f.attributes());
            List<DatasetInfo> datasets = only == null ? f.datasets() : List.of(f.dataset(only));
            if (datasets.isEmpty()) {
                out.println("(no datasets)");
            }
            for (DatasetInfo d : datasets) {
                out.println();
                out.println("dataset " + d.name());
                out.println("  dtype        " + d.dtype().map(Object::toString).orElse("(" + d.typeProblem() + ")"));
                out.println("  rows         " + d.rows());
                out.println("  shape        " + shape(d.shape()) + "  max " + shape(d.maxShape()));
                out.println("  chunks       " + (d.chunk().length == 0 ? "none (contiguous)" : shape(d.chunk())));
                out.println("  filters      " + (d.filters().isEmpty() ? "none" : String.join(", ", d.filters())));
                printAttributes(out, "  ", d.attributes());
                if (head > 0 && d.dtype().isPresent() && d.shape().length > 0 && d.rows() > 0) {
                    NdArray first = f.read(d.name(), 0, Math.min(head, d.rows()), arena);
                    out.println("  first " + first.length() + " of " + d.rows() + " rows:");
                    first.head(head).lines().forEach(l -> out.println("    " + l));
                }
            }
            out.flush();
            return 0;
        } catch (FerryException e) {
            out.flush();
            err.println("ferry inspect: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static void printAttributes(PrintWriter out, String indent, Map<String, Object> attributes) {
        if (attributes.isEmpty()) {
            return;
        }
        out.println(indent + "attributes");
        int width = attributes.keySet().stream().mapToInt(String::length).max().orElse(0);
        attributes.forEach((k, v) -> out.println(indent + "  " + k + " ".repeat(width - k.length() + 2) + value(v)));
    }

    private static String value(Object v) {
        return v instanceof List<?> l ? l.stream().map(InspectCommand::value).collect(Collectors.joining(", ", "[", "]"))
                : String.valueOf(v);
    }

    private static String shape(long[] s) {
        return Arrays.stream(s).mapToObj(d -> d < 0 ? "unlimited" : Long.toString(d))
                .collect(Collectors.joining(", ", "(", s.length == 1 ? ",)" : ")"));
    }
}
