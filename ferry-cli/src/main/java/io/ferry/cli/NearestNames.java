package io.ferry.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/// The names a mistyped word was most likely meant to be, for "did you mean …?": those fewest
/// edits away (insertions, deletions, substitutions, swaps of two neighbours), and only when that
/// is few for the word's length, so that `conver` suggests `convert` and not `generate` too.
final class NearestNames {
    private NearestNames() {
    }

    /// {@return the names of `names` nearest `typed`, in their order}; none when all are far
    static List<String> nearest(String typed, Collection<String> names) {
        int limit = Math.max(2, typed.length() / 3);
        int best = Integer.MAX_VALUE;
        List<String> nearest = new ArrayList<>();
        for (String name : names) {
            int d = name.startsWith(typed) && typed.length() >= 3 ? 1 : distance(typed, name);
            if (d > limit || d > best) {
                continue;
            }
            if (d < best) {
                best = d;
                nearest.clear();
            }
            nearest.add(name);
        }
        return nearest;
    }

    /// {@return the optimal string alignment distance between `a` and `b`}
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
