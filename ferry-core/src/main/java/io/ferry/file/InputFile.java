package io.ferry.file;

import io.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/// The check every reader of named inputs makes before any work, so a bad call fails at once
/// saying what is wrong and where.
///
/// ```java
/// try {
///     InputFile.checkReadable(Path.of("/dev/null"));
///     assert false;
/// } catch (FerryException e) {
///     assert e.getMessage().equals("/dev/null: is a character device, not a regular file; write it to a file first");
/// }
/// ```
public final class InputFile {
    private InputFile() {
    }

    /// @throws FerryException when `file` is missing, a directory, not a regular file or unreadable
    public static void checkReadable(Path file) {
        if (StandardInput.is(file)) {
            return; // read as it comes: nothing to check before
        }
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

    /// Checks each of `files` in order, as [#checkReadable(Path)].
    public static void checkReadable(Collection<Path> files) {
        for (Path f : files) {
            checkReadable(f);
        }
    }
}
