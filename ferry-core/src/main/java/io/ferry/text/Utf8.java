package io.ferry.text;

/// The text rules numpy's loader applies after Python decodes a file as UTF-8, done on the bytes:
/// which characters are whitespace, and what an `S<n>` field holds.
///
/// numpy 1.24's `loadtxt` opens a file in text mode with the locale's encoding (UTF-8 on every
/// system Ferry targets), splits and strips with `Py_UNICODE_ISSPACE` (Python's `str.isspace()`),
/// and stores an `S` field's characters encoded as Latin-1: `é` is the byte `0xe9`, and a
/// character past U+00FF cannot be stored. These checks run only on the slow paths: the parse loop
/// sends a field there when it meets a byte at or above 0x80.
///
/// ```text
///  whitespace     ASCII: \t \v \f \x1c-\x1f space     (\n and \r end the line)
///                 C2 85 (NEL)  C2 A0 (no-break space)  E1 9A 80 (ogham space)
///                 E2 80 80-8A (en quad .. hair space)  E2 80 A8 / A9 (line, paragraph separator)
///                 E2 80 AF (narrow no-break space)  E2 81 9F (medium math space)  E3 80 80 (ideographic)
/// ```
final class Utf8 {
    /// [#latin1] found bytes that are not UTF-8, as Python's strict decoder judges them.
    static final int NOT_UTF8 = -1;
    /// [#latin1] found a character past U+00FF.
    static final int NOT_LATIN1 = -2;

    private Utf8() {
    }

    /// {@return whether Python's `str.isspace()` accepts the character `c`}
    static boolean isPythonSpace(int c) {
        return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f
                || c == 0x3000;
    }

    /// {@return the bytes of the whitespace character at `b[p]`, 0 if there is none}: line breaks
    /// are not whitespace here; a character must end before `end`
    static int spaceAt(byte[] b, int p, int end) {
        if (p >= end) {
            return 0;
        }
        int c = b[p] & 0xff;
        if (c < 0x80) {
            return c != '\n' && c != '\r' && isPythonSpace(c) ? 1 : 0;
        }
        if (c == 0xc2) {
            return p + 1 < end && (b[p + 1] == (byte) 0x85 || b[p + 1] == (byte) 0xa0) ? 2 : 0;
        }
        if (c < 0xe1 || c > 0xe3 || p + 2 >= end) {
            return 0;
        }
        int x = b[p + 1] & 0xff;
        int y = b[p + 2] & 0xff;
        boolean space = switch (c) {
            case 0xe1 -> x == 0x9a && y == 0x80;
            case 0xe2 -> (x == 0x80 && (y <= 0x8a && y >= 0x80 || y == 0xa8 || y == 0xa9 || y == 0xaf))
                    || (x == 0x81 && y == 0x9f);
            default -> x == 0x80 && y == 0x80;
        };
        return space ? 3 : 0;
    }

    /// {@return the bytes of the whitespace character that ends just before `end`, 0 if there is
    /// none}; it must start at or after `from`
    static int spaceBefore(byte[] b, int from, int end) {
        if (end - 1 >= from && spaceAt(b, end - 1, end) == 1) {
            return 1;
        }
        if (end - 2 >= from && spaceAt(b, end - 2, end) == 2) {
            return 2;
        }
        return end - 3 >= from && spaceAt(b, end - 3, end) == 3 ? 3 : 0;
    }

    /// {@return whether `b[from, to)` holds no byte at or above 0x80}
    static boolean isAscii(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /// Decodes `src[from, to)` as UTF-8 (strictly, as Python does) and writes its first `max`
    /// characters as Latin-1 bytes to `dst` from `at`, as numpy stores an `S` field: numpy cuts
    /// the text to the field's size first, so only those characters need to be Latin-1 (`€` past
    /// an `S1`'s one character is cut, not refused).
    ///
    /// {@return the number of characters (written or not), or [#NOT_UTF8] or [#NOT_LATIN1]}
    static int latin1(byte[] src, int from, int to, byte[] dst, int at, int max) {
        int n = 0;
        int p = from;
        while (p < to) {
            int c = src[p] & 0xff;
            if (c < 0x80) {
                if (n < max) {
                    dst[at + n] = (byte) c;
                }
                n++;
                p++;
                continue;
            }
            int length = sequenceLength(src, p, to);
            if (length < 0) {
                return NOT_UTF8;
            }
            if (length > 2 || c > 0xc3) {
                if (n < max) {
                    return NOT_LATIN1;
                }
                n++; // past the field: cut, whatever it is
                p += length;
                continue;
            }
            if (n < max) {
                dst[at + n] = (byte) (((c & 0x1f) << 6) | (src[p + 1] & 0x3f));
            }
            n++;
            p += 2;
        }
        return n;
    }

    /// {@return the characters in `b[from, to)` if it is UTF-8, else its bytes}: how far into a
    /// line an editor counts a column (`éé,x`: `x` is the 4th character, the 6th byte)
    static int characters(byte[] b, int from, int to) {
        int n = 0;
        for (int p = from; p < to; n++) {
            if (b[p] >= 0) {
                p++;
                continue;
            }
            int length = sequenceLength(b, p, to);
            if (length < 0) {
                return to - from; // Latin-1 or damaged: its bytes are its characters
            }
            p += length;
        }
        return n;
    }

    /// {@return the length of the valid UTF-8 sequence at `b[p]` (whose lead byte is at or above
    /// 0x80), or -1}: no overlong forms, no surrogates, nothing past U+10FFFF
    private static int sequenceLength(byte[] b, int p, int to) {
        int c = b[p] & 0xff;
        int n;
        int low = 0x80;
        int high = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            low = c == 0xe0 ? 0xa0 : 0x80;
            high = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            low = c == 0xf0 ? 0x90 : 0x80;
            high = c == 0xf4 ? 0x8f : 0xbf;
        } else {
            return -1;
        }
        if (p + n > to) {
            return -1;
        }
        int second = b[p + 1] & 0xff;
        if (second < low || second > high) {
            return -1;
        }
        for (int i = 2; i < n; i++) {
            if ((b[p + i] & 0xc0) != 0x80) {
                return -1;
            }
        }
        return n;
    }

    /// {@return `b[from, to)` as a message shows it}: printable ASCII as it is, a tab as `\t` and a
    /// backslash as `\\`, as Python's repr writes them (a tab and a backslash before a `t` read the
    /// same), every other byte as `\xNN` (so no control character reaches a terminal, and no UTF-8
    /// text turns into Latin-1 look-alikes); cut after `max` bytes with `...`
    static String escape(byte[] b, int from, int to, int max) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to && i < from + max; i++) {
            int c = b[i] & 0xff;
            if (c == '\\') {
                s.append("\\\\");
            } else if (c == '\t') {
                s.append("\\t");
            } else if (c < 0x20 || c >= 0x7f) {
                s.append(String.format("\\x%02x", c));
            } else {
                s.append((char) c);
            }
        }
        if (to - from > max) {
            s.append("...");
        }
        return s.toString();
    }
}
