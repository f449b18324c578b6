package io.ferry.hdf5;

import io.ferry.file.OutputFileException;

import java.nio.file.Path;

/// The output file exists and the caller did not ask to replace it
/// ([WriteOptions.Builder#overwrite(boolean)]). Thrown before anything is written.
public class TargetExistsException extends OutputFileException {
    public TargetExistsException(Path target) {
        super(Problem.EXISTS, target, target + " exists; pass overwrite (WriteOptions.builder().overwrite(true), or --force) to replace it");
    }

    /// {@return the file that is in the way}
    public Path target() {
        return output();
    }
}
