package io.ferry.proc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/// How child JVMs are started and stopped; an immutable value, changed with the `with…` methods.
///
/// ```java
/// WorkerOptions small = WorkerOptions.DEFAULT.withJvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"));
/// ```
///
/// @param javaCommand     the `java` launcher; by default the one running this JVM
/// @param classPath       the child's class path; by default this JVM's `java.class.path` (under
///                        Maven Surefire a manifest-only jar, which `-cp` follows as well)
/// @param jvmOptions      extra JVM options (heap, GC, `-D` properties), before the main class and
///                        after this JVM's class-data cache options, which a child on the same
///                        class path is given (so these can override them)
/// @param echoStderr      whether the child's standard error (and its `System.out`) is copied to
///                        this JVM's `System.err`, each line prefixed with the child's pid
/// @param stderrTailLines how many of the child's last stderr lines a failure report quotes
/// @param stopTimeout     how long [Worker#close()] waits for a child to stop before killing it
/// @param inputTimeout    how long a [WorkerPool] waits for one input's result before it kills the
///                        child and fails the input; [Duration#ZERO] waits for ever. (A single
///                        [Worker] has [Worker#join(Duration)] instead.)
public record WorkerOptions(Path javaCommand, String classPath, List<String> jvmOptions, boolean echoStderr,
                            int stderrTailLines, Duration stopTimeout, Duration inputTimeout) {

    /// This JVM's `java`, class path and no extra options; stderr echoed; 20 tail lines; 5 s to
    /// stop; no input timeout.
    public static final WorkerOptions DEFAULT = new WorkerOptions(currentJava(),
            System.getProperty("java.class.path", ""), List.of(), true, 20, Duration.ofSeconds(5), Duration.ZERO);

    public WorkerOptions {
        Objects.requireNonNull(javaCommand, "javaCommand");
        Objects.requireNonNull(classPath, "classPath");
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        if (stderrTailLines < 0) {
            throw new IllegalArgumentException("stderrTailLines must be >= 0, not " + stderrTailLines);
        }
        if (stopTimeout.isNegative()) {
            throw new IllegalArgumentException("stopTimeout must not be negative: " + stopTimeout);
        }
        Objects.requireNonNull(inputTimeout, "inputTimeout");
        if (inputTimeout.isNegative()) {
            throw new IllegalArgumentException("inputTimeout must not be negative: " + inputTimeout);
        }
    }

    /// {@return these options with `javaCommand` as the launcher}
    public WorkerOptions withJavaCommand(Path javaCommand) {
        return new WorkerOptions(javaCommand, classPath, jvmOptions, echoStderr, stderrTailLines, stopTimeout, inputTimeout);
    }

    /// {@return these options with `classPath` for the child}
    public WorkerOptions withClassPath(String classPath) {
        return new WorkerOptions(javaCommand, classPath, jvmOptions, echoStderr, stderrTailLines, stopTimeout, inputTimeout);
    }

    /// {@return these options with `jvmOptions` (replacing the previous ones)}
    public WorkerOptions withJvmOptions(List<String> jvmOptions) {
        return new WorkerOptions(javaCommand, classPath, jvmOptions, echoStderr, stderrTailLines, stopTimeout, inputTimeout);
    }

    /// {@return these options with the child's stderr echoed or not}
    public WorkerOptions withEchoStderr(boolean echoStderr) {
        return new WorkerOptions(javaCommand, classPath, jvmOptions, echoStderr, stderrTailLines, stopTimeout, inputTimeout);
    }

    /// {@return these options quoting `stderrTailLines` lines of stderr in failure reports}
    public WorkerOptions withStderrTailLines(int stderrTailLines) {
        return new WorkerOptions(javaCommand, classPath, jvmOptions, echoStderr, stderrTailLines, stopTimeout, inputTimeout);
    }

    /// {@return these options with `stopTimeout` before stragglers are killed}
    public WorkerOptions withStopTimeout(Duration stopTimeout) {
        return new WorkerOptions(javaCommand, classPath, jvmOptions, echoStderr, stderrTailLines, stopTimeout, inputTimeout);
    }

    /// {@return these options with `inputTimeout` for each input of a pool ([Duration#ZERO]: none)}
    public WorkerOptions withInputTimeout(Duration inputTimeout) {
        return new WorkerOptions(javaCommand, classPath, jvmOptions, echoStderr, stderrTailLines, stopTimeout, inputTimeout);
    }

    // java.home is the JDK running us; ProcessHandle's command is the fallback for odd launchers.
    private static Path currentJava() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java;
        }
        return ProcessHandle.current().info().command().map(Path::of).orElse(Path.of("java"));
    }
}
