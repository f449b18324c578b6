package io.ferry.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.ArrayList;
import java.util.List;

/// A shared library of the system, found by the first of several names that loads (Debian's runtime
/// packages ship only the versioned name; a `-dev` package or a local build adds the plain one).
/// It stays loaded as long as the JVM runs. Ferry's optional libraries (libdeflate, ISA-L) are found
/// so, by ferry-core's gzip reader and ferry-hdf5's chunk deflaters alike.
///
/// @param name   the name it was found by, such as `libdeflate.so.0`
/// @param lookup its symbols
@SuppressWarnings("restricted")   // native access is the point; ./ferry and the tests enable it
public record SystemLibrary(String name, SymbolLookup lookup) {
    /// {@return the library under the first of `names` that loads}
    /// @throws IllegalStateException naming `what`, the names tried and the Debian package to install
    public static SystemLibrary find(String what, List<String> names, String debianPackage) {
        List<String> tried = new ArrayList<>();
        for (String n : names) {
            try {
                return new SystemLibrary(n, SymbolLookup.libraryLookup(n, Arena.global()));
            } catch (IllegalArgumentException notFound) {
                tried.add(n);
            }
        }
        throw new IllegalStateException(what + " not found (tried " + String.join(", ", tried)
                + "; on Debian or Ubuntu: apt-get install " + debianPackage + ")");
    }
}
