package io.ferry.hdf5.deflate;

import java.util.function.Supplier;

/// What loading an optional native library once per JVM came to: the bound library, or why it
/// could not be had (not found, a symbol missing, too old, native access denied), so callers can
/// fall back and say why.
///
/// @param library the bound library, or null
/// @param problem why it could not be loaded, or null when it was
record LibraryLoad<T>(T library, String problem) {
    /// {@return the outcome of `load`}: its library, or the message of what it threw
    static <T> LibraryLoad<T> attempt(Supplier<T> load) {
        try {
            return new LibraryLoad<>(load.get(), null);
        } catch (RuntimeException | LinkageError e) {
            return new LibraryLoad<>(null, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    /// {@return whether the library was loaded}
    boolean available() {
        return library != null;
    }

    /// {@return the loaded library}
    /// @throws IllegalStateException saying why it could not be loaded
    T get() {
        if (library == null) {
            throw new IllegalStateException(problem);
        }
        return library;
    }

    /// {@return why the library could not be loaded}, or an empty string when it was
    String problemOrEmpty() {
        return problem == null ? "" : problem;
    }
}
