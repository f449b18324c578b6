package io.ferry.dtype;

/// Python's `repr` and `json.dumps` of a string, so descrs print exactly as numpy's do.
final class PythonLiterals {
    private PythonLiterals() {
    }

    /// Python 3's `repr(str)`: single quotes unless the text has a single quote and no double one;
    /// a character Python does not print (`str.isprintable`) escaped as Python escapes it (`\xa0`,
    /// or a backslash, `u` and 4 hex digits past U+00FF, `U` and 8 past U+FFFF),
    /// so that `np.save`'s header of a name with a no-break space reads `'a\xa0b'`. Java's Unicode
    /// is newer than Python 3.11's: a character assigned since is printed where Python escapes it.
    static String repr(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder(s.length() + 2).append(q);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\\' || c == q) {
                b.append('\\').append((char) c);
            } else if (c == '\t' || c == '\n' || c == '\r') {
                b.append(c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r");
            } else if (printable(c)) {
                b.appendCodePoint(c);
            } else {
                b.append(c < 0x100 ? String.format("\\x%02x", c)
                        : c < 0x10000 ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
            }
        }
        return b.append(q).toString();
    }

    /// Python's `str.isprintable` of one character: not a control, format, surrogate, private-use,
    /// unassigned or separator character, the space excepted.
    private static boolean printable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
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
