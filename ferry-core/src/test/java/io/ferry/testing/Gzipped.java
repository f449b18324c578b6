package io.ferry.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/// Gzip copies of test inputs, as `gzip -k` makes them.
public final class Gzipped {
    private Gzipped() {
    }

    /// {@return `file.gz`, beside `file`, holding `file` gzip-compressed}; `file` stays
    /// @throws IOException when either cannot be read or written
    public static Path copyOf(Path file) throws IOException {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(file, out);
        }
        return gz;
    }
}
