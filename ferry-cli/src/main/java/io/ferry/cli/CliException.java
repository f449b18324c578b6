package io.ferry.cli;

/// A mistake in the loader's options, as [LoaderOptions] reports it: a [UsageException] under the
/// name that class still uses.
final class CliException extends UsageException {
    CliException(String message) {
        super(message);
    }
}
