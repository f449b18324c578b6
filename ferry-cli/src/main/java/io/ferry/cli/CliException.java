package io.ferry.cli;

import io.ferry.FerryException;

/// A command that cannot go on, with a message telling the user how to fix the call.
final class CliException extends FerryException {
    CliException(String message) {
        super(message);
    }
}
