package io.ferry.file;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/// File names whose bytes are not valid in the encoding the JVM decodes file names in
/// (`sun.jnu.encoding`: UTF-8 under the `ferry` launcher), such as a Latin-1 `caf\xe9.txt`.
///
/// The JVM shows each such byte as U+FFFD. A path it lists from a folder keeps the name's bytes,
/// so the file opens, but the name as text (a dataset's name, a `source` attribute, a message)
/// names nothing on disk. The bytes are found again in the path's URI, which percent-encodes
/// them as they are:
///
/// ```java
/// assert RawNames.undecodable(Path.of("données.txt")).isEmpty();   // valid UTF-8
/// assert RawNames.escaped(new byte[]{'c', 'a', 'f', (byte) 0xe9}).equals("caf\\xe9");
/// ```
public final class RawNames {
    private static final char REPLACEMENT = '\uFFFD';
    /// How to rename a file whose name is Latin-1, as the messages about such names say it.
    public static final String LATIN1_RENAME = "(a Latin-1 name: convmv -f latin1 -t utf8 --notest NAME)";

    private RawNames() {
    }

    /// {@return the bytes of `path`'s file name when the JVM could not decode them}, else empty
    /// (a name in valid bytes, a U+FFFD its owner wrote included)
    public static Optional<byte[]> undecodable(Path path) {
        Path name = path.getFileName();
        if (name == null || name.toString().indexOf(REPLACEMENT) < 0) {
            return Optional.empty();
        }
        String uri = path.toUri().getRawPath();
        if (uri.endsWith("/")) {
            uri = uri.substring(0, uri.length() - 1);
        }
        byte[] raw = percentDecoded(uri.substring(uri.lastIndexOf('/') + 1));
        return decodes(raw, fileNameEncoding()) ? Optional.empty() : Optional.of(raw);
    }

    /// {@return `bytes` as text, each byte that is not printable ASCII (and `\`) as `\xNN`}
    public static String escaped(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.toString();
    }

    /// {@return the encoding the JVM decodes file names in}: UTF-8 where it cannot tell
    public static Charset fileNameEncoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /// {@return whether `bytes` are text of `encoding`}
    public static boolean decodes(byte[] bytes, Charset encoding) {
        try {
            encoding.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] percentDecoded(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.write((byte) c);   // a URI's other characters are ASCII
            }
        }
        return out.toByteArray();
    }
}
