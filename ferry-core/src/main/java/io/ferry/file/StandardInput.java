package io.ferry.file;

import java.nio.file.Path;

/// `-` as an input: the process's standard input, as Unix tools read it. A file that is really
/// named `-` is still reachable as `./-`.
///
/// ```java
/// assert StandardInput.is(Path.of("-"));
/// assert !StandardInput.is(Path.of("./-"));
/// ```
public final class StandardInput {
    /// The path that stands for standard input.
    public static final Path PATH = Path.of("-");
    /// The dataset standard input becomes unless named otherwise.
    public static final String DATASET = "stdin";
    /// How messages name it, where they would name a file.
    public static final String DESCRIPTION = "standard input";

    private StandardInput() {
    }

    /// {@return whether `path` stands for standard input}
    public static boolean is(Path path) {
        return PATH.equals(path);
    }
}
