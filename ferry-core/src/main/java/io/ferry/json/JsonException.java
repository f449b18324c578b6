package io.ferry.json;

import io.ferry.FerryException;

/// JSON that cannot be read, or a value of the wrong type; the message gives the position when known.
public final class JsonException extends FerryException {
    private final int position;

    JsonException(String why, int position) {
        super(position >= 0 ? "bad JSON at character " + (position + 1) + ": " + why : why);
        this.position = position;
    }

    /// {@return the 0-based position of the problem, or -1 when it is about a value's type}
    public int position() {
        return position;
    }
}
