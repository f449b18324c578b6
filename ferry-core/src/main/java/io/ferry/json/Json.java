package io.ferry.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// A small JSON reader and writer for Ferry's handles and messages (no Java serialization anywhere).
///
/// Values map to Java as: object → `Map<String, Object>` (insertion order), array → `List<Object>`,
/// string → `String`, integer → `Long` (or `BigDecimal` past 64 bits), other number → `Double`,
/// `true`/`false` → `Boolean`, `null` → `null`. Reading is strict (RFC 8259), bounded in nesting,
/// and fails with a [JsonException] that gives the position.
///
/// ```java
/// Object v = Json.parse("{\"name\": \"ferry_ab12\", \"shape\": [3, 4]}");
/// Map<String, Object> m = Json.asObject(v, "handle");
/// assert m.get("shape").equals(List.of(3L, 4L));
/// assert Json.write(m).equals("{\"name\": \"ferry_ab12\", \"shape\": [3, 4]}");
/// ```
public final class Json {
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /// {@return the value `text` holds}
    /// @throws JsonException when it is not one complete JSON value
    public static Object parse(String text) {
        if (text == null) {
            throw new JsonException("no JSON given", 0);
        }
        Json p = new Json(text);
        p.space();
        Object v = p.value();
        p.space();
        if (p.pos < text.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return v;
    }

    /// {@return `v` as JSON}, with `", "` and `": "` separators as Python's `json.dumps` writes them.
    public static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(v, b);
        return b.toString();
    }

    /// {@return `v` as an object}
    /// @throws JsonException naming `what` when it is not one
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asObject(Object v, String what) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new JsonException(what + " must be a JSON object, not " + kind(v), -1);
    }

    /// {@return `v` as an array}
    /// @throws JsonException naming `what` when it is not one
    @SuppressWarnings("unchecked")
    public static List<Object> asList(Object v, String what) {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new JsonException(what + " must be a JSON array, not " + kind(v), -1);
    }

    /// {@return `v` as a string}
    /// @throws JsonException naming `what` when it is not one
    public static String asString(Object v, String what) {
        if (v instanceof String s) {
            return s;
        }
        throw new JsonException(what + " must be a JSON string, not " + kind(v), -1);
    }

    /// {@return `v` as a whole number}
    /// @throws JsonException naming `what` when it is not one that fits a long
    public static long asLong(Object v, String what) {
        if (v instanceof Long l) {
            return l;
        }
        throw new JsonException(what + " must be a whole number, not " + kind(v), -1);
    }

    /// {@return the name of `v`'s JSON type, for error messages}
    public static String kind(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "an array";
            case String s -> "a string";
            case Boolean b -> "a boolean";
            case Number n -> "a number (" + n + ")";
            default -> v.getClass().getSimpleName();
        };
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("the JSON ended where a value was expected");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            pos++;
            depth--;
            return m;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw error("expected a quoted key");
            }
            String key = string();
            space();
            expect(':');
            space();
            m.put(key, value());
            space();
            char c = peek();
            pos++;
            if (c == '}') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
        depth--;
        return Collections.unmodifiableMap(m);
    }

    private List<Object> array() {
        enter();
        pos++;
        List<Object> l = new ArrayList<>();
        space();
        if (peek() == ']') {
            pos++;
            depth--;
            return l;
        }
        while (true) {
            space();
            l.add(value());
            space();
            char c = peek();
            pos++;
            if (c == ']') {
                break;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
        depth--;
        return Collections.unmodifiableList(l);
    }

    private String string() {
        pos++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text.charAt(pos++), 16);
                        if (d < 0) {
                            throw error("bad hex digit in \\u escape");
                        }
                        v = v * 16 + d;
                    }
                    b.append((char) v);
                }
                default -> throw error("unknown escape '\\" + e + "'");
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw error("a number needs digits");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!(peek() >= '0' && peek() <= '9')) {
                throw error("a number needs digits after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!(peek() >= '0' && peek() <= '9')) {
                throw error("a number needs digits in its exponent");
            }
            digits();
        }
        String s = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return new BigDecimal(s);
            }
        }
        return Double.parseDouble(s);
    }

    private void digits() {
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
    }

    private Object literal(String word, Object v) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected text; expected '" + word + "'");
        }
        pos += word.length();
        return v;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void space() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private JsonException error(String why) {
        return new JsonException(why, pos);
    }

    // A chain of instanceof, not a switch on the type: a type switch links its call site on its
    // first run (5 ms of method handles in a fresh JVM, which the start-up cache does not keep),
    // and that run is the handle `ferry share` prints, with ferry.loadtxt waiting for it.
    private static void write(Object v, StringBuilder b) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            quote(s, b);
        } else if (v instanceof Boolean bool) {
            b.append(bool);
        } else if (v instanceof Number n) {
            if (v instanceof Double d && (d.isNaN() || d.isInfinite())
                    || v instanceof Float f && (f.isNaN() || f.isInfinite())) {
                throw new IllegalArgumentException("JSON has no " + n);
            }
            b.append(n);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "" : ", ");
                first = false;
                quote(String.valueOf(e.getKey()), b);
                b.append(": ");
                write(e.getValue(), b);
            }
            b.append('}');
        } else if (v instanceof Iterable<?> l) {
            b.append('[');
            boolean first = true;
            for (Object o : l) {
                b.append(first ? "" : ", ");
                first = false;
                write(o, b);
            }
            b.append(']');
        } else if (v instanceof long[] a) {
            b.append('[');
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ", ").append(a[i]);
            }
            b.append(']');
        } else if (v instanceof JsonText t) {
            b.append(t.json());
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /// JSON text written as it is inside a larger value, e.g. a dtype's [io.ferry.dtype.DType#descrJson()].
    /// @param json already-valid JSON
    public record JsonText(String json) {
    }
}
