package io.ferry.hdf5.deflate;

import io.ferry.libc.LibraryLoad;

import java.util.Locale;

/// Which library deflates chunks when Ferry compresses them itself, off the HDF5 library. All
/// write the standard zlib streams HDF5's deflate filter reads; they differ in speed and in the
/// bytes they choose (so files differ in size, not in content).
///
/// Two kinds of deflate are asked for: at one of zlib's levels (1 to 9, `gzip:LEVEL`), which
/// java.util.zip and libdeflate offer, and as fast as this machine can (`gzip:fast`), where ISA-L
/// comes first: its level 1 is about four times as fast as libdeflate's level 1 on shuffled
/// records, for files 10–15 % larger, but its levels are not zlib's.
///
/// ```java
/// assert DeflateLibrary.JAVA.resolve() == DeflateLibrary.JAVA;
/// assert DeflateLibrary.AUTO.resolve() != DeflateLibrary.AUTO;
/// assert DeflateLibrary.AUTO.resolveFastest() != DeflateLibrary.AUTO;
/// assert DeflateLibrary.JAVA.available() && DeflateLibrary.JAVA.problem().isEmpty();
/// ```
public enum DeflateLibrary {
    /// The system property `ferry.deflate` (`java` or `libdeflate`) when set; else, for the
    /// fastest deflate, ISA-L when it loads; else libdeflate when it loads, else `java.util.zip`.
    AUTO,
    /// The JDK's `java.util.zip.Deflater` (zlib): always there.
    JAVA,
    /// The system's libdeflate (`libdeflate.so.0`, Debian's `libdeflate0`), through FFM: about
    /// twice as fast as zlib at the same level.
    LIBDEFLATE,
    /// Intel's ISA-L (`libisal.so.2`, Debian's `libisal2`), through FFM, at its level 1: for the
    /// fastest deflate only, since its levels are not zlib's.
    ISAL;

    /// The system property that picks the library for [#AUTO]: `java`, `libdeflate` or `auto`.
    public static final String PROPERTY = "ferry.deflate";

    /// {@return the library that deflates at one of zlib's levels}: this one, or for [#AUTO] the
    /// one it stands for now; never [#AUTO]
    /// @throws IllegalArgumentException when `ferry.deflate` holds something else than java,
    ///                                  libdeflate or auto, or for [#ISAL], whose levels are not zlib's
    /// @throws LibraryUnavailableException when the library asked for cannot be loaded, saying why
    public DeflateLibrary resolve() {
        return resolve(System.getProperty(PROPERTY), false);
    }

    /// {@return the library that deflates as fast as this machine can}: this one, or for [#AUTO]
    /// ISA-L when it loads, else what [#resolve()] gives; never [#AUTO]
    /// @throws IllegalArgumentException when `ferry.deflate` holds something else than java,
    ///                                  libdeflate or auto
    /// @throws LibraryUnavailableException when the library asked for cannot be loaded, saying why
    public DeflateLibrary resolveFastest() {
        return resolve(System.getProperty(PROPERTY), true);
    }

    /// As [#resolve()] or, with `fastest`, [#resolveFastest()], with `property` standing in for
    /// the system property (null: unset).
    DeflateLibrary resolve(String property, boolean fastest) {
        DeflateLibrary wanted = this;
        if (this == AUTO && property != null && !property.isBlank()) {
            wanted = switch (property.strip().toLowerCase(Locale.ROOT)) {
                case "java" -> JAVA;
                case "libdeflate" -> LIBDEFLATE;
                case "auto" -> AUTO;
                default -> throw new IllegalArgumentException(
                        "-D" + PROPERTY + " is java, libdeflate or auto, not '" + property + "'");
            };
        }
        if (wanted == AUTO) {
            return fastest && ISAL.available() ? ISAL : LIBDEFLATE.available() ? LIBDEFLATE : JAVA;
        }
        if (wanted == ISAL && !fastest) {
            throw new IllegalArgumentException("ISA-L deflates for gzip:fast only: its levels are not zlib's");
        }
        if (!wanted.available()) {
            throw new LibraryUnavailableException(wanted.shortName() + " was asked for, but it cannot be loaded: "
                    + wanted.problem());
        }
        return wanted;
    }

    /// {@return whether this library can deflate in this JVM}: always for [#JAVA] and [#AUTO]
    /// (which falls back to it), for the others when the system's library loaded
    public boolean available() {
        LibraryLoad<?> load = systemLibrary();
        return load == null || load.available();
    }

    /// {@return why this library cannot be loaded}, such as `libdeflate not found (tried …; on
    /// Debian or Ubuntu: apt-get install libdeflate0)`; empty when it can
    public String problem() {
        LibraryLoad<?> load = systemLibrary();
        return load == null ? "" : load.problemOrEmpty();
    }

    /// {@return how loading the system library this stands for went}, or null when it needs none
    private LibraryLoad<?> systemLibrary() {
        return switch (this) {
            case AUTO, JAVA -> null;
            case LIBDEFLATE -> Libdeflate.LOADED;
            case ISAL -> Isal.LOADED;
        };
    }

    /// {@return what deflates, as a person reads it}: `java.util.zip`, `libdeflate
    /// (libdeflate.so.0)`, `ISA-L (libisal.so.2)`, with the file the library was loaded from
    /// @throws IllegalStateException for [#AUTO], or a library that cannot be loaded
    public String description() {
        if (this == AUTO) {
            throw new IllegalStateException("resolve AUTO first");
        }
        LibraryLoad<?> load = systemLibrary();
        return load == null ? shortName() : shortName() + " (" + load.foundAs() + ")";
    }

    private String shortName() {
        return switch (this) {
            case AUTO -> "auto";
            case JAVA -> "java.util.zip";
            case LIBDEFLATE -> "libdeflate";
            case ISAL -> "ISA-L";
        };
    }
}
