package io.ferry.hdf5;

import io.ferry.FerryException;

/// HDF5 refused something: the message carries HDF5's own error stack (what failed, in which
/// function, HDF5's major and minor error), never just a negative return code.
public class Hdf5Exception extends FerryException {
    public Hdf5Exception(String message) {
        super(message);
    }

    public Hdf5Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
