package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.file.FileKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// Checks on input files, made before any work starts so a bad call fails at once with what is
/// wrong and where.
final class Inputs {
    private Inputs() {
    }

    /// @throws FerryException when `file` is missing, a directory, not a regular file or unreadable
    static void checkReadable(Path file) {
        FileKind kind;
        try {
            kind = FileKind.of(file);
        } catch (IOException e) {
            throw new FerryException(file + ": cannot be examined: " + e.getMessage());
        }
        switch (kind) {
            case REGULAR -> {
            }
            case MISSING -> throw new FerryException(file + ": no such file");
            case DIRECTORY -> throw new FerryException(file + ": is a directory, not a text file");
            // A pipe would block the run until a writer came, a device could be endless: Ferry
            // opens an input more than once and cuts it into byte ranges, so it needs a file.
            default -> throw new FerryException(file + ": is " + kind.description()
                    + ", not a regular file; write it to a file first");
        }
        if (!Files.isReadable(file)) {
            throw new FerryException(file + ": permission denied (not readable)");
        }
    }

    static void checkReadable(List<Path> files) {
        for (Path f : files) {
            checkReadable(f);
        }
    }
}
