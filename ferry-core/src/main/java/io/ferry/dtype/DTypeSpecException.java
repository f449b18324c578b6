package io.ferry.dtype;

import io.ferry.FerryException;

/// A dtype spec that cannot be read: the message quotes the spec and points at the bad part.
///
/// ```text
/// bad dtype spec: size 0 for S: a byte string needs at least 1 byte (S1 or more), not 0
///   chr:S0,pos:i4
///       ^
/// ```
public final class DTypeSpecException extends FerryException {
    private final String spec;
    private final int position;
    private final String reason;

    DTypeSpecException(String spec, int position, String why) {
        super("bad dtype spec: " + why + "\n  " + printable(spec) + "\n  " + " ".repeat(Math.max(0, position)) + "^");
        this.spec = spec;
        this.position = position;
        this.reason = why;
    }

    /// {@return the spec as given}
    public String spec() {
        return spec;
    }

    /// {@return the 0-based index in the spec where the problem is}
    public int position() {
        return position;
    }

    /// {@return what is wrong, in one line without the spec} ("unknown type 'q4'; kinds are …")
    public String reason() {
        return reason;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
