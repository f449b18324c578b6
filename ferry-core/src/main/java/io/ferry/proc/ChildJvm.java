package io.ferry.proc;

import io.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// Starting a worker's JVM, and ending it with everything it started.
///
/// The child runs the same `java` with the same class path (see [WorkerOptions]),
/// `--enable-native-access=ALL-UNNAMED`, and this JVM's class-data cache ([ClassDataCache]); its
/// main class is [ChildMain]. It starts through `/bin/sh` when there is one: the shell moves the
/// channel off descriptors 0 and 1 before `java` runs (see [ChildMain] for why), then becomes
/// `java` (same pid, no shell left).
final class ChildJvm {
    private static final Path SHELL = Path.of("/bin/sh");

    private ChildJvm() {
    }

    /// {@return a new child JVM}; a looping one takes inputs until it is stopped, and survives its
    /// task's exceptions
    /// @throws FerryException when it cannot be started
    static Process start(WorkerOptions options, boolean loop) {
        try {
            return new ProcessBuilder(command(options, loop)).start();
        } catch (IOException e) {
            throw new FerryException("could not start a worker JVM with " + options.javaCommand() + ": " + e.getMessage(), e);
        }
    }

    /// {@return the command line that starts a child JVM}
    static List<String> command(WorkerOptions options, boolean loop) {
        List<String> command = new ArrayList<>();
        boolean viaShell = Files.isExecutable(SHELL);
        if (viaShell) {
            command.addAll(List.of(SHELL.toString(), "-c", "exec 3>&1 4<&0 1>&2 0</dev/null; exec \"$0\" \"$@\""));
        }
        command.add(options.javaCommand().toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add(JvmCrash.defaultErrorFileOption()); // a crash log never lands in the working directory
        command.addAll(ClassDataCache.optionsFor(options.classPath())); // before the caller's: theirs win
        command.addAll(capOptions());                                     // the same
        command.addAll(options.jvmOptions());
        if (!options.classPath().isEmpty()) {
            command.add("-cp");
            command.add(options.classPath());
        }
        command.add(ChildMain.class.getName());
        command.add(loop ? ChildMain.MODE_LOOP : ChildMain.MODE_ONCE);
        command.add(Long.toString(ProcessHandle.current().pid()));
        if (viaShell) {
            command.add(ChildMain.CHANNEL_FDS);
        }
        return command;
    }

    /// {@return the options that size a child JVM to a cap on address space (`ulimit -v`: Grid
    /// Engine's `h_vmem`), which it inherits}, none without a cap. A JVM reserves a quarter of the
    /// machine's memory for its heap, 1 GiB of class space and 240 MiB for compiled code before it
    /// starts; under a cap of a few GiB a child JVM did not start at all ("Could not allocate
    /// compressed class space"). It reserves what fits, as the `ferry` launcher has its own JVM do.
    private static List<String> capOptions() {
        long soft = ProcessLimits.addressSpace();
        if (soft <= 0) {
            return List.of();
        }
        return List.of("-Xmx" + Math.max(16, (soft / 4) >> 20) + "m", "-XX:CompressedClassSpaceSize=128m",
                "-XX:ReservedCodeCacheSize=64m");
    }

    /// Kills `process` with `SIGKILL`, and every process it started: a stopped one too.
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
