package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `java -jar ferry.jar` under an older Java (Debian 12's default, 17) says that Ferry needs
/// Java 25 and exits 127, where it used to stop at `UnsupportedClassVersionError`; under Java 25
/// the same jar runs the command.
@org.junit.jupiter.api.Tag("process")
class OldJavaIT {
    private static final Path JAR = Path.of(System.getProperty("basedir", ".")).resolve("target/ferry.jar").toAbsolutePath();
    private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");

    @TempDir
    Path dir;

    @Test
    void anOlderJavaIsToldWhatItLacks() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JAVA_17), JAVA_17 + " is not installed");
        PythonPeer.Result r = PythonPeer.exec(List.of(JAVA_17.toString(), "-jar", JAR.toString(), "--version"), dir, 60);
        assertEquals(127, r.exit(), r.toString());
        assertEquals("", r.stdout(), r.toString());
        assertTrue(r.stderr().startsWith("ferry: needs Java 25 or later, and this is Java 17"), r.stderr());
        assertTrue(r.stderr().contains("Run the ferry launcher"), r.stderr());
    }

    @Test
    void java25RunsTheCommandThroughTheSameJar() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        PythonPeer.Result r = PythonPeer.exec(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
                JAR.toString(), "--version"), dir, 60);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().startsWith("ferry "), r.toString());
    }
}
