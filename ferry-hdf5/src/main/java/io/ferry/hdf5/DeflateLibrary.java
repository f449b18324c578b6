package io.ferry.hdf5;

import java.util.Locale;

/// Which library deflates chunks when Ferry compresses them itself ([SinkOptions#parallelCompression()]).
/// Both write the same standard zlib streams that HDF5's deflate filter reads; they differ in speed
/// and, a little, in the bytes they choose (so files differ in size, not in content).
///
/// ```java
/// SinkOptions o = SinkOptions.builder().compression(Compression.gzip(4)).deflateLibrary(DeflateLibrary.JAVA).build();
/// assert DeflateLibrary.JAVA.resolve() == DeflateLibrary.JAVA;
/// assert DeflateLibrary.AUTO.resolve() != DeflateLibrary.AUTO;
/// ```
public enum DeflateLibrary {
    /// The system property `ferry.deflate` (`java` or `libdeflate`) when set, else libdeflate when
    /// it loads, else `java.util.zip`.
    AUTO,
    /// The JDK's `java.util.zip.Deflater` (zlib): always there.
    JAVA,
    /// The system's libdeflate (`libdeflate.so.0`, Debian's `libdeflate0`), through FFM: faster
    /// than zlib at the same level.
    LIBDEFLATE;

    /// The system property that picks the library for [#AUTO]: `java`, `libdeflate` or `auto`.
    public static final String PROPERTY = "ferry.deflate";

    /// {@return [#JAVA] or [#LIBDEFLATE]}: this one, or for [#AUTO] the one it stands for now
    /// @throws IllegalArgumentException when `ferry.deflate` holds something else than java, libdeflate or auto
    /// @throws Hdf5Exception            when libdeflate is asked for and cannot be loaded, saying why
    public DeflateLibrary resolve() {
        return resolve(System.getProperty(PROPERTY));
    }

    /// As [#resolve()], with `property` standing in for the system property (null: unset).
    DeflateLibrary resolve(String property) {
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
            return Libdeflate.available() ? LIBDEFLATE : JAVA;
        }
        if (wanted == LIBDEFLATE && !Libdeflate.available()) {
            throw new Hdf5Exception("libdeflate was asked for, but it cannot be loaded: " + Libdeflate.problem());
        }
        return wanted;
    }
}
