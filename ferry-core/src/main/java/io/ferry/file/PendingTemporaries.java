package io.ferry.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/// The temporary files of this process that are neither committed nor discarded yet, removed when
/// the JVM exits by `System.exit`, SIGTERM or SIGINT while a job writes them: a `ferry convert`
/// whose driver went, a `ferry load -o` stopped with Ctrl-C. One hook for every writer, and a file
/// is pending from before it is created: a hook each writer added once its file was open would
/// leave the file of an exit that came in between (it did, under load, for a conversion whose
/// HDF5 file took longer to open than its driver took to go).
///
/// What `kill -9` leaves, no hook can remove; the next writer of the same output does
/// ([OutputFile#sweepStale]).
final class PendingTemporaries {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(
                    Thread.ofPlatform().name("ferry-output-cleanup").unstarted(PendingTemporaries::removeAll));
        } catch (IllegalStateException exiting) {
            // Loaded as the exit began (a signal at the first output's creation): add refuses
            // every file from now on. It failed this class, and the command printed a stack trace.
        }
    }

    private PendingTemporaries() {
    }

    /// Marks `temporary`, about to be created, for removal if the JVM exits before [#settled].
    /// @throws IOException when the JVM is exiting already: nothing may be created then
    static void add(Path temporary) throws IOException {
        PENDING.add(temporary);
        if (exiting()) {
            PENDING.remove(temporary);
            throw new IOException("the JVM is exiting: " + temporary + " is not created");
        }
    }

    /// Says `temporary` is renamed onto its target or removed: the exit leaves its name alone.
    static void settled(Path temporary) {
        PENDING.remove(temporary);
    }

    /// {@return whether the JVM's shutdown has begun}, which a hook cannot be added during
    private static boolean exiting() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private static void removeAll() {
        for (Path p : PENDING) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // nothing more can be done while the JVM exits; the next writer sweeps it
            }
        }
    }
}
