package io.ferry.hdf5;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// HDF5's natives loaded from the folder the launcher names ([Hdf5Natives]), in child JVMs: the
/// mapped libraries come from that folder, files are written and read as ever; a folder without
/// them leaves the loading to JavaCPP.
@Tag("process")
class Hdf5NativesTest {
    @TempDir
    Path dir;

    @Test
    void theExampleAsWritten() throws Exception {
        Path natives = Files.createTempDirectory(dir, "natives");
        List<Path> copied = Hdf5Natives.extract(natives);   // what JavaCPP loaded, copied
        assert copied.contains(natives.resolve(System.mapLibraryName("jnihdf5")));
        assertTrue(copied.contains(natives.resolve(System.mapLibraryName("jnihdf5"))), copied.toString());
        assertTrue(copied.contains(natives.resolve(System.mapLibraryName("jnijavacpp"))), copied.toString());
        assertTrue(copied.stream().anyMatch(p -> p.getFileName().toString().startsWith("libhdf5.so")), copied.toString());
    }

    @Test
    void aJvmGivenTheFolderLoadsEveryLibraryFromIt() throws Exception {
        Path natives = Files.createDirectory(dir.resolve("natives"));
        Hdf5Natives.extract(natives);
        List<String> out = probe(natives);
        assertEquals("rows 7", out.getFirst());
        List<String> mapped = mapped(out);
        assertTrue(mapped.stream().anyMatch(m -> m.contains("libhdf5.so")), out.toString());
        assertTrue(mapped.stream().anyMatch(m -> m.contains("libjnijavacpp")), out.toString());
        for (String m : mapped) {
            assertTrue(m.startsWith(natives.toString() + "/"), m + " is not from " + natives + ": " + out);
        }
    }

    @Test
    void aFolderWithoutTheLibrariesLeavesThemToJavaCpp() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        List<String> out = probe(empty);
        assertEquals("rows 7", out.getFirst());
        List<String> mapped = mapped(out);
        assertFalse(mapped.isEmpty(), out.toString());
        for (String m : mapped) {
            assertFalse(m.startsWith(empty.toString()), m);
        }
    }

    private List<String> probe(Path natives) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData",
                "-D" + Hdf5Natives.PROPERTY + "=" + natives, "-cp", System.getProperty("java.class.path"),
                Hdf5NativesProbe.class.getName(), dir.resolve("probe.h5").toString())
                .redirectError(dir.resolve("probe.err").toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe JVM did not finish in 120 s");
        }
        assertEquals(0, p.exitValue(), "probe: " + stdout + Files.readString(dir.resolve("probe.err")));
        return stdout.lines().toList();
    }

    private static List<String> mapped(List<String> out) {
        List<String> files = new ArrayList<>();
        for (String line : out) {
            if (line.startsWith("mapped ")) {
                files.add(line.substring("mapped ".length()));
            }
        }
        return files;
    }
}
