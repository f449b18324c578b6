package io.ferry.pipeline;

import io.ferry.file.StandardInput;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// How an input's dataset is named: a pattern of placeholders filled in from its path, so that
/// one run can put datasets where the user wants them (one group per sample, per chromosome…).
///
/// | placeholder | is | for `calls/s1/chr2.cov.gz`, third input |
/// |---|---|---|
/// | `{stem}` | the file name without a `.gz` and its last extension ([DatasetNames#of(Path)]) | `chr2` |
/// | `{name}` | the file name as it is | `chr2.cov.gz` |
/// | `{parent}` | the name of the folder holding it | `s1` |
/// | `{index}` | its position among the inputs, from 0 | `2` |
///
/// ```java
/// NameTemplate t = NameTemplate.parse("{parent}/{stem}");
/// assert t.apply(Path.of("calls/s1/chr2.cov.gz"), 2).equals("s1/chr2");
/// assert NameTemplate.parse("part{index}").apply(Path.of("x.txt"), 7).equals("part7");
/// ```
///
/// Standard input (`-`) has `stdin` for its stem, name and parent. A `/` in the result makes
/// groups; whether the result is a valid dataset path is [DatasetNames]' to say.
///
/// @param pattern the template as written
public record NameTemplate(String pattern) {
    /// `{stem}`: `data1.txt` → `data1`.
    public static final NameTemplate DEFAULT = new NameTemplate("{stem}");
    private static final List<String> PLACEHOLDERS = List.of("stem", "name", "parent", "index");
    private static final Pattern BRACED = Pattern.compile("\\{([^{}]*)}");

    /// {@return the template `pattern`}
    /// @throws IllegalArgumentException naming a placeholder it does not know, or a brace that
    ///         opens no placeholder, and the ones it knows
    public static NameTemplate parse(String pattern) {
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("the name template is empty; write one such as {stem} or {parent}/{stem}");
        }
        Matcher m = BRACED.matcher(pattern);
        int at = 0;
        while (m.find()) {
            checkNoBrace(pattern, pattern.substring(at, m.start()), at);
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new IllegalArgumentException("the name template '" + pattern + "' has an unknown placeholder {"
                        + m.group(1) + "}; known are {stem}, {name}, {parent} and {index}");
            }
            at = m.end();
        }
        checkNoBrace(pattern, pattern.substring(at), at);
        return new NameTemplate(pattern);
    }

    private static void checkNoBrace(String pattern, String literal, int offset) {
        for (int i = 0; i < literal.length(); i++) {
            if (literal.charAt(i) == '{' || literal.charAt(i) == '}') {
                throw new IllegalArgumentException("the name template '" + pattern + "' has a '" + literal.charAt(i)
                        + "' that is not part of a placeholder (at character " + (offset + i + 1)
                        + "); placeholders are {stem}, {name}, {parent} and {index}");
            }
        }
    }

    /// {@return the name of the dataset input `index`, `file`, becomes}
    public String apply(Path file, int index) {
        boolean stdin = StandardInput.is(file);
        Matcher m = BRACED.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "stem" -> DatasetNames.of(file);
                case "name" -> stdin ? StandardInput.DATASET : file.getFileName().toString();
                case "parent" -> stdin ? StandardInput.DATASET : parent(file);
                case "index" -> Integer.toString(index);
                default -> throw new IllegalStateException("unchecked placeholder " + m.group());
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String parent(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        Path name = parent == null ? null : parent.getFileName();
        return name == null ? "" : name.toString();
    }
}
