package io.ferry.proc;

import io.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/// Starting a worker's JVM, and ending it with everything it started.
///
/// The child runs the same `java` with the same class path (see [WorkerOptions]),
/// `--enable-native-access=ALL-UNNAMED`, and this JVM's class-data cache ([ClassDataCache]); its
/// main class is [ChildMain]. It starts through `/bin/sh` when there is one: the shell moves the
/// channel off descriptors 0 and 1 before `java` runs (see [ChildMain] for why), then becomes
/// `java` (same pid, no shell left).
///
/// A child still running when this JVM exits (SIGINT, SIGTERM, `System.exit`) is ended by
/// [#endAtExit()], stopped or not.
final class ChildJvm {
    private static final Path SHELL = Path.of("/bin/sh");
    /// How long a child may take to exit at this JVM's exit once told to, before it is killed;
    /// then as long again for the kill to take.
    private static final long AT_EXIT_GRACE_MILLIS = 1_000;
    /// The children started and not yet exited, for [#endAtExit()].
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static boolean exitHookAdded;

    private ChildJvm() {
    }

    /// {@return a new child JVM}; a looping one takes inputs until it is stopped, and survives its
    /// task's exceptions
    /// @throws FerryException when it cannot be started
    static Process start(WorkerOptions options, boolean loop) {
        endChildrenAtExit();
        try {
            Process child = new ProcessBuilder(command(options, loop)).start();
            RUNNING.add(child);
            child.onExit().thenRun(() -> RUNNING.remove(child));
            return child;
        } catch (IOException e) {
            throw new FerryException("could not start a worker JVM with " + options.javaCommand() + ": " + why(e), e);
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

    /// {@return why a child could not start, on one line}: the JDK's first line only, which says it
    /// ("error: 24 (Too many open files)"), not the guesses it adds below ("Possible reasons: Spawn
    /// helper ran into JDK version mismatch", …), with the remedy for a descriptor limit
    static String why(IOException e) {
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        return first.contains("Too many open files")
                ? first + "; raise the limit (ulimit -n), or use --isolation thread, which starts no JVM" : first;
    }

    /// Arranges [#endAtExit()], once; not when the JVM is exiting already (a hook cannot be added then).
    private static synchronized void endChildrenAtExit() {
        if (!exitHookAdded) {
            try {
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ferry-workers-exit").unstarted(ChildJvm::endAtExit));
                exitHookAdded = true;
            } catch (IllegalStateException exiting) {
                // the child started now is left to see this JVM go, as every child was before
            }
        }
    }

    /// Ends every child still running as this JVM exits. A running child would go by itself once
    /// we are gone (it watches its parent), but a stopped one (SIGSTOP, SIGTSTP) watches nothing:
    /// after `ferry convert` exited 130 or 143 it stayed, stopped for ever, reparented to init and
    /// holding its memory. So each child is asked to go with SIGTERM (its shutdown hooks run; ending
    /// its standard input instead had it say why on our standard error after a Ctrl-C), given
    /// [#AT_EXIT_GRACE_MILLIS] to exit, then killed with SIGKILL, which ends a stopped process
    /// too, and waited for: none outlives us, and the wait is bounded.
    private static void endAtExit() {
        List<Process> children = List.copyOf(RUNNING);
        children.forEach(Process::destroy);
        try {
            awaitExit(children);
            children.stream().filter(Process::isAlive).forEach(ChildJvm::killTree);
            awaitExit(children);
        } catch (InterruptedException e) {
            children.forEach(ChildJvm::killTree);
        }
    }

    /// Waits at most [#AT_EXIT_GRACE_MILLIS] in all for `children` to exit.
    private static void awaitExit(List<Process> children) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AT_EXIT_GRACE_MILLIS);
        for (Process child : children) {
            child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
