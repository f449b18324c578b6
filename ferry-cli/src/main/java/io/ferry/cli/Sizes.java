package io.ferry.cli;

/// Sizes on the command line: `256M`, `1G`, `65536`, `64k` (powers of 1024).
final class Sizes {
    private Sizes() {
    }

    static long parse(String option, String text) {
        String t = text.strip().toUpperCase();
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> unit = 1;
            }
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(digits.strip());
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException(option + " takes a size such as 256M, 1G or 65536, not '" + text + "'");
        }
    }
}
