package io.ferry.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/// One way of doing the job (or of measuring a limit of the machine), as a command to run.
///
/// @param name        what runs, e.g. `recipe-process`, `ferry-thread`, `limit-read-cache`
/// @param compression `none`, `gzip:4+shuffle` or, for Ferry, `gzip:fast+shuffle` (the output's filters)
/// @param kind        which family it belongs to
/// @param description one line for the report
/// @param command     the timed command, run from the repository root
/// @param probe       a cheap untimed command whose success says the contender can run (may be empty)
/// @param probeOutput text the probe's stdout must contain ("" for any): picocli answers `--help`
///                    with exit 0 even for a subcommand it does not know
/// @param output      the HDF5 file it writes, checked once after its first run (empty for the limits)
/// @param cleanup     a file to delete after each run (the limit's scratch file), if any
record Contender(String name, String compression, Kind kind, String description, List<String> command,
                 List<String> probe, String probeOutput, Optional<Path> output, Optional<Path> cleanup) {

    static final String NONE = "none";
    static final String GZIP = "gzip:4+shuffle";
    /// Ferry's `--compression gzip:fast` (ISA-L): the same deflate filter, written faster, files larger.
    static final String GZIP_FAST = "gzip:fast+shuffle";

    /// The families, in the order the report lists them.
    enum Kind { LIMIT, PYTHON, FERRY }

    Contender {
        command = List.copyOf(command);
        probe = List.copyOf(probe);
    }

    /// {@return `name/compression`}, the id `--only` matches and the raw results use
    String id() {
        return name + "/" + compression;
    }

    /// {@return the `--compression` and `--shuffle` arguments that make these filters}, for
    /// `ferry convert`, the Python contenders and the output check alike
    static List<String> filterArgs(String compression) {
        return switch (compression) {
            case NONE -> List.of("--compression", "none");
            case GZIP -> List.of("--compression", "gzip:4", "--shuffle");
            case GZIP_FAST -> List.of("--compression", "gzip:fast", "--shuffle");
            default -> throw new IllegalStateException("unknown filters " + compression);
        };
    }
}
