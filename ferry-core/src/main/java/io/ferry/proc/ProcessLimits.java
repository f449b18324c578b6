package io.ferry.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/// This process's resource limits as Linux reports them (`/proc/self/limits`), and the files it
/// has open, for errors that can say which limit a run meets before it meets it.
public final class ProcessLimits {
    private static final Path LIMITS = Path.of("/proc/self/limits");

    private ProcessLimits() {
    }

    /// {@return the soft limit on address space in bytes (`ulimit -v`)}, or -1 for none
    public static long addressSpace() {
        return soft("Max address space");
    }

    /// {@return the soft limit on the size of a file this process writes, in bytes (`ulimit -f`,
    /// which bash counts in KiB and dash in 512-byte blocks)}, or -1 for none. Writing or
    /// extending a file past it fails with EFBIG ("File too large"): the JVM ignores SIGXFSZ.
    public static long fileSize() {
        return soft("Max file size");
    }

    /// Refuses a file of `bytes` bytes that this process may not write (see [#fileSize()]),
    /// before it is made: "File too large" alone named neither the size nor the limit.
    /// @param what the file, as the error should name it ("out.npy: the output, made for 200001 rows,")
    /// @throws IOException saying so, when `bytes` is over the limit
    public static void checkFileSize(String what, long bytes) throws IOException {
        long limit = fileSize();
        if (limit >= 0 && bytes > limit) {
            throw new IOException(what + " is " + bytes + " bytes, more than this process may write to a"
                    + " file (ulimit -f: " + limit + " bytes)");
        }
    }

    /// {@return the soft limit on open files (`ulimit -n`)}, or -1 for none. The JVM raises it
    /// to the hard limit as it starts.
    public static long openFiles() {
        return soft("Max open files");
    }

    /// {@return the files this process has open}, or -1 where it cannot tell
    public static long filesOpen() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /// {@return the soft value of the limit `name`}, or -1 when unlimited (or no /proc to read)
    private static long soft(String name) {
        try {
            for (String line : Files.readAllLines(LIMITS)) {
                if (line.startsWith(name)) {
                    String soft = line.substring(name.length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux), or a form this does not know: as without a limit
        }
        return -1;
    }
}
