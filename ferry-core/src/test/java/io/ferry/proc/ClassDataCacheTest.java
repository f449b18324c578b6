package io.ferry.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.ferry.proc.TestWorkers.OPTIONS;
import static io.ferry.proc.TestWorkers.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A worker JVM is started with its parent's class-data cache, as `ferry convert --isolation
/// process` starts its workers under the launcher's AOT cache.
@org.junit.jupiter.api.Tag("process")
class ClassDataCacheTest {
    @AfterEach
    void noChildProcessesLeft() throws InterruptedException {
        TestWorkers.assertNoChildProcessesLeft();
    }

    @Test
    void findsTheCacheOptionsAmongAJavaCommandsArguments() {
        assertEquals(List.of("-XX:AOTCache=/x/ferry.aot", "-Xlog:aot*=off", "-Xlog:cds*=off"),
                ClassDataCache.fromArguments(List.of("-XX:AOTCache=/x/ferry.aot", "-Xmn16m", "-jar", "ferry.jar")));
        assertEquals(List.of("-XX:SharedArchiveFile=a.jsa", "-Xlog:aot*=off", "-Xlog:cds*=off"),
                ClassDataCache.fromArguments(List.of("-cp", "a.jar", "-XX:SharedArchiveFile=a.jsa", "Main")));
        assertEquals(List.of(), ClassDataCache.fromArguments(List.of("-Xmx1g", "-cp", "a.jar", "Main")));
        // After -jar, the arguments are the program's, not the JVM's.
        assertEquals(List.of(), ClassDataCache.fromArguments(List.of("-jar", "f.jar", "-XX:AOTCache=x")));
    }

    @Test
    void aWorkersOwnWorkersGetItsCache(@TempDir Path dir) {
        // A cache file that does not exist: the JVM (sharing "auto") runs without one, but it was
        // started with the option, which is all the inheritance looks at.
        String cache = "-XX:SharedArchiveFile=" + dir.resolve("absent.jsa");
        List<String> parentOptions = new ArrayList<>(OPTIONS.jvmOptions());
        parentOptions.addAll(List.of(cache, "-Xlog:cds*=off", "-Xlog:aot*=off"));
        try (Worker parent = Worker.start(TestTasks.ChildArguments.class, null, OPTIONS.withJvmOptions(parentOptions))) {
            @SuppressWarnings("unchecked")
            List<String> childArguments = (List<String>) parent.join(WAIT);
            assertTrue(childArguments.contains(cache), "the child's arguments: " + childArguments);
            // The parent's own options (the test's heap and compiler settings) come after, so win.
            assertTrue(childArguments.indexOf(cache) < childArguments.indexOf("-XX:TieredStopAtLevel=1"),
                    "the child's arguments: " + childArguments);
        }
    }

    @Test
    void aJvmWithoutACacheGivesNone() {
        try (Worker parent = Worker.start(TestTasks.ChildArguments.class, null, OPTIONS)) {
            @SuppressWarnings("unchecked")
            List<String> childArguments = (List<String>) parent.join(WAIT);
            assertFalse(childArguments.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile=") || a.startsWith("-XX:AOTCache=")),
                    "the child's arguments: " + childArguments);
        }
    }
}
