package io.ferry.cli;

import io.ferry.cli.options.OptionException;

/// A mistake in the command line that parsing alone cannot see: a bad `--dtype`, `--workers 0`,
/// options that clash. `ferry` prints the message as one line after the command's name and exits
/// with 64 ([ExitCode#USAGE]), without a stack trace. The message says what is wrong and how to
/// write it:
///
/// ```text
/// ferry convert: --workers takes a number of workers, 1 or more, not 0
/// ```
///
/// What the command line names but the world refuses (a missing input, an output in the way) is
/// not a usage error: it exits with 1 ([ExitCode#FAILED]). The options shared with the Spark job
/// ([io.ferry.cli.options.LoaderOptions]) throw the [OptionException] this extends.
class UsageException extends OptionException {
    UsageException(String message) {
        super(message);
    }
}
