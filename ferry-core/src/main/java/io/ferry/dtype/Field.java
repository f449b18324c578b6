package io.ferry.dtype;

import java.util.Objects;

/// A named member of a structured dtype, at its byte offset within the record.
///
/// @param name   the field's name, unique within its dtype
/// @param type   its scalar type
/// @param offset bytes from the start of the record (numpy's packed layout)
public record Field(String name, ScalarType type, long offset) {
    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
    }

    /// {@return the field's size in bytes}
    public int size() {
        return type.size();
    }
}
