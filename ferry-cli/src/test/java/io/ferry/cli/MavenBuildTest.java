package io.ferry.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// Building Ferry with Maven under an older JDK stops at once, at the parent pom, with a message
/// that says Java 25 is needed and how to get it (the Maven Enforcer's rule). It used to fail
/// late, inside ferry-spark, with `release version 25 not supported`. Only `validate` runs, so
/// nothing is built or installed even if the rule were gone.
@org.junit.jupiter.api.Tag("process")
class MavenBuildTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize().toAbsolutePath();
    private static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    @TempDir
    Path dir;

    @Test
    void mavenUnderJava17SaysJava25IsNeededBeforeBuildingAnything() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JAVA_17.resolve("bin/java")), "needs Debian's openjdk-17 at " + JAVA_17);
        Path log = dir.resolve("mvn.log");
        ProcessBuilder b = new ProcessBuilder("mvn", "-o", "-B", "-Dstyle.color=never", "validate")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("JAVA_HOME", JAVA_17.toString());
        b.environment().remove("MAVEN_OPTS");       // ./test's options are for a Java 25 Maven
        b.environment().remove("MAVEN_ARGS");
        long start = System.nanoTime();
        Process p = b.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("mvn did not end within 120 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String said = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), said);
        assertTrue(said.contains("maven-enforcer-plugin:3.6.2:enforce (java-25) on project ferry-parent"),
                "the first project of the reactor fails: " + said);
        assertTrue(said.contains("Ferry needs a Java 25 JDK to build; Maven runs on Java 17"), said);
        assertTrue(said.contains("Set JAVA_HOME to a JDK 25"), said);
        assertTrue(said.matches("(?s).*Ferry core \\.+ SKIPPED.*Ferry on Spark \\.+ SKIPPED.*"), "no other module ran: " + said);
        assertTrue(seconds < 60, "at once: " + seconds + " s");
    }
}
