package io.ferry;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/// The root of every exception Ferry throws on purpose.
///
/// Each package has its own subclasses, named for what went wrong
/// ([io.ferry.dtype.DTypeSpecException], ...). Anything else escaping Ferry's API is a bug.
///
/// Some say what the person could change to get past them ([#hint()]): the message says what is
/// wrong, and the hint, which a front end words with its own spelling of the option, how to fix
/// the call.
public class FerryException extends RuntimeException {
    private final Hint hint;
    /// Whether this error says what to change itself, with no hint meaning none: the hints of its
    /// causes are then not its own
    private final boolean decidesHint;

    public FerryException(String message) {
        this(message, (Hint) null);
    }

    public FerryException(String message, Throwable cause) {
        super(message, cause);
        this.hint = null;
        this.decidesHint = false;
    }

    /// An error with what to change to get past it; `hint` may be null when Ferry cannot tell.
    public FerryException(String message, Hint hint) {
        super(message);
        this.hint = hint;
        this.decidesHint = false;
    }

    /// An error about `cause` that says itself what to change (`hint`, or null for nothing): the
    /// cause's hint is not passed on. A parse error under an inferred dtype is so: its hint
    /// (`lenient`, which cuts `12.5` to 12) would hide that the dtype is what is wrong.
    public FerryException(String message, Throwable cause, Hint hint) {
        super(message, cause);
        this.hint = hint;
        this.decidesHint = true;
    }

    /// {@return what the person could change to get past this error}, when Ferry can tell
    public Optional<Hint> hint() {
        return Optional.ofNullable(hint);
    }

    /// {@return the error's facts for a program, as JSON values by name}: none here; a parse error
    /// gives its file, line, column, field and text. A worker JVM sends them with the message, so an
    /// error parsed in a child says the same as one parsed in a thread.
    public Map<String, Object> details() {
        return Map.of();
    }

    /// {@return the hint of the first Ferry exception in `error`'s chain of causes that has one}:
    /// an error wrapped on its way (a worker's, a part's) keeps what to change
    public static Optional<Hint> hintIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FerryException f && (f.hint != null || f.decidesHint)) {
                return f.hint();
            }
        }
        return Optional.empty();
    }

    /// {@return the facts of the first Ferry exception in `error`'s chain of causes that has
    /// some}, empty when none has: a parse error wrapped on its way keeps its file and line
    public static Map<String, Object> detailsIn(Throwable error) {
        return firstIn(error, f -> Optional.of(f.details()).filter(d -> !d.isEmpty())).orElse(Map.of());
    }

    private static <T> Optional<T> firstIn(Throwable error, Function<FerryException, Optional<T>> what) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<T> found = t instanceof FerryException f ? what.apply(f) : Optional.empty();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
