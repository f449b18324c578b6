package io.ferry.testing;

import io.ferry.shm.SegmentName;
import io.ferry.shm.SegmentRegistry;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/// Fails a test that leaves shared memory behind: a JUnit 5 extension that notes this JVM's Ferry
/// segments in `/dev/shm` (names `fy<pid>_…`, or `fy<pid>-<variant>_…`) and the [SegmentRegistry#process()]'s outstanding
/// owners before each test, and after it fails naming any new ones, having removed them.
///
/// It looks only at names this JVM made, so tests of other processes on the machine are safe.
///
/// ```java
/// @ExtendWith(ShmLeakCheck.class)
/// class MyTest { ... }
/// ```
///
/// Tests of child processes check their children's names with [#segmentsOf(long)].
public final class ShmLeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final Path DEV_SHM = Path.of("/dev/shm");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ShmLeakCheck.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Set<String> before = (Set<String>) context.getStore(NS).get("before");
        Set<String> leaked = snapshot();
        leaked.removeAll(before);
        if (!leaked.isEmpty()) {
            for (String name : leaked) {
                remove(name);
            }
            fail(context.getDisplayName() + " left shared-memory segments behind (removed now): " + leaked);
        }
    }

    /// {@return the names of this JVM's Ferry segments in `/dev/shm` and of its registry's outstanding owners}
    public static Set<String> snapshot() {
        Set<String> s = segmentsOf(ProcessHandle.current().pid());
        s.addAll(SegmentRegistry.process().outstanding());
        return s;
    }

    /// {@return the names in `/dev/shm` of the Ferry segments of process `pid`}, whatever its tag
    public static Set<String> segmentsOf(long pid) {
        return names(n -> SegmentName.creatorPid(n).orElse(-1) == pid);
    }

    /// {@return every file of Ferry's in `/dev/shm` that process `pid` left}: its segments and its
    /// creator record (`fy<pid>.pid`, which the sweep needs until the segments are gone)
    public static Set<String> filesOf(long pid) {
        return names(n -> SegmentName.creatorPid(n).orElse(-1) == pid || SegmentName.recordPid(n).orElse(-1) == pid);
    }

    private static Set<String> names(java.util.function.Predicate<String> which) {
        try (Stream<Path> files = Files.list(DEV_SHM)) {
            return files.map(p -> p.getFileName().toString()).filter(which).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /// {@return whether `/dev/shm/<name>` exists}
    public static boolean exists(String name) {
        return Files.exists(DEV_SHM.resolve(name));
    }

    /// Removes `/dev/shm/<name>`, a segment or a creator record; for names a test made itself.
    public static void remove(String name) {
        Path file = DEV_SHM.resolve(name).normalize();
        if (!DEV_SHM.equals(file.getParent()) || name.startsWith(".")) {
            throw new IllegalArgumentException("not a file of /dev/shm: " + name);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
