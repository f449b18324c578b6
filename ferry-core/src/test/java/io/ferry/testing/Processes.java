package io.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/// Whether processes run, as `/proc` tells it, for tests that kill parents and children.
public final class Processes {
    private Processes() {
    }

    /// {@return whether `pid` is still running} A zombie is not: it has exited and released its
    /// memory and files, and only waits for its new parent to reap it, which this machine's init
    /// does about a second late (ProcessHandle.isAlive counts zombies as alive).
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /// Polls until `pid` no longer runs. {@return whether it stopped within `limit`}
    public static boolean awaitExit(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
