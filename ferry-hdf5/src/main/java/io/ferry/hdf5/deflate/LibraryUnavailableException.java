package io.ferry.hdf5.deflate;

import io.ferry.FerryException;

/// A deflate library that was asked for by name ([DeflateLibrary#LIBDEFLATE], [DeflateLibrary#ISAL],
/// or through `-Dferry.deflate`) cannot be loaded. The message says which, and why: not installed
/// (naming the Debian package), a symbol missing, too old, native access denied.
public class LibraryUnavailableException extends FerryException {
    public LibraryUnavailableException(String message) {
        super(message);
    }
}
