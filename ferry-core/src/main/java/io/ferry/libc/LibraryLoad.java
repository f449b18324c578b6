package io.ferry.libc;

import java.util.List;
import java.util.function.Function;

/// What loading an optional system library once per JVM came to: the bound library and the name
/// it was found by, or why it could not be had (not found, a symbol missing, too old, native
/// access denied), so callers can fall back and say why.
///
/// @param library the bound library, or null
/// @param name    the name it was found by, such as `libdeflate.so.0`, or null
/// @param problem why it could not be loaded, or null when it was
public record LibraryLoad<T>(T library, String name, String problem) {
    /// {@return the outcome of finding `what` under the first of `names` that loads
    /// ([SystemLibrary#find]) and binding its calls with `bind`}: the library, or the message of
    /// what either threw
    public static <T> LibraryLoad<T> attempt(String what, List<String> names, String debianPackage, Function<SystemLibrary, T> bind) {
        try {
            SystemLibrary found = SystemLibrary.find(what, names, debianPackage);
            return new LibraryLoad<>(bind.apply(found), found.name(), null);
        } catch (RuntimeException | LinkageError e) {
            return new LibraryLoad<>(null, null, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    /// {@return whether the library was loaded}
    public boolean available() {
        return library != null;
    }

    /// {@return the loaded library}
    /// @throws IllegalStateException saying why it could not be loaded
    public T get() {
        if (library == null) {
            throw new IllegalStateException(problem);
        }
        return library;
    }

    /// {@return the name the library was found by}
    /// @throws IllegalStateException saying why it could not be loaded
    public String foundAs() {
        get();
        return name;
    }

    /// {@return why the library could not be loaded}, or an empty string when it was
    public String problemOrEmpty() {
        return problem == null ? "" : problem;
    }
}
