package io.ferry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/// A leading `@` is part of a name, as for every other Unix tool. picocli reads `@FILE` as more
/// arguments unless told not to: `ferry load @list` loaded the file `list` named (numpy: no such
/// file), and a dataset name template `@tmpl` took a `--force` written in `tmpl`, which replaced
/// an existing output the user had not named for replacing. Found from Python, whose arguments
/// are the user's strings.
class AtSignTest {
    @TempDir
    Path dir;

    @Test
    void argumentsThatStartWithAnAtSignAreTakenAsWritten() throws IOException {
        Path list = Files.writeString(dir.resolve("list"), "--force\n" + dir.resolve("other.txt") + "\n");
        String input = "@" + list;
        String[] args = {"convert", input, "-o", "@out.h5", "--name", "@" + list, "--dtype", "f8"};
        ConvertCommand c = (ConvertCommand) Main.commandLine(args).parseArgs(args).subcommand().commandSpec().userObject();
        assertEquals(List.of(Path.of(input)), c.files);
        assertEquals("@" + list, c.name);
        assertEquals(Path.of("@out.h5"), c.output);
        assertFalse(c.force);
    }
}
