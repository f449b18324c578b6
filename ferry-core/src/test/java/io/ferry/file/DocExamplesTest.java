package io.ferry.file;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/// The examples in the doc comments of `io.ferry.file`, as written there (with `assert` made into
/// assertions).
class DocExamplesTest {
    @TempDir
    Path dir;

    @Test
    void fileKind() throws IOException {
        assertTrue(FileKind.of(Path.of("/dev/null")) == FileKind.CHARACTER_DEVICE);
        assertTrue(FileKind.of(Path.of("/dev/null")).description().equals("a character device"));
    }

    @Test
    void outputFile() throws IOException {
        Path input = Files.writeString(dir.resolve("input.txt"), "1 2\n");

        OutputFile out = OutputFile.of(dir.resolve("result.txt"), true, List.of(input));
        Path temporary = out.createTemporary();
        Files.writeString(temporary, "done\n");
        out.commit();                      // result.txt appears, or is replaced, only now
        assertTrue(Files.readString(dir.resolve("result.txt")).equals("done\n"));
    }
}
