package io.ferry.hdf5;

import java.util.Locale;

/// Which library deflates chunks when Ferry compresses them itself ([SinkOptions#parallelCompression()]).
/// All write the same standard zlib streams that HDF5's deflate filter reads; they differ in speed
/// and in the bytes they choose (so files differ in size, not in content).
///
/// ```java
/// SinkOptions o = SinkOptions.builder().compression(Compression.gzip(4)).deflateLibrary(DeflateLibrary.JAVA).build();
/// assert DeflateLibrary.JAVA.resolve() == DeflateLibrary.JAVA;
/// assert DeflateLibrary.AUTO.resolve() != DeflateLibrary.AUTO;
/// assert DeflateLibrary.AUTO.resolve(Compression.GZIP_FAST) != DeflateLibrary.AUTO;
/// ```
public enum DeflateLibrary {
    /// The system property `ferry.deflate` (`java` or `libdeflate`) when set; else, for
    /// [Compression#GZIP_FAST], ISA-L when it loads; else libdeflate when it loads, else `java.util.zip`.
    AUTO,
    /// The JDK's `java.util.zip.Deflater` (zlib): always there.
    JAVA,
    /// The system's libdeflate (`libdeflate.so.0`, Debian's `libdeflate0`), through FFM: faster
    /// than zlib at the same level.
    LIBDEFLATE,
    /// Intel's ISA-L (`libisal.so.2`, Debian's `libisal2`), through FFM, at its level 1: for
    /// [Compression#GZIP_FAST] only, since its levels are not zlib's. About four times as fast as
    /// libdeflate's level 1 on shuffled records, with files 10–15 % larger.
    ISAL;

    /// The system property that picks the library for [#AUTO]: `java`, `libdeflate` or `auto`.
    public static final String PROPERTY = "ferry.deflate";

    /// {@return the library that deflates at a zlib level ([Compression#gzip(int)])}: as
    /// [#resolve(Compression)] for gzip at level 4
    public DeflateLibrary resolve() {
        return resolve(Compression.gzip(4));
    }

    /// {@return the library that deflates chunks for `compression`}: this one, or for [#AUTO] the
    /// one it stands for now; never [#AUTO]
    /// @throws IllegalArgumentException when `ferry.deflate` holds something else than java,
    ///                                  libdeflate or auto, or ISA-L is asked for a zlib level
    /// @throws Hdf5Exception            when a library asked for cannot be loaded, saying why
    public DeflateLibrary resolve(Compression compression) {
        return resolve(System.getProperty(PROPERTY), compression == Compression.GZIP_FAST);
    }

    /// As [#resolve(Compression)], with `property` standing in for the system property (null: unset).
    DeflateLibrary resolve(String property, boolean fast) {
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
            return fast && Isal.available() ? ISAL : Libdeflate.available() ? LIBDEFLATE : JAVA;
        }
        if (wanted == ISAL && !fast) {
            throw new IllegalArgumentException("ISA-L deflates for gzip:fast only: its levels are not zlib's");
        }
        if (wanted == ISAL && !Isal.available()) {
            throw new Hdf5Exception("ISA-L was asked for, but it cannot be loaded: " + Isal.problem());
        }
        if (wanted == LIBDEFLATE && !Libdeflate.available()) {
            throw new Hdf5Exception("libdeflate was asked for, but it cannot be loaded: " + Libdeflate.problem());
        }
        return wanted;
    }
}
