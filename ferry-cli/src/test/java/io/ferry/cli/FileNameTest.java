package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/// Output names and modes, through every command that writes a named file (`convert`, `stitch`,
/// `load -o`, `generate`), each run a JVM of its own: a valid name of 250 characters works (its
/// temporary name used to exceed NAME_MAX), and `--force` keeps the replaced file's permission
/// bits (a 0600 output used to become 0644).
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class FileNameTest {
    @TempDir
    Path dir;
    Path input;
    Path part;

    @BeforeEach
    void inputs() throws Exception {
        input = dir.resolve("in.txt");
        SampleInputs.write(input, 2_000, 1);
        part = SampleInputs.smallHdf5(dir.resolve("part.h5"));
    }

    @Test
    void aNameOf250CharactersWorksForEveryCommand() throws Exception {
        String base = "n".repeat(246);
        assertEquals(250, (base + ".h5x").length());
        for (String[] command : List.of(
                new String[]{"convert", input.toString(), "-o", dir.resolve(base + ".h51").toString(), "--dtype", SampleInputs.DTYPE, "-q"},
                new String[]{"stitch", part.toString(), "-o", dir.resolve(base + ".h52").toString()},
                new String[]{"load", input.toString(), "--dtype", SampleInputs.DTYPE, "-o", dir.resolve(base + ".np3").toString()},
                new String[]{"generate", "-o", dir.resolve(base + ".tx4").toString(), "--lines", "10"})) {
            assertSucceeds(command);
        }
        for (String suffix : List.of(".h51", ".h52", ".np3", ".tx4")) {
            assertTrue(Files.size(dir.resolve(base + suffix)) > 0, suffix);
        }
        assertEquals(List.of("in.txt", "part.h5"), names().stream().filter(n -> !n.startsWith(base)).toList(),
                "no temporary file left");
    }

    /// (Where the JVM running the tests encodes file names in UTF-8, as it does under the launcher.)
    @Test
    void aNameOf255BytesInTwoByteCharacters() throws Exception {
        assumeTrue(System.getProperty("sun.jnu.encoding").equals("UTF-8"), "file names in " + System.getProperty("sun.jnu.encoding"));
        Path accented = dir.resolve("é".repeat(126) + ".h5");
        assertEquals(255, accented.getFileName().toString().getBytes(StandardCharsets.UTF_8).length);
        assertSucceeds("convert", input.toString(), "-o", accented.toString(), "--dtype", SampleInputs.DTYPE, "-q");
        assertTrue(Files.size(accented) > 0);
    }

    @Test
    void forceKeepsTheReplacedFilesMode() throws Exception {
        for (String mode : List.of("rw-------", "rw-r-----")) {
            Path h5 = mode(Files.writeString(dir.resolve("out.h5"), "old"), mode);
            assertSucceeds("convert", input.toString(), "-o", h5.toString(), "--dtype", SampleInputs.DTYPE, "--force", "-q");
            Path stitched = mode(Files.writeString(dir.resolve("all.h5"), "old"), mode);
            assertSucceeds("stitch", part.toString(), "-o", stitched.toString(), "--force");
            Path npy = mode(Files.writeString(dir.resolve("out.npy"), "old"), mode);
            assertSucceeds("load", input.toString(), "--dtype", SampleInputs.DTYPE, "-o", npy.toString(), "--force");
            Path text = mode(Files.writeString(dir.resolve("gen.txt"), "old"), mode);
            assertSucceeds("generate", "-o", text.toString(), "--lines", "10", "-f");
            for (Path p : List.of(h5, stitched, npy, text)) {
                assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
                assertTrue(Files.size(p) > 3, p + " is replaced");
            }
        }
    }

    private void assertSucceeds(String... args) throws Exception {
        try (FerryJvm ferry = FerryJvm.start(args)) {
            ferry.assertExitsWithin(Duration.ofSeconds(120));
            assertEquals(0, ferry.exitCode(), String.join(" ", args) + ": " + ferry.output());
        }
    }

    private static Path mode(Path file, String mode) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
