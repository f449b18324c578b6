package io.ferry.dtype;

import io.ferry.FerryException;
import io.ferry.Hint;

/// A dtype spec that cannot be read: the message quotes the spec and points at the bad part.
///
/// ```text
/// bad dtype spec: size 0 for S: a byte string needs at least 1 byte (S1 or more), not 0
///   chr:S0,pos:i4
///       ^
/// ```
///
/// For numpy's spellings Ferry does not read (`int`, `U10`, `S10,i4,f4` without names), [#hint()]
/// says what to write: `f0:S10,f1:i4,f2:f4`.
public final class DTypeSpecException extends FerryException {
    private final String spec;
    private final int position;
    private final String reason;

    DTypeSpecException(String spec, int position, String why) {
        this(spec, position, why, null);
    }

    private DTypeSpecException(String spec, int position, String why, Hint hint) {
        super("bad dtype spec: " + why + "\n  " + printable(spec) + "\n  " + " ".repeat(Math.max(0, position)) + "^", hint);
        this.spec = spec;
        this.position = position;
        this.reason = why;
    }

    /// {@return this error with `hint`}: what to write, for numpy's spelling of the spec
    DTypeSpecException withHint(Hint hint) {
        DTypeSpecException e = new DTypeSpecException(spec, position, reason, hint);
        e.setStackTrace(getStackTrace());
        return e;
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
