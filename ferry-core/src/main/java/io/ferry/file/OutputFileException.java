package io.ferry.file;

import io.ferry.FerryException;

import java.nio.file.Path;
import java.util.Objects;

/// An output that cannot be written, found before any work: the message names the output and
/// says why, in one line.
///
/// ```text
/// in.txt: is the input in.txt (the same file); give another output name
/// /dev/null: is a character device, not a regular file; give the name of a file
/// ```
public class OutputFileException extends FerryException {
    /// Why the output cannot be written.
    public enum Problem {
        /// It exists and replacing it was not asked for.
        EXISTS,
        /// It is one of the job's inputs (the same file, through a link too).
        IS_AN_INPUT,
        /// It exists and is not a regular file (a directory, a device, a pipe, a socket), or is a
        /// symbolic link to one or to nothing.
        NOT_A_REGULAR_FILE,
        /// Its directory does not exist.
        NO_DIRECTORY,
        /// Its directory cannot be written.
        DIRECTORY_NOT_WRITABLE,
        /// A file being appended to was written by another program meanwhile.
        CHANGED,
        /// A file to append to that this user may not write (its owner made it read-only).
        NOT_WRITABLE
    }

    private final Problem problem;
    private final Path output;

    /// An exception about `output`, with `message` as it is.
    public OutputFileException(Problem problem, Path output, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.output = Objects.requireNonNull(output, "output");
    }

    /// {@return why the output cannot be written}
    public Problem problem() {
        return problem;
    }

    /// {@return the output, as the caller named it}
    public Path output() {
        return output;
    }
}
