package io.ferry;

import java.util.Objects;

/// What a person could change to get past an error, when Ferry can tell: why it thinks so, and
/// the option to set, with its value, in words every front end can say in its own spelling: the
/// `ferry` command writes `--skiprows 1` and `--delimiter tab`, the Python package `skiprows=1`
/// and `delimiter='\t'`.
///
/// ```java
/// Hint h = new Hint("line 1 looks like a header (names where values go)", "skiprows", "1");
/// assert h.option().equals("skiprows") && h.value().equals("1");
/// Hint whitespace = new Hint("the line holds spaces, which do not separate its fields now", "delimiter", null);
/// assert whitespace.leavesOut();       // leave the option out: runs of whitespace separate fields
/// ```
///
/// @param reason what in the input or the call suggests the change, one clause without a full stop
/// @param option the option's name without dashes, as numpy's `loadtxt` names it (`skiprows`,
///               `delimiter`, `dtype`)
/// @param value  the option's value as text (a delimiter is the character itself; `true` turns a
///               flag such as `lenient` on), or null to leave the option out
public record Hint(String reason, String option, String value) {
    public Hint {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(option, "option");
    }

    /// {@return whether the hint is to leave the option out}: its default is what the input needs
    public boolean leavesOut() {
        return value == null;
    }
}
