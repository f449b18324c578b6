package io.ferry.hdf5;

/// How chunks are compressed: not at all, or with HDF5's standard `deflate` filter (gzip, zlib
/// format), which every HDF5 reader decodes without plugins.
///
/// ```java
/// Compression none = Compression.NONE;
/// Compression gzip = Compression.gzip(4);
/// assert gzip instanceof Compression.Gzip g && g.level() == 4;
/// ```
public sealed interface Compression {
    /// No compression.
    Compression NONE = new None();

    /// {@return gzip (HDF5's deflate filter) at `level` 1 (fastest) to 9 (smallest)}
    static Compression gzip(int level) {
        return new Gzip(level);
    }

    /// {@return the compression `text` names}: `none`, `gzip` (level 4) or `gzip:LEVEL`, in any case
    /// @throws IllegalArgumentException for anything else, or a level outside 1 to 9
    static Compression parse(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        if (t.equals("gzip")) {
            return gzip(4);
        }
        if (t.startsWith("gzip:")) {
            try {
                return gzip(Integer.parseInt(t.substring(5)));
            } catch (IllegalArgumentException e) {   // not a number, or not 1 to 9
                throw new IllegalArgumentException("compression gzip takes a level from 1 to 9, as gzip:4, not '" + text + "'");
            }
        }
        throw new IllegalArgumentException("compression is none, gzip or gzip:LEVEL (1-9), not '" + text + "'");
    }

    /// No compression.
    record None() implements Compression {
        @Override
        public String toString() {
            return "none";
        }
    }

    /// HDF5's deflate filter at a zlib level.
    ///
    /// @param level 1 (fastest) to 9 (smallest)
    record Gzip(int level) implements Compression {
        public Gzip {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("gzip level is 1 to 9, not " + level);
            }
        }

        @Override
        public String toString() {
            return "gzip(" + level + ")";
        }
    }
}
