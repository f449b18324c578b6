package io.ferry.cli;

import io.ferry.file.InputFile;

import java.nio.file.Path;
import java.util.List;

/// Checks on input files, made before any work starts so a bad call fails at once with what is
/// wrong and where: [InputFile]'s, the rule every Ferry reader follows.
final class Inputs {
    private Inputs() {
    }

    /// @throws io.ferry.FerryException when `file` is missing, a directory, not a regular file or unreadable
    static void checkReadable(Path file) {
        InputFile.checkReadable(file);
    }

    static void checkReadable(List<Path> files) {
        InputFile.checkReadable(files);
    }
}
