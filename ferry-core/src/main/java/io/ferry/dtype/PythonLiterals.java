package io.ferry.dtype;

/// Python's `repr` and `json.dumps` of a string, so descrs print exactly as numpy's do.
final class PythonLiterals {
    private PythonLiterals() {
    }

    /// Python 3's `repr(str)`: single quotes unless the text has a single quote and no double one.
    static String repr(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder(s.length() + 2).append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == q) {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        return b.append(q).toString();
    }

    /// `json.dumps(str)` with its default `ensure_ascii=True`.
    static String json(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
