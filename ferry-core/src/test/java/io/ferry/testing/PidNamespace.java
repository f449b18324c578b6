package io.ferry.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/// Runs a command as a chosen pid of a new pid namespace that shares this one's `/dev/shm`, as a
/// container of the same pod does: `unshare --pid --fork --mount-proc` (util-linux; needs root),
/// then the namespace's first process sets `ns_last_pid` so that the command gets the pid asked.
///
/// Two commands started with the same pid are two processes with the same pid in different
/// namespaces: what Ferry must tell apart. Killing the `unshare` process kills the namespace
/// (`--kill-child`), and with it everything in it.
public final class PidNamespace {
    private PidNamespace() {
    }

    /// {@return a pid for a test}: random, so that concurrent test runs on one machine rarely pick
    /// the same, and one that no process here has and no name in `/dev/shm` carries, so that what
    /// a test plants or removes under it is never another run's
    public static long randomPid() {
        while (true) {
            long pid = ThreadLocalRandom.current().nextLong(2_000, 60_000);
            if (ProcessHandle.of(pid).isEmpty() && ShmLeakCheck.filesOf(pid).isEmpty()) {
                return pid;
            }
        }
    }

    /// {@return `command` run as process `pid` of a new pid namespace}; aborts the test when this
    /// machine cannot make one (not root, no `unshare`)
    public static List<String> command(long pid, List<String> command) {
        requireSupport();
        List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "sh", "-c",
                // The shell is the namespace's pid 1; it forks the command (not exec), which so gets
                // the pid after ns_last_pid. "exit $?" keeps the shell from exec'ing it as an optimisation.
                "echo " + (pid - 1) + " > /proc/sys/kernel/ns_last_pid && \"$@\"; exit $?", "sh"));
        cmd.addAll(command);
        return cmd;
    }

    /// {@return the process of `root`'s tree (itself or a descendant) whose command line contains `marker`}
    public static ProcessHandle find(Process root, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var found = root.toHandle().descendants().filter(p -> p.info().commandLine().orElse("").contains(marker)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no process with '" + marker + "' under " + root.pid());
    }

    private static volatile Boolean supported;

    private static void requireSupport() {
        if (supported == null) {
            boolean ok;
            try {
                Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "true")
                        .redirectErrorStream(true).start();
                ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            }
            supported = ok;
        }
        if (!supported) {
            String why = "needs root and util-linux's unshare to run a process in a new pid namespace";
            if ("true".equals(System.getenv("CI")) && isRoot()) {
                throw new AssertionError(why);
            }
            Assumptions.abort(why);
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
