package io.ferry.cli;

/// Counts and durations for people, in progress lines and summaries (sizes: [io.ferry.Sizes]).
final class Units {
    private Units() {
    }

    /// {@return `n` with thousands separators}
    static String count(long n) {
        // By hand: String.format's "%,d" loads the locale's number formats, 20 ms of a short run.
        String digits = Long.toString(n).substring(n < 0 ? 1 : 0);
        StringBuilder s = new StringBuilder(n < 0 ? "-" : "");
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                s.append(',');
            }
            s.append(digits.charAt(i));
        }
        return s.toString();
    }

    /// {@return `n` and `noun`, singular for one}: `1 row`, `2 rows`, `1,000 datasets`; every
    /// count a message prints goes through it (nouns with a plain `s` plural only)
    static String counted(long n, String noun) {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /// {@return `seconds` as `m:ss` or `h:mm:ss`}
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
