package io.ferry.cli;

import io.ferry.file.InputList;
import io.ferry.file.NaturalOrder;

import io.ferry.convert.Stitch;
import io.ferry.FerryException;
import io.ferry.file.OutputFileException;
import io.ferry.hdf5.Hdf5File;
import io.ferry.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/// `ferry stitch PART... -o OUT.h5`: part files into one file of virtual datasets.
@Command(name = "stitch", mixinStandardHelpOptions = true, versionProvider = VersionOption.class,
        description = {"Stitch HDF5 part files into one file of virtual datasets: each dataset name",
                "found in the parts becomes one dataset mapping that name's datasets in every part, in",
                "order, which h5py reads as one dataset while the rows stay in the parts. Every name",
                "counts: a dataset with two names (a hard link) is stitched under both. A soft link is",
                "made again in the output when what it leads to is stitched; one that would lead nowhere,",
                "and external links (not followed), are left out, each named on stderr. A folder stands",
                "for its .h5 files in natural order (part2 before part10). The output names the parts",
                "relative to its own folder and appears only when complete. The parts are read in a",
                "child process: a damaged part is an error naming it, never a crash."},
        footer = {"", "Examples:",
                "  ferry stitch parts/ -o parts/all.h5",
                "  ferry stitch day1.h5 day2.h5 day3.h5 -o week.h5 --force"})
final class StitchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PART", arity = "1..*", description = "HDF5 part files, or folders of them.")
    List<Path> parts;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.h5", description = "The file to write.")
    Path output;

    @Option(names = {"-f", "--force"}, description = "Replace OUT.h5 if it exists.")
    boolean force;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up when reading the parts makes no progress for this long (default: ${DEFAULT-VALUE});"
                    + " the HDF5 library can loop on a damaged file.")
    int timeoutSeconds;

    @Override
    public Integer call() throws IOException {
        ReaderJvm.checkTimeout(timeoutSeconds);
        List<Path> files = new ArrayList<>();
        for (Path p : parts) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    List<Path> folder = s.filter(f -> isHdf5Name(f) && !Files.isDirectory(f))
                            .sorted(Comparator.comparing(f -> f.getFileName().toString(), NaturalOrder.NATURAL))
                            .toList();
                    folder.forEach(InputList::checkAFile);   // a link to a part not there: its rows were left out
                    files.addAll(folder);
                }
            } else {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            throw new FerryException("no HDF5 files (.h5, .hdf5, .he5) in " + parts);
        }
        files.forEach(Hdf5File::checkReadable);   // not a text input's checks: those refuse HDF5 files
        checkEachPartOnce(files);
        Map<Path, List<Path>> sources = new HashMap<>();
        Map<Path, Stitch.Part> listed = list(files, sources);
        // The output in the parts' folder: an earlier stitch's (it maps parts) is written anew
        // and is no part; a part (rows of its own) is refused as an input, --force or not.
        files.removeIf(f -> isSame(f, output) && !sources.getOrDefault(f, List.of()).isEmpty());
        if (files.isEmpty()) {
            throw new FerryException("no HDF5 files (.h5, .hdf5, .he5) in " + parts + " but the output");
        }
        Outputs.check(output, force, files);
        checkNotASource(sources);
        checkNoPartMapsAnother(files, sources);
        Map<String, Long> rows;
        Stitch stitch = Stitch.parts(files).overwrite(force).listing(listed::get);
        try {
            rows = stitch.to(output);
        } catch (OutputFileException e) {
            throw Outputs.refusal(e);
        }
        PrintWriter err = spec.commandLine().getErr();
        stitch.leftOut().forEach(err::println);
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %s from %s, %s%n", output, Units.counted(rows.size(), "dataset"),
                Units.counted(files.size(), "part"), Units.counted(rows.values().stream().mapToLong(Long::longValue).sum(), "row"));
        out.flush();
        return ExitCode.OK;
    }

    /// {@return whether `f` is named as HDF5 files are}: `.h5`, `.hdf5`, `.he5`, in either case (a
    /// part named `.hdf5` was left out of a folder's stitch without a word)
    private static boolean isHdf5Name(Path f) {
        String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".h5") || name.endsWith(".hdf5") || name.endsWith(".he5");
    }

    /// {@return whether `a` and `b` are one file}; false when either is missing or cannot be
    /// examined (a source that cannot be examined is no part, and not the output, which can)
    private static boolean isSame(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException cannotTell) {
            return false;
        }
    }

    /// Refuses a part given twice (by two names, or a folder and one of its files): its rows were
    /// stitched twice, with exit 0.
    private static void checkEachPartOnce(List<Path> files) throws IOException {
        Map<Path, Path> seen = new HashMap<>();
        for (Path f : files) {
            Path before = seen.putIfAbsent(f.toRealPath(), f);
            if (before != null) {
                throw new FerryException(f + ": is a part already (as " + before + "); its rows would be stitched twice");
            }
        }
    }

    /// Refuses a part whose virtual datasets map another part (an earlier stitch's output left in
    /// the parts' folder): every row of that part was stitched twice, with exit 0.
    private static void checkNoPartMapsAnother(List<Path> files, Map<Path, List<Path>> sources) {
        for (Path part : files) {
            for (Path source : sources.getOrDefault(part, List.of())) {
                for (Path other : files) {
                    if (!other.equals(part) && isSame(source, other)) {
                        throw new FerryException(part + ": maps the rows of " + other + ", which is a part too, so"
                                + " they would be stitched twice (an earlier stitch's output?): leave one of them out");
                    }
                }
            }
        }
    }

    /// Refuses an output that a part's virtual datasets map (a stitched part's parts): written over,
    /// its rows would be gone, and the two files would map each other (h5py crashed reading
    /// either). `--force` does not change that, as for an output that is a part.
    private void checkNotASource(Map<Path, List<Path>> sources) {
        for (var e : sources.entrySet()) {
            for (Path source : e.getValue()) {
                if (isSame(source, output)) {
                    throw new FerryException(output + ": is a file the virtual datasets of the part " + e.getKey()
                            + " map; writing it would destroy their rows: give another output name");
                }
            }
        }
    }

    /// {@return the datasets of each part}, listed in a child JVM ([ReaderJvm]): a damaged part
    /// can crash the process that reads it, and this one writes the output
    /// @throws FerryException naming the part that could not be read
    private Map<Path, Stitch.Part> list(List<Path> files, Map<Path, List<Path>> sources) throws IOException {
        Map<Path, Stitch.Part> listed = new HashMap<>();
        int[] reading = {0};
        List<String> paths = files.stream().map(Path::toString).toList();
        ReaderJvm.Outcome outcome = ReaderJvm.run(PartsTask.class, Map.of(PartsTask.PARTS, paths), timeoutSeconds, m -> {
            Map<String, Object> message = Json.asObject(m, "a message of the parts' reader");
            if (message.containsKey("reading")) {
                reading[0] = Math.toIntExact(Json.asLong(message.get("reading"), "the part"));
            } else {
                Path part = files.get(Math.toIntExact(Json.asLong(message.get("part"), "the part")));
                listed.put(part, PartsTask.part(message));
                sources.put(part, PartsTask.sources(message));
            }
        });
        if (outcome instanceof ReaderJvm.Outcome.Done(Object result)) {
            if (result != null) {
                throw new FerryException(Json.asString(result, "the parts' problem"));
            }
            return listed;
        }
        throw new FerryException(ReaderJvm.problem(outcome, files.get(reading[0])).orElseThrow());
    }
}
