package io.ferry.file;

import java.util.Comparator;

/// Orders names as people number files: `part2` before `part10`, `part02b` between them.
///
/// ```java
/// List<String> names = new ArrayList<>(List.of("part10", "part2", "part1"));
/// names.sort(NaturalOrder.NATURAL);   // part1, part2, part10
/// ```
public final class NaturalOrder {
    /// Digit runs compare by value, the rest character by character.
    public static final Comparator<String> NATURAL = NaturalOrder::compare;

    private NaturalOrder() {
    }

    private static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = i;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                String na = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
