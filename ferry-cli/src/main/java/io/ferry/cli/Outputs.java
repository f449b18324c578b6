package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.file.OutputFile;
import io.ferry.file.OutputFileException;

import java.nio.file.Path;
import java.util.Collection;

/// The output a command writes, checked by the rules every Ferry writer follows ([OutputFile]) and
/// refused in the command's words.
final class Outputs {
    private Outputs() {
    }

    /// Checks, before any work, that `output` may be written by a command reading `inputs`.
    /// @throws FerryException naming the output and what is wrong: it is an input, is not a regular
    ///         file, exists without `--force`, or its directory is missing or not writable
    static void check(Path output, boolean force, Collection<Path> inputs) {
        try {
            OutputFile.check(output, force, inputs);
        } catch (OutputFileException e) {
            throw refusal(e);
        }
    }

    /// {@return `e` said with the command's options}: an existing output names `--force`
    static FerryException refusal(OutputFileException e) {
        return e.problem() == OutputFileException.Problem.EXISTS
                ? new FerryException(e.output() + ": exists already; add --force to replace it") : e;
    }
}
