package io.ferry.hdf5;

import io.ferry.FerryException;

import java.nio.file.Path;

/// The output file exists and the caller did not ask to replace it
/// ([SinkOptions.Builder#overwrite(boolean)]). Thrown before anything is written.
public class TargetExistsException extends FerryException {
    private final Path target;

    public TargetExistsException(Path target) {
        super(target + " exists; pass overwrite (SinkOptions.builder().overwrite(true), or --overwrite) to replace it");
        this.target = target;
    }

    /// {@return the file that is in the way}
    public Path target() {
        return target;
    }
}
