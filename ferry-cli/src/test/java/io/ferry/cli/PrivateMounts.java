package io.ferry.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/// Another `/dev/shm` for one `ferry` JVM and its workers only: they run in a mount namespace of
/// their own (`unshare --mount`), where a shell script first changes what `/dev/shm` is. The rest
/// of the machine, this test JVM included, keeps the real one. Needs root (or the capability to
/// mount); tests skip with the reason where that is missing.
final class PrivateMounts {
    private PrivateMounts() {
    }

    /// {@return the wrapper for [FerryJvm#start(List, String...)] that runs `script` (bash, as
    /// root, in the new mount namespace) and then the java command}
    static List<String> wrapper(String script) {
        return List.of("unshare", "--mount", "--propagation", "private", "bash", "-c",
                "set -e\n" + script + "\nexec \"$@\"", "ferry");
    }

    /// `/dev/shm` bound to `dir` (a tmpfs the test mounted there, say).
    static String devShmAt(Path dir) {
        return "mount --bind '" + dir + "' /dev/shm";
    }

    /// A `/dev` without `/dev/shm` (`file`: with a plain file there instead): a tmpfs over `/dev`
    /// holding the devices a JVM uses. It is made at `/mnt`, which the namespace hides: a folder made
    /// for it (`mktemp -d`) would stay behind in the machine's `/tmp`, empty, after every run.
    static String devWithoutShm(boolean file) {
        return """
                d=/mnt
                mount -t tmpfs -o size=1m tmpfs "$d"
                for n in null zero random urandom full; do touch "$d/$n"; mount --bind "/dev/$n" "$d/$n"; done
                ln -s /proc/self/fd "$d/fd"
                ln -s /proc/self/fd/0 "$d/stdin"; ln -s /proc/self/fd/1 "$d/stdout"; ln -s /proc/self/fd/2 "$d/stderr"
                """ + (file ? "echo 'not shared memory' > \"$d/shm\"\n" : "") + """
                mount --rbind "$d" /dev
                """;
    }

    /// Mounts a tmpfs of `size` (`64m`) at `dir`, or skips the test saying why it cannot.
    static void mountTmpfs(Path dir, String size) throws IOException, InterruptedException {
        assumeCanMount();
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    }

    static void unmount(Path dir) throws IOException, InterruptedException {
        run("umount", dir.toString());
    }

    /// Skips the test unless this process may make mount namespaces and mount in them.
    static void assumeCanMount() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "mount", "-t", "tmpfs",
                "tmpfs", "/mnt").redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        Assumptions.assumeTrue(done && p.exitValue() == 0,
                () -> "cannot make a mount namespace and mount a tmpfs here (needs root): " + said);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + said);
        }
    }
}
