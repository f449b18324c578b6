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

    /// A worker cache beside the parent's AOT cache (`ferry-worker.aot` beside `ferry.aot`) is
    /// the one a worker gets: it holds what a worker loads and runs. Without one, the parent's.
    @Test
    void aWorkerCacheBesideTheParentsIsTheWorkers(@TempDir Path dir) throws Exception {
        List<String> own = ClassDataCache.fromArguments(List.of("-XX:AOTCache=" + dir.resolve("ferry.aot"), "-jar", "f.jar"));
        assertEquals(own, ClassDataCache.forWorker(own, null));
        Path worker = java.nio.file.Files.createFile(dir.resolve("ferry-worker.aot"));
        assertEquals(List.of("-XX:AOTCache=" + worker, "-Xlog:aot*=off", "-Xlog:cds*=off"), ClassDataCache.forWorker(own, null));
        // A CDS archive has no worker cache; no cache, none.
        List<String> cds = ClassDataCache.fromArguments(List.of("-XX:SharedArchiveFile=" + dir.resolve("ferry.jsa"), "-jar", "f.jar"));
        assertEquals(cds, ClassDataCache.forWorker(cds, null));
        assertEquals(List.of(), ClassDataCache.forWorker(List.of(), null));
    }

    /// The launcher trains the worker cache by starting a conversion with this property: its
    /// worker writes the cache as it exits.
    @Test
    void trainingAsksTheWorkerToWriteTheCache() {
        List<String> own = ClassDataCache.fromArguments(List.of("-XX:AOTCache=/x/ferry.aot", "-jar", "f.jar"));
        assertEquals(List.of("-XX:AOTCacheOutput=/t/w.aot", "-Xlog:aot*=off", "-Xlog:cds*=off"),
                ClassDataCache.forWorker(own, "/t/w.aot"));
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
