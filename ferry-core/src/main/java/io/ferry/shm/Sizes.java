package io.ferry.shm;

import java.util.Locale;

/// Byte counts for people: `2.5 GiB`.
public final class Sizes {
    private Sizes() {
    }

    /// {@return `bytes` in the largest binary unit that keeps a digit before the point}: `512 B`, `1.5 KiB`, `64 MiB`
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
