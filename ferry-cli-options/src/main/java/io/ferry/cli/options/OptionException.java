package io.ferry.cli.options;

import io.ferry.FerryException;
import io.ferry.Hint;

/// A command-line value that parsing alone cannot refuse: a bad `--dtype`, `--skiprows -1`,
/// options that clash. A command prints the message as one line after its name and exits with 64
/// (a usage error), without a stack trace. The message names the option and says how to write it:
///
/// ```text
/// ferry convert: --skiprows takes a number of lines, 0 or more, not -1
/// ```
public class OptionException extends FerryException {
    /// @param message what is wrong, naming the option as the user typed it
    public OptionException(String message) {
        super(message);
    }

    /// @param message what is wrong, naming the option as the user typed it
    /// @param hint    what to write instead (the command prints it on a `hint:` line), or null
    public OptionException(String message, Hint hint) {
        super(message, hint);
    }
}
