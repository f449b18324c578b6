package io.ferry.shm;

import io.ferry.Sizes;

import java.nio.file.Files;
import java.nio.file.Path;

/// How much room the system's shared memory (the `/dev/shm` tmpfs) has: for sizing what a run
/// creates there, and for saying why a page could not be had.
///
/// ```java
/// SharedMemorySpace space = SharedMemorySpace.now();
/// System.out.println(space);   // /dev/shm has 23 GiB free of 23 GiB
/// ```
///
/// @param directory where the segments live
/// @param free      bytes free for new segments and for the pages of existing ones
/// @param total     the size of the file system
public record SharedMemorySpace(Path directory, long free, long total) {
    /// Less than this free counts as none: a page fault in shared memory then means it ran out.
    private static final long NEARLY_FULL = 1L << 20;

    /// {@return the space there is now}
    /// @throws SharedMemoryException when the system has no shared memory: `/dev/shm` is missing or
    /// not a directory (some containers), or the platform is not supported
    public static SharedMemorySpace now() {
        NamedMemory system = NamedMemory.system();
        Path dir = system.directory();
        if (!Files.isDirectory(dir)) {
            throw new SharedMemoryException("there is no shared memory here: " + dir
                    + (Files.exists(dir) ? " is not a directory" : " does not exist"));
        }
        return new SharedMemorySpace(dir, system.usableSpace(), system.totalSpace());
    }

    /// {@return whether `t` is the JVM's report of a fault on a page of mapped memory}
    ///
    /// A tmpfs supplies the pages of a segment as they are first touched; when it has none left (or
    /// the segment was truncated) the kernel sends SIGBUS, which the JVM turns into this
    /// `InternalError` in the Java code that touched the page.
    public static boolean isPageFault(Throwable t) {
        return t instanceof InternalError && t.getMessage() != null && t.getMessage().contains("unsafe memory access");
    }

    /// {@return whether there is next to nothing free}: a page fault now is shared memory running out
    public boolean exhausted() {
        return free < NEARLY_FULL;
    }

    /// {@return e.g. `/dev/shm has 12 MiB free of 64 MiB`}
    @Override
    public String toString() {
        return directory + " has " + Sizes.human(free) + " free of " + Sizes.human(total);
    }
}
