package io.ferry.array;

import io.ferry.FerryException;

import java.nio.file.Path;

/// A file that is not an `.npy` Ferry can read; the message names the file and what is wrong.
public final class NpyFormatException extends FerryException {
    NpyFormatException(Path file, String why) {
        super(file + " " + why);
    }
}
