package io.ferry.hdf5;

/// A dataset's HDF5 type has no numpy-compatible dtype in Ferry (variable-length strings, nested
/// compounds, arrays, references, ...). The message names the dataset or member and the type.
public class UnsupportedTypeException extends Hdf5Exception {
    public UnsupportedTypeException(String message) {
        super(message);
    }
}
