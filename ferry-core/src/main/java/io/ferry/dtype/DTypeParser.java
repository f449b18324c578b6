package io.ferry.dtype;

import io.ferry.Hint;

import java.nio.ByteOrder;
import java.util.Map;

/// Reads the spellings of a dtype that [DType#parse] accepts. Positions in errors are indexes into
/// the spec as given, so the caret points at the bad character.
final class DTypeParser {
    /// numpy's names for common types, accepted wherever a type string is.
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("bool", "b1"), Map.entry("?", "b1"),
            Map.entry("int8", "i1"), Map.entry("int16", "i2"), Map.entry("int32", "i4"), Map.entry("int64", "i8"),
            Map.entry("uint8", "u1"), Map.entry("uint16", "u2"), Map.entry("uint32", "u4"), Map.entry("uint64", "u8"),
            Map.entry("float32", "f4"), Map.entry("float64", "f8"));

    private final String spec;
    private int pos;

    private DTypeParser(String spec) {
        this.spec = spec;
    }

    /// {@return the dtype `spec` spells}
    /// @throws DTypeSpecException for a spec it does not read, with a hint ([NumpySpellings]) when
    ///         numpy's spelling of it is known
    static DType parse(String spec) {
        try {
            return read(spec);
        } catch (DTypeSpecException e) {
            Hint hint = spec == null ? null : NumpySpellings.hint(spec);
            throw hint == null ? e : e.withHint(hint);
        }
    }

    /// {@return the dtype `spec` spells}, without a hint in its errors
    static DType read(String spec) {
        if (spec == null) {
            throw new DTypeSpecException("", 0, "no dtype spec given");
        }
        DTypeParser p = new DTypeParser(spec);
        p.skipSpace();
        if (p.atEnd()) {
            throw p.error(p.pos, "empty dtype spec; give e.g. chr:S10,pos:i4 or <f8");
        }
        DType result;
        char c = spec.charAt(p.pos);
        if (c == '[') {
            result = p.descrList();
        } else if (c == '\'' || c == '"') {
            int start = p.pos;
            String type = p.stringLiteral();
            result = DType.of(p.scalar(type, start + 1));
        } else if (spec.indexOf(':') >= 0) {
            result = p.compact();
        } else {
            int start = p.pos;
            String word = p.word();
            result = DType.of(p.scalar(word, start));
        }
        p.skipSpace();
        if (!p.atEnd()) {
            throw p.error(p.pos, "unexpected text after the dtype: '" + spec.substring(p.pos) + "'");
        }
        return result;
    }

    static ScalarType parseScalar(String text) {
        if (text == null) {
            throw new DTypeSpecException("", 0, "no type given");
        }
        DTypeParser p = new DTypeParser(text);
        return p.scalar(text, 0);
    }

    /// `[('a', '<i4'), ...]` as Python prints it, or `[["a", "<i4"], ...]` as JSON.
    private DType descrList() {
        expect('[');
        DType.Builder b = DType.builder();
        skipSpace();
        if (peek() == ']') {
            throw error(pos, "a structured dtype needs at least one field");
        }
        while (true) {
            skipSpace();
            char open = peek();
            if (open != '(' && open != '[') {
                throw error(pos, "expected a field such as ('name', '<i4')");
            }
            pos++;
            skipSpace();
            int nameAt = pos;
            String name = stringLiteral();
            skipSpace();
            expect(',');
            skipSpace();
            int typeAt = pos;
            String type = stringLiteral();
            ScalarType t = scalar(type, typeAt + 1);
            skipSpace();
            if (peek() == ',') {
                int shapeAt = pos;
                pos++;
                skipSpace();
                if (peek() != ')' && peek() != ']') {
                    throw error(shapeAt, "sub-array fields (a shape after the type) are not supported");
                }
            }
            char close = open == '(' ? ')' : ']';
            expect(close);
            addField(b, name, t, nameAt);
            skipSpace();
            if (peek() == ',') {
                pos++;
                skipSpace();
                if (peek() == ']') { // Python allows a trailing comma
                    pos++;
                    break;
                }
                continue;
            }
            expect(']');
            break;
        }
        return b.build();
    }

    /// `chr:S10,pos:i4,pct:f4`: native byte order where none is given.
    private DType compact() {
        DType.Builder b = DType.builder();
        while (true) {
            skipSpace();
            int nameAt = pos;
            while (!atEnd() && peek() != ':' && peek() != ',' && !Character.isWhitespace(peek())) {
                pos++;
            }
            String name = spec.substring(nameAt, pos);
            skipSpace();
            if (atEnd() || peek() != ':') {
                throw error(pos, name.isEmpty() ? "expected name:type" : "expected ':' and a type after field '" + name + "'");
            }
            pos++;
            skipSpace();
            int typeAt = pos;
            String type = word();
            ScalarType t = scalar(type, typeAt);
            addField(b, name, t, nameAt);
            skipSpace();
            if (atEnd()) {
                break;
            }
            if (peek() != ',') {
                throw error(pos, "expected ',' between fields");
            }
            pos++;
        }
        return b.build();
    }

    private void addField(DType.Builder b, String name, ScalarType t, int at) {
        String problem = DType.nameProblem(name);
        if (problem != null) {
            throw error(at, problem);
        }
        if (b.has(name)) {
            throw error(at, "duplicate field name '" + name + "'");
        }
        b.add(name, t);
    }

    /// A type string such as `<i4`, `|S10`, `f8`, `?` or `float32`; `at` is where it starts in the spec.
    private ScalarType scalar(String text, int at) {
        if (text.isEmpty()) {
            throw error(at, "missing type; give e.g. i4, f8 or S10");
        }
        String t = ALIASES.getOrDefault(text, text);
        int i = 0;
        ByteOrder order = ByteOrder.nativeOrder();
        char first = t.charAt(0);
        if (first == '<' || first == '>' || first == '=' || first == '|') {
            order = first == '<' ? ByteOrder.LITTLE_ENDIAN : first == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.nativeOrder();
            i++;
        }
        if (i >= t.length()) {
            throw error(at + i, "missing kind after byte order '" + first + "'");
        }
        String rest = ALIASES.getOrDefault(t.substring(i), t.substring(i));
        Kind kind = Kind.ofCode(rest.charAt(0));
        if (kind == null) {
            throw error(at + i, "unknown type '" + text + "'; kinds are b1, i1 i2 i4 i8, u1 u2 u4 u8, f4 f8, S<n>");
        }
        String digits = rest.substring(1);
        if (digits.isEmpty()) {
            // numpy's bare 'b' is int8: 'b1' (bool) read its numbers as 0 and 1
            throw error(at + i + 1, "missing size after '" + kind.code() + "' (e.g. "
                    + (kind == Kind.BYTES ? "S10" : kind == Kind.BOOL ? "b1 for bool, i1 for int8" : kind.code() + "4") + ")");
        }
        for (int d = 0; d < digits.length(); d++) {
            if (digits.charAt(d) < '0' || digits.charAt(d) > '9') {
                throw error(at + i + 1 + d, "unexpected '" + digits.charAt(d) + "' in type '" + text + "'");
            }
        }
        int size;
        try {
            size = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw error(at + i + 1, "size too large in '" + text + "'");
        }
        String problem = ScalarType.sizeProblem(kind, size);
        if (problem != null) {
            throw error(at + i + 1, "size " + size + " for " + kind.code() + ": " + problem);
        }
        return new ScalarType(kind, size, order);
    }

    private String word() {
        int start = pos;
        while (!atEnd() && peek() != ',' && !Character.isWhitespace(peek())) {
            pos++;
        }
        return spec.substring(start, pos);
    }

    /// A quoted string, single or double quotes, with Python's and JSON's escapes.
    private String stringLiteral() {
        if (atEnd() || (peek() != '\'' && peek() != '"')) {
            throw error(pos, "expected a quoted string");
        }
        char q = spec.charAt(pos++);
        StringBuilder b = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw error(pos, "unterminated string");
            }
            char c = spec.charAt(pos++);
            if (c == q) {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (atEnd()) {
                throw error(pos, "unterminated string");
            }
            char e = spec.charAt(pos++);
            switch (e) {
                case '\\', '\'', '"', '/' -> b.append(e);
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'x' -> b.append(hex(2));
                case 'u' -> b.append(hex(4));
                case 'U' -> b.append(hex8());
                default -> throw error(pos - 2, "unknown escape '\\" + e + "'");
            }
        }
    }

    private char hex(int digits) {
        return (char) codePoint(digits);
    }

    /// `\U` and 8 hex digits, as Python's repr writes a character past U+FFFF it does not print.
    private String hex8() {
        int at = pos;
        int v = codePoint(8);
        if (!Character.isValidCodePoint(v)) {
            throw error(at, "escape past U+10FFFF");
        }
        return Character.toString(v);
    }

    private int codePoint(int digits) {
        if (pos + digits > spec.length()) {
            throw error(pos, "short escape");
        }
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = Character.digit(spec.charAt(pos + i), 16);
            if (d < 0) {
                throw error(pos + i, "bad hex digit in escape");
            }
            v = v * 16 + d;
        }
        pos += digits;
        return v;
    }

    private void expect(char c) {
        if (atEnd() || spec.charAt(pos) != c) {
            throw error(pos, atEnd() ? "expected '" + c + "' but the spec ended" : "expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return atEnd() ? '\0' : spec.charAt(pos);
    }

    private boolean atEnd() {
        return pos >= spec.length();
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(spec.charAt(pos))) {
            pos++;
        }
    }

    private DTypeSpecException error(int at, String why) {
        return new DTypeSpecException(spec, Math.min(at, spec.length()), why);
    }
}
