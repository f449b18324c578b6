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
        command.addAll(AddressSpaceCap.childOptions());                   // the same
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

    /// Kills `process` with `SIGKILL`, and every process it started: a stopped one too.
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
