package io.ferry.hdf5;

import java.nio.file.Path;
import java.util.Objects;

/// One piece of a virtual dataset: the first `rows` rows of dataset `dataset` in HDF5 file `file`.
///
/// @param file    the HDF5 file holding the piece
/// @param dataset the dataset's name in it
/// @param rows    its length along the first axis
public record VirtualSource(Path file, String dataset, long rows) {
    public VirtualSource {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(dataset, "dataset");
        if (rows < 0) {
            throw new IllegalArgumentException("rows must not be negative, not " + rows);
        }
    }
}
