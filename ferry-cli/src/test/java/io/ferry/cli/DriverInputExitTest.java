package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.ferry.testing.Checkout.EXAMPLES;
import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A command a program drives through pipes reads its standard input on a thread beside its work,
/// to see the driver go; that thread must not hold up the JVM's exit once the work is done. A
/// thread blocked in `read(2)` did: HotSpot waits for threads in native code at exit, 300 ms by
/// default. Here the child JVM is told to wait up to 10 s for them
/// (`-XX:UserThreadWaitAttemptsAtExit=1000`), so a thread blocked in `read` shows as an exit
/// 10 s late, well apart from any machine's noise, while the driver keeps its pipe open.
@ExtendWith(ShmLeakCheck.class)
@Tag("process")
class DriverInputExitTest {
    @TempDir
    Path dir;

    @Test
    void convertJsonExitsAfterItsResultWhileItsDriverKeepsStandardInputOpen() throws Exception {
        Path out = dir.resolve("s.h5");
        assertExitsPromptly(List.of("convert", EXAMPLES.resolve("sample1.txt").toString(), "-o", out.toString(),
                "--dtype", SAMPLE_DTYPE, "--json"), "{\"result\"", null);
        assertTrue(Files.isRegularFile(out));
    }

    @Test
    void shareExitsAfterDoneWhileItsConsumerKeepsStandardInputOpen() throws Exception {
        assertExitsPromptly(List.of("share", EXAMPLES.resolve("sample1.txt").toString(), "--dtype", SAMPLE_DTYPE,
                "--json"), "{\"array\"", "done");
    }

    /// Runs `args`, reads its answer up to the line starting with `last`, then says `word` (when
    /// not null), keeps standard input open, and checks that it exits 0 within 5 s.
    private static void assertExitsPromptly(List<String> args, String last, String word) throws Exception {
        List<String> cmd = new ArrayList<>(FerryJvm.javaCommand());
        cmd.add(1, "-XX:UserThreadWaitAttemptsAtExit=1000");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (Writer in = p.outputWriter(StandardCharsets.UTF_8)) {
            BufferedReader answer = p.inputReader(StandardCharsets.UTF_8);
            for (String line = ""; !line.startsWith(last); ) {
                line = answer.readLine();
                assertTrue(line != null, "its answer ended before " + last);
            }
            if (word != null) {
                in.write(word + "\n");
                in.flush();
            }
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "exited within 5 s of its result, standard input still open");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}
