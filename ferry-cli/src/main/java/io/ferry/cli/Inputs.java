package io.ferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// Checks on input files and output paths, made before any work starts so a bad call fails at once
/// with what is wrong and where.
final class Inputs {
    private Inputs() {
    }

    /// @throws CliException when `file` is missing, a directory, not a regular file or unreadable
    static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new CliException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new CliException(file + ": is a directory, not a text file");
        }
        if (!Files.isRegularFile(file)) {
            // A pipe would block the run until a writer came, a device could be endless: Ferry
            // opens an input more than once and cuts it into byte ranges, so it needs a file.
            throw new CliException(file + ": is not a regular file (a pipe, device or socket); write it to a file first");
        }
        if (!Files.isReadable(file)) {
            throw new CliException(file + ": permission denied (not readable)");
        }
    }

    static void checkReadable(List<Path> files) {
        for (Path f : files) {
            checkReadable(f);
        }
    }

    /// @throws CliException when the directory `output` would go into does not exist or is not writable
    static void checkOutputDirectory(Path output) {
        Path dir = output.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliException(output + ": the directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new CliException(output + ": the directory " + dir + " is not writable");
        }
        if (Files.isDirectory(output)) {
            throw new CliException(output + ": is a directory; give a file name");
        }
    }
}
