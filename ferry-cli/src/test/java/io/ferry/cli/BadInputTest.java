package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Inputs and outputs that cannot work are refused before any work starts, each with one line
/// naming the file and what is wrong, exit code 1, and no output.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class BadInputTest {
    @TempDir
    static Path inputs;
    @TempDir
    Path dir;

    static Path good;

    @BeforeAll
    static void makeInputs() {
        good = inputs.resolve("good.txt");
        SampleInputs.write(good, 200_000, 3);
    }

    @Test
    void aMissingInput() throws Exception {
        assertRefused(List.of(), dir.resolve("nope.txt"), "nope.txt: no such file");
    }

    @Test
    void anEmptyDirectoryAsInput() throws Exception {
        // a folder stands for its files (ManyInputsTest); one without any is refused
        assertRefused(List.of(), Files.createDirectory(dir.resolve("d.txt")), "d.txt: the folder holds no files to read");
    }

    /// A named pipe used to hang the run: opening it waits for a writer that never comes.
    @Test
    void aPipeAsInput() throws Exception {
        Path fifo = dir.resolve("fifo.txt");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertRefused(List.of(), fifo, "fifo.txt: is a named pipe (FIFO), not a regular file");
    }

    @Test
    void aDeviceAsInput() throws Exception {
        assertRefused(List.of(), Path.of("/dev/zero"), "/dev/zero: is a character device, not a regular file");
    }

    /// Root reads any file whatever its mode, so as root ferry runs under `setpriv` without the
    /// capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), as an ordinary user would.
    @Test
    void anUnreadableInput() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "chr1\t1\t1\t1\t1\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assertRefused(asAnOrdinaryUser(), secret, "secret.txt: permission denied (not readable)");
    }

    @Test
    void anOutputDirectoryThatDoesNotExist() throws Exception {
        assertRefused(List.of(), dir.resolve("no/such/dir/out.h5"), null, "the directory " + dir.resolve("no/such/dir") + " does not exist");
    }

    @Test
    void anOutputDirectoryThatIsNotWritable() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        assertRefused(asAnOrdinaryUser(), locked.resolve("out.h5"), null, "the directory " + locked + " is not writable");
    }

    private void assertRefused(List<String> wrapper, Path badInput, String message) throws Exception {
        assertRefused(wrapper, dir.resolve("out.h5"), badInput, message);
    }

    /// Runs `ferry convert good.txt [badInput] -o out` and checks it is refused at once with `message`.
    private void assertRefused(List<String> wrapper, Path out, Path badInput, String message) throws Exception {
        List<String> args = new ArrayList<>(List.of("convert", good.toString()));
        if (badInput != null) {
            args.add(badInput.toString());
        }
        args.addAll(List.of("-o", out.toString(), "--dtype", SampleInputs.DTYPE, "--isolation", "process", "-q"));
        try (FerryJvm ferry = FerryJvm.start(wrapper, args.toArray(String[]::new))) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            String said = ferry.output();
            assertEquals(1, ferry.exitCode(), said);
            assertEquals("ferry convert: " + (badInput != null ? badInput : out) + ": ", said.substring(0, Math.min(said.length(),
                    ("ferry convert: " + (badInput != null ? badInput : out) + ": ").length())), said);
            assertTrue(said.contains(message), said);
            assertEquals(1, said.strip().lines().count(), "one line: " + said);
            assertTrue(SampleInputs.outputsIn(dir).stream().noneMatch(n -> n.contains("out.h5")), "no output");
        }
    }

    /// {@return a command prefix that runs ferry without root's power over file permissions}, or none when not root
    static List<String> asAnOrdinaryUser() throws Exception {
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        if (!root) {
            return List.of();
        }
        String caps = "-dac_override,-dac_read_search";
        return List.of("setpriv", "--inh-caps=" + caps, "--bounding-set=" + caps);
    }
}
