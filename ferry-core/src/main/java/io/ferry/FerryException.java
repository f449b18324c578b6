package io.ferry;

/// The root of every exception Ferry throws on purpose.
///
/// Each package has its own subclasses, named for what went wrong
/// ([io.ferry.dtype.DTypeSpecException], ...). Anything else escaping Ferry's API is a bug.
public class FerryException extends RuntimeException {
    public FerryException(String message) {
        super(message);
    }

    public FerryException(String message, Throwable cause) {
        super(message, cause);
    }
}
