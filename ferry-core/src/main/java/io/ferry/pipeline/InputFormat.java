package io.ferry.pipeline;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/// What the pipeline asks of its inputs' format, answered by the side that reads them, so that the
/// pipeline itself knows no format: whether an input can be cut into byte ranges ([ConversionPlan]),
/// and its text, to estimate its rows (a sink sizes its chunks by that estimate).
///
/// [#PLAIN] is a file that is its own text. The text loader's inputs, plain or gzip by their
/// content, are `io.ferry.convert.TextParts#FORMAT`.
///
/// ```java
/// InputFormat format = InputFormat.PLAIN;
/// boolean cut = format.splittable(Path.of("examples/sample1.txt"));   // true
/// ```
public interface InputFormat {
    /// A file that is its own text: cut anywhere (its readers move each cut to a line end), its
    /// text size its size.
    InputFormat PLAIN = new InputFormat() {
    };

    /// {@return whether byte ranges of `file` can be parsed independently}
    /// @throws IOException when `file` cannot be read to tell
    default boolean splittable(Path file) throws IOException {
        return true;
    }

    /// {@return whether `file`'s text differs from its bytes} (it is compressed)
    /// @throws IOException when `file` cannot be read to tell
    default boolean compressed(Path file) throws IOException {
        return false;
    }

    /// {@return how many bytes of text `file` holds}, given its size on disk: its size for a file
    /// that is its own text; -1 when not known without reading it all
    default long textSize(Path file, long size) {
        return size;
    }

    /// {@return `file`'s text from its start}, buffered
    /// @throws IOException when `file` cannot be opened, or its text cannot be read
    default InputStream openText(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file));
    }
}
