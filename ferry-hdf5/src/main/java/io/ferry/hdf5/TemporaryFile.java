package io.ferry.hdf5;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/// The temporary file an [Hdf5Sink] writes before renaming it onto its target, and the sweep of
/// those left behind.
///
/// The name is `.TARGET.HOST-PID-RANDOM.ferry-tmp` beside the target (the final rename stays on
/// one file system, so it is atomic). A writer killed with `kill -9` cannot remove its file; the
/// next sink for the same target does, when the file was made on this host (the host's name,
/// hashed) by a process that no longer exists. A file from another host, as on a shared file
/// system, or from a live process, is never touched.
final class TemporaryFile {
    private static final String SUFFIX = ".ferry-tmp";
    private static final String HOST = Integer.toHexString(hostName().hashCode());

    private TemporaryFile() {
    }

    /// {@return a new temporary name for `target` (absolute), in its directory}
    static Path forTarget(Path target) {
        String tag = HOST + "-" + Long.toHexString(ProcessHandle.current().pid()) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        return target.resolveSibling("." + target.getFileName() + "." + tag + SUFFIX);
    }

    /// Removes the temporary files of `target` (absolute) left by dead processes of this host.
    /// {@return the files removed}; a file that cannot be listed or removed is left as it is
    static List<Path> sweepStale(Path target) {
        String prefix = "." + target.getFileName() + ".";
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.getParent(),
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(SUFFIX))) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                long pid = pidOf(name.substring(prefix.length(), name.length() - SUFFIX.length()));
                if (pid > 0 && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                    try {
                        Files.deleteIfExists(p);
                        removed.add(p);
                    } catch (IOException e) {
                        // another sweep got there first, or not ours to remove: leave it
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable directory: the sink's own file fails there with a clearer message
        }
        return removed;
    }

    /// {@return the pid in a tag `HOST-PID-RANDOM` made on this host}, or -1 (another host, or
    /// not a tag of ours)
    static long pidOf(String tag) {
        String[] parts = tag.split("-");
        if (parts.length != 3 || !parts[0].equals(HOST)) {
            return -1;
        }
        try {
            return Long.parseLong(parts[1], 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }
}
