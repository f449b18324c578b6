package io.ferry.cli;

import io.ferry.file.Commits;
import io.ferry.hdf5.Hdf5File;
import io.ferry.json.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/// `ferry inspect FILE.h5`: what an HDF5 file holds, Ferry's or anyone's. The file is read in a
/// child JVM ([ReaderJvm], [InspectTask]): a damaged file is an error naming it, never a crash.
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = VersionOption.class,
        description = {"Show what an HDF5 file holds, Ferry's or anyone's: every group, dataset and link as "
                + "h5ls -r lists them (an object with several names once, its other names as links), then each "
                + "group's attributes, and each dataset's dtype, rows, shape, layout (contiguous, chunked, or "
                + "virtual with its sources), filters, attributes and first rows (variable-length strings, "
                + "h5py's default, included).",
                "A dataset whose filter this HDF5 library lacks (h5py's LZF, say) is described, with the "
                + "filter named and how to get it; its rows are not shown, and the listing goes on (exit 0)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file was read (a dataset whose filter is missing here included)",
                "1:the file is missing, unreadable, not HDF5 or damaged, or --dataset names nothing in it",
                "64:wrong usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  ferry inspect out.h5", "  ferry inspect --head 10 --dataset sample1 out.h5",
                "  ferry inspect --dataset group1 out.h5      # a group: what is under it"})
public final class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the HDF5 file")
    Path file;

    // -n is --rows in every command; --head, its first name here, still works.
    @Option(names = {"-n", "--rows", "--head"}, paramLabel = "ROWS", defaultValue = "5",
            description = "rows to show from each dataset (default: ${DEFAULT-VALUE}; 0 for none)")
    int head;

    // No -d: it is --delimiter in the commands that read text.
    @Option(names = "--dataset", paramLabel = "NAME", description = "show only this dataset, or this group and what is under it")
    String only;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "give up when reading makes no progress for this long (default: ${DEFAULT-VALUE});"
                    + " the HDF5 library can loop on a damaged file")
    int timeoutSeconds;

    @Override
    public Integer call() throws IOException {
        if (head < 0) {
            throw new UsageException("--head takes a number of rows to show, 0 or more, not " + head);
        }
        ReaderJvm.checkTimeout(timeoutSeconds);
        Hdf5File.checkReadable(file); // what needs no HDF5 needs no child either
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put(InspectTask.FILE, file.toString());
        input.put(InspectTask.HEAD, (long) head);
        if (only != null) {
            input.put(InspectTask.DATASET, only);
        }
        ReaderJvm.Outcome outcome = ReaderJvm.run(InspectTask.class, input, timeoutSeconds, part -> {
            out.print(Json.asString(part, "a part of the inspection"));
            out.flush();
        });
        out.flush();
        Optional<String> problem = outcome instanceof ReaderJvm.Outcome.Done(Object result) && result != null
                ? Optional.of(Json.asString(result, "the inspection's result")) : ReaderJvm.problem(outcome, file);
        if (problem.isPresent() && Commits.exiting()) {
            return ExitCode.INTERRUPTED;   // the reader was killed by the exit's hooks: not news
        }
        if (problem.isPresent()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ferry inspect: " + problem.get());
            err.flush();
            return ExitCode.FAILED;
        }
        return ExitCode.OK;
    }
}
