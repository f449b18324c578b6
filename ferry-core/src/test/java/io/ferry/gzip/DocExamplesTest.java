package io.ferry.gzip;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The examples in the doc comments of `io.ferry.gzip`, as written there (with `assert` made into
/// assertions).
class DocExamplesTest {
    @TempDir
    Path dir;

    @Test
    void gzip() throws IOException {
        Path plain = dir.resolve("plain.gz");
        Path packed = dir.resolve("packed.txt");

        Files.write(plain, "1 2\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(!Gzip.isGzip(plain));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(packed))) {
            out.write("1 2\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(Gzip.isGzip(packed));
        try (InputStream in = Gzip.openText(packed)) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.US_ASCII).equals("1 2\n"));
        }
    }

    @Test
    void gzipStream() throws IOException {
        Path file = dir.resolve("two.gz");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (String part : new String[]{"1 2\n", "3 4\n"}) {
                GZIPOutputStream member = new GZIPOutputStream(out);
                member.write(part.getBytes(StandardCharsets.US_ASCII));
                member.finish();
            }
        }

        try (InputStream in = new GzipStream(Files.newInputStream(file), file.toString(), Files.size(file))) {
            byte[] text = in.readAllBytes();  // all members, or a GzipFormatException
            assertEquals("1 2\n3 4\n", new String(text, StandardCharsets.US_ASCII));
        }
    }
}
