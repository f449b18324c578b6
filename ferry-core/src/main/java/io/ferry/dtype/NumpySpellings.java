package io.ferry.dtype;

import io.ferry.Hint;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// numpy's spellings of a dtype that Ferry does not read, and what to write instead, for the hint of
/// a [DTypeSpecException]: `int` and `float` (numpy's int64 and float64), one-letter codes (`d`,
/// `l`, …), text as `U10`, `str` or `bytes` (Ferry reads text into `S<n>`, bytes), and a compact
/// list without names (`S10,i4,f4`, whose fields numpy names `f0`, `f1`, …).
///
/// ```text
/// --dtype 'S10,int,float'  → try --dtype f0:S10,f1:i8,f2:f8
/// --dtype 'name:U10,n:i4'  → try --dtype name:S10,n:i4
/// ```
///
/// Only the compact forms are rewritten (a descr list names its types in numpy's own spelling
/// already); a hint is given only when the rewritten spec parses.
final class NumpySpellings {
    /// numpy's words and one-letter codes for numbers, with Ferry's spelling and numpy's name.
    private static final Map<String, String[]> NUMBERS = Map.ofEntries(
            Map.entry("int", new String[]{"i8", "int64"}), Map.entry("float", new String[]{"f8", "float64"}),
            Map.entry("double", new String[]{"f8", "float64"}), Map.entry("single", new String[]{"f4", "float32"}),
            Map.entry("uint", new String[]{"u8", "uint64"}), Map.entry("long", new String[]{"i8", "int64"}),
            Map.entry("short", new String[]{"i2", "int16"}), Map.entry("byte", new String[]{"i1", "int8"}),
            Map.entry("ubyte", new String[]{"u1", "uint8"}),
            Map.entry("b", new String[]{"i1", "int8"}), Map.entry("B", new String[]{"u1", "uint8"}),
            Map.entry("h", new String[]{"i2", "int16"}), Map.entry("H", new String[]{"u2", "uint16"}),
            Map.entry("i", new String[]{"i4", "int32"}), Map.entry("I", new String[]{"u4", "uint32"}),
            Map.entry("l", new String[]{"i8", "int64"}), Map.entry("L", new String[]{"u8", "uint64"}),
            Map.entry("q", new String[]{"i8", "int64"}), Map.entry("Q", new String[]{"u8", "uint64"}),
            Map.entry("f", new String[]{"f4", "float32"}), Map.entry("d", new String[]{"f8", "float64"}));
    /// Text types: `U10`, `<U10`, `a10`, `S` without a size, `str`, `bytes`, `unicode`.
    private static final Pattern TEXT = Pattern.compile("[<>=|]?(U|a|S|str|bytes|unicode|bytes_|str_)(\\d*)");
    /// The size suggested for text whose size is not given: a guess the reason says is one.
    private static final int GUESSED_SIZE = 16;

    private NumpySpellings() {
    }

    /// {@return what to write for `spec`, a spec [DTypeParser] refused, or null when it does not
    /// know}
    static Hint hint(String spec) {
        String s = spec.strip();
        if (s.isEmpty() || s.startsWith("[") || s.startsWith("'") || s.startsWith("\"") || s.startsWith("{")) {
            return null;
        }
        String[] parts = s.split(",", -1);
        boolean named = s.indexOf(':') >= 0;
        Set<String> notes = new LinkedHashSet<>();
        StringBuilder fixed = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            String name;
            String type;
            if (named) {
                int colon = part.indexOf(':');
                if (colon < 0) {
                    return null;
                }
                name = part.substring(0, colon).strip();
                type = part.substring(colon + 1).strip();
            } else {
                name = parts.length > 1 ? "f" + i : null;
                type = part;
            }
            String t = type(type, notes);
            if (t == null) {
                return null;
            }
            fixed.append(i == 0 ? "" : ",").append(name == null ? "" : name + ":").append(t);
        }
        if (!named && parts.length > 1) {
            notes.add("numpy names fields it is not given f0, f1, ...; Ferry wants each named (name:type)");
        }
        String suggestion = fixed.toString();
        if (notes.isEmpty() || suggestion.equals(s)) {
            return null;
        }
        try {
            DTypeParser.read(suggestion);
        } catch (DTypeSpecException e) {
            return null;
        }
        return new Hint(String.join("; ", notes), "dtype", suggestion);
    }

    /// {@return Ferry's spelling of the type `t`, or null}: `t` itself when Ferry reads it; a note
    /// on each change goes into `notes`
    private static String type(String t, Set<String> notes) {
        try {
            DTypeParser.parseScalar(t);
            return t;
        } catch (DTypeSpecException e) {
            // numpy's spelling, perhaps
        }
        String[] number = NUMBERS.get(t);
        if (number != null) {
            notes.add("numpy's " + t + " is " + number[1] + ", which Ferry writes " + number[0]);
            return number[0];
        }
        Matcher m = TEXT.matcher(t);
        if (m.matches()) {
            if (m.group(2).isEmpty()) {
                notes.add("text needs its size in bytes: S" + GUESSED_SIZE + " holds " + GUESSED_SIZE
                        + " (a guess; make it the longest text's)");
                return "S" + GUESSED_SIZE;
            }
            if (!m.group(1).equals("S")) {
                notes.add("Ferry reads text as bytes into S<n> (n bytes, Latin-1), not numpy's U<n> (4 bytes a character)");
            }
            return "S" + m.group(2);
        }
        return null;
    }
}
