package io.ferry.file;

import io.ferry.FerryException;

import java.util.Map;

/// An input, or a list of inputs, that is not there: its message says where it was named, and
/// [#details()] gives the path as it was given, so that a program tells a missing input from other
/// failures without reading the words (Python's `ferry` raises a `FileNotFoundError` for it, as
/// `np.loadtxt` does).
///
/// ```java
/// try {
///     InputFile.checkReadable(java.nio.file.Path.of("no-such-table.txt"));
///     assert false;
/// } catch (InputMissingException e) {
///     assert e.details().equals(java.util.Map.of("missing", "no-such-table.txt"));
///     assert e.getMessage().equals("no-such-table.txt: no such file");
/// }
/// ```
public final class InputMissingException extends FerryException {
    private final String missing;

    /// @param message what the person reads
    /// @param missing the path that is not there, as it was given
    public InputMissingException(String message, String missing) {
        super(message);
        this.missing = missing;
    }

    /// {@return the path that is not there, as it was given}
    public String missing() {
        return missing;
    }

    /// {@return `{"missing": PATH}`}
    @Override
    public Map<String, Object> details() {
        return Map.of("missing", missing);
    }
}
