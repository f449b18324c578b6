package io.ferry.cli;

/// Text from outside (a file's name, its attributes, a consumer's words) as a message prints it:
/// every control character but line breaks and tabs written as `\xNN`. An escape sequence in such
/// text reached the terminal (one cleared the screen), and a carriage return at the end of a name
/// (a list written on Windows) hid itself, so that "x.txt\r: no such file" read as a file that
/// exists.
///
/// ```java
/// assert Printable.of("x.txt\r: no such file").equals("x.txt\\x0d: no such file");
/// ```
final class Printable {
    private Printable() {
    }

    /// {@return `text` with its control characters but `\n` and `\t` escaped}
    static String of(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f;
            b.append(control ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
