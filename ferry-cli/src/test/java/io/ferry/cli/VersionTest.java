package io.ferry.cli;

import io.ferry.FerryVersion;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/// `ferry --version` is answered before picocli reads the commands: what it prints is what
/// picocli prints for the option.
class VersionTest {
    @Test
    void theShortPathPrintsWhatPicocliPrints() {
        for (String option : new String[] {"--version", "-V"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream saved = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = Main.run(option);
            } finally {
                System.setOut(saved);
            }
            ByteArrayOutputStream picocli = new ByteArrayOutputStream();
            Main.commandLine().printVersionHelp(new PrintStream(picocli, true, StandardCharsets.UTF_8));
            assertEquals(0, code);
            assertEquals(picocli.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
            assertEquals("ferry " + FerryVersion.get(), out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
        }
    }
}
