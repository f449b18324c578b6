package io.ferry.hdf5;

/// How chunks are compressed: not at all, or with HDF5's standard `deflate` filter (gzip, zlib
/// format), which every HDF5 reader decodes without plugins: at a zlib level, or as fast as this
/// machine can.
///
/// ```java
/// Compression none = Compression.NONE;
/// Compression gzip = Compression.gzip(4);
/// assert gzip instanceof Compression.Gzip g && g.level() == 4;
/// assert Compression.parse("gzip:fast") == Compression.GZIP_FAST && Compression.GZIP_FAST.filterLevel() == 1;
/// ```
public sealed interface Compression {
    /// No compression.
    Compression NONE = new None();

    /// The deflate filter written as fast as this machine can: by ISA-L at its level 1 when
    /// Debian's `libisal2` is installed ([io.ferry.hdf5.deflate.DeflateLibrary#resolveFastest()]),
    /// else at zlib's level 1. The file records level 1; any HDF5 reader decodes it.
    Compression GZIP_FAST = new GzipFast();

    /// {@return gzip (HDF5's deflate filter) at `level` 1 (fastest) to 9 (smallest)}
    static Compression gzip(int level) {
        return new Gzip(level);
    }

    /// {@return the compression `text` names}: `none`, `gzip` (level 4), `gzip:LEVEL` or
    /// `gzip:fast`, in any case
    /// @throws IllegalArgumentException for anything else, or a level outside 1 to 9
    static Compression parse(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        if (t.equals("gzip")) {
            return gzip(4);
        }
        if (t.equals("gzip:fast")) {
            return GZIP_FAST;
        }
        if (t.startsWith("gzip:")) {
            try {
                return gzip(Integer.parseInt(t.substring(5)));
            } catch (IllegalArgumentException e) {   // not a number, or not 1 to 9
                throw new IllegalArgumentException("compression gzip takes a level from 1 to 9 or fast, as gzip:4, not '" + text + "'");
            }
        }
        throw new IllegalArgumentException("compression is none, gzip, gzip:LEVEL (1-9) or gzip:fast, not '" + text + "'");
    }

    /// {@return the deflate level the file's filter records}: 0 for none, else 1 to 9
    int filterLevel();

    /// {@return the text [#parse(String)] reads back as this compression}: `none`, `gzip:4`, `gzip:fast`
    default String spec() {
        return switch (this) {
            case None n -> "none";
            case Gzip g -> "gzip:" + g.level();
            case GzipFast f -> "gzip:fast";
        };
    }

    /// No compression.
    record None() implements Compression {
        @Override
        public int filterLevel() {
            return 0;
        }

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
        public int filterLevel() {
            return level;
        }

        @Override
        public String toString() {
            return "gzip(" + level + ")";
        }
    }

    /// [#GZIP_FAST]: HDF5's deflate filter, written by the fastest deflater available.
    record GzipFast() implements Compression {
        @Override
        public int filterLevel() {
            return 1;
        }

        @Override
        public String toString() {
            return "gzip(fast)";
        }
    }
}
