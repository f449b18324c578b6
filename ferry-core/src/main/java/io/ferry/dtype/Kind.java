package io.ferry.dtype;

/// The kind of a scalar, with numpy's one-letter code.
public enum Kind {
    /// `b`: boolean, one byte, 0 or 1.
    BOOL('b'),
    /// `i`: two's-complement signed integer of 1, 2, 4 or 8 bytes.
    INT('i'),
    /// `u`: unsigned integer of 1, 2, 4 or 8 bytes.
    UINT('u'),
    /// `f`: IEEE 754 binary32 or binary64.
    FLOAT('f'),
    /// `S`: fixed-size raw bytes, zero-padded (numpy's `bytes_`).
    BYTES('S');

    private final char code;

    Kind(char code) {
        this.code = code;
    }

    /// {@return numpy's letter for this kind}
    public char code() {
        return code;
    }

    static Kind ofCode(char c) {
        for (Kind k : values()) {
            if (k.code == c) {
                return k;
            }
        }
        return null;
    }
}
