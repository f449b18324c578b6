package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.file.FileErrors;
import io.ferry.file.StandardInput;

import java.nio.file.FileSystemException;

/// A conversion stopped by a failure; the message names the input and says what went wrong.
///
/// When the failure is already one of Ferry's own exceptions whose message names the file (a parse
/// error with file, line and column), that message is kept as it is.
public final class ConversionException extends FerryException {
    private final transient Input input;

    private ConversionException(String message, Input input, Throwable cause) {
        super(message, cause);
        this.input = input;
    }

    /// {@return the failure `why` of `input` (null: not one input's)}, its message naming the input
    /// where it does not already
    public static ConversionException of(Input input, Throwable why) {
        if (why instanceof ConversionException c) {
            return c;
        }
        String msg = why instanceof FileSystemException f ? FileErrors.describe(f)
                : why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage();
        if (input != null && StandardInput.is(input.file())) {
            if (!msg.contains(StandardInput.DESCRIPTION)) {   // as a file's name is looked for anywhere
                msg = StandardInput.DESCRIPTION + ": " + msg;
            }
        } else if (input != null && !msg.contains(input.file().toString()) && !msg.contains(input.file().getFileName().toString())) {
            msg = input.file() + ": " + msg;
        }
        return new ConversionException(msg, input, why);
    }

    /// {@return the input that failed, or null when the failure was not one input's}
    public Input input() {
        return input;
    }
}
