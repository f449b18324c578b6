package io.ferry.file;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/// The renames that put outputs in place ([OutputFile#commit()]), each one step against an exit
/// that a signal asks for. An exit (Ctrl-C, SIGTERM, a driver gone) that came while an output was
/// being renamed into place raced it: its hooks removed the temporary file the rename was moving
/// ("cannot move ... no such file"), and one that came just after said 130 or 143, "interrupted,
/// the old file as it was", over a new file in place (an `--append` then retried failed: the
/// dataset was there).
///
/// Now an exit waits for a rename under way, and none starts after it: the output is the old file
/// or the new whole one, and the exit code can say which.
///
/// ```java
/// Commits.exit(true, 143);   // from a SIGTERM handler: 0 if an output is in place, else 143
/// ```
public final class Commits {
    private static final ReentrantLock RENAMING = new ReentrantLock();
    private static volatile boolean exiting;

    private Commits() {
    }

    /// Runs `rename`, which puts an output in place, with no exit of [#exit] starting meanwhile.
    static void rename(Rename rename) throws IOException {
        RENAMING.lock();
        try {
            if (exiting) {
                throw new IOException("the process is exiting: the output is not put in place");
            }
            rename.run();
        } finally {
            RENAMING.unlock();
        }
    }

    /// A rename of [#rename].
    @FunctionalInterface
    interface Rename {
        void run() throws IOException;
    }

    /// Ends the process by `System.exit` once no output is being renamed into place; none is
    /// renamed after. Does not return.
    /// @param zeroOnceInPlace exit with 0 if this process has put an output in place by then: a
    ///                        command whose one output is written has done its job, whatever
    ///                        asked it to end after that
    /// @param code            the exit code otherwise
    public static void exit(boolean zeroOnceInPlace, int code) {
        RENAMING.lock();   // never unlocked: the process ends
        exiting = true;
        System.exit(zeroOnceInPlace && !OutputFile.committed().isEmpty() ? 0 : code);
    }

    /// {@return whether an exit of [#exit] is under way}: a failure seen from now on is its doing
    /// (a child process killed by the exit's hooks, a temporary file they removed), not news
    public static boolean exiting() {
        return exiting;
    }
}
