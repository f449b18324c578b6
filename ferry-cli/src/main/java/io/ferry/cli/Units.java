package io.ferry.cli;

/// Human-readable sizes, counts and durations for progress lines and summaries.
final class Units {
    private Units() {
    }

    /// {@return `bytes` in B, KB, MB, GB (powers of 1000, as rates in MB/s are usually quoted)}
    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /// {@return `n` with thousands separators}
    static String count(long n) {
        return String.format("%,d", n);
    }

    /// {@return `seconds` as `m:ss` or `h:mm:ss`}
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
