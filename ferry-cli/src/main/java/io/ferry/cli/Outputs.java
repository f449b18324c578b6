package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.file.OutputFile;
import io.ferry.file.OutputFileException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

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

    /// Refuses an output typed with a trailing `/`, which names a folder (`cp f out/` refuses a
    /// missing folder): a `Path` drops the slash, and `-o out.h5/` wrote the file `out.h5`; and
    /// `-o -`, which is standard input as an input, and wrote a file named `-`.
    /// @throws ParameterException for the command's `--output` so typed: a mistake in the command line
    static void refuseMistypedOutput(ParseResult parsed) {
        ParseResult command = parsed.hasSubcommand() ? parsed.subcommand() : parsed;
        OptionSpec output = command.matchedOption("--output");
        if (output == null) {
            return;
        }
        for (String typed : output.originalStringValues()) {
            if (typed.equals("-")) {   // an input's standard input; as an output it made a file named -
                throw new ParameterException(command.commandSpec().commandLine(), "--output '-': standard output is not"
                        + " written to; name a file (./- for one named -)");
            }
            if (typed.length() > 1 && typed.endsWith("/")) {
                throw new ParameterException(command.commandSpec().commandLine(), "--output '" + typed
                        + "' ends with '/', which names a folder; give the name of the file to write, without the '/'");
            }
            String otherFormat = otherFormat(command.commandSpec().name(), typed);
            if (otherFormat != null) {
                throw new ParameterException(command.commandSpec().commandLine(), "--output '" + typed + "': " + otherFormat);
            }
        }
    }

    /// Names that say the other format than the command writes: `ferry convert -o x.npy` wrote
    /// HDF5 that `np.load` refused ("pickled data"), and `ferry load -o x.h5` a `.npy` that h5py
    /// refused, both with exit 0. No one names an HDF5 file `.npy` on purpose.
    private static final List<String> NUMPY_SUFFIXES = List.of(".npy", ".npz");
    private static final List<String> HDF5_SUFFIXES = List.of(".h5", ".hdf5", ".hdf", ".he5", ".nc");

    /// {@return why `command` cannot write a file named `typed`}, or null when it can
    private static String otherFormat(String command, String typed) {
        String name = typed.toLowerCase(Locale.ROOT);
        if ((command.equals("convert") || command.equals("stitch")) && NUMPY_SUFFIXES.stream().anyMatch(name::endsWith)) {
            return "ferry " + command + " writes HDF5, which np.load cannot read; name the output .h5, or write a .npy"
                    + " with ferry load FILE --dtype SPEC -o " + typed;
        }
        if (command.equals("load") && HDF5_SUFFIXES.stream().anyMatch(name::endsWith)) {
            return "ferry load writes a .npy file (np.load reads it), not HDF5; name the output .npy, or write HDF5"
                    + " with ferry convert FILE --dtype SPEC -o " + typed;
        }
        return null;
    }

    /// {@return `e` said with the command's options}: an existing output names `--force`
    static FerryException refusal(OutputFileException e) {
        return e.problem() == OutputFileException.Problem.EXISTS
                ? new FerryException(e.output() + ": exists already; add --force to replace it") : e;
    }
}
