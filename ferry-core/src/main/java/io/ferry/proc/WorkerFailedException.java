package io.ferry.proc;

import io.ferry.FerryException;
import io.ferry.json.Json;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/// A child JVM failed: its task threw, or it exited or was killed before finishing its input.
///
/// The message says which worker (task and pid), how it ended (exit code, or the signal that
/// killed it), which input it was working on, the task's exception if there was one, and the last
/// lines of the child's standard error, e.g.
///
/// ```text
/// worker 'io.ferry.text.LoadTask' (pid 1234) exited with code 1 while processing input 3 ("data3.txt"): java.lang.IllegalStateException: line 7: bad number
///   remote stack:
///     java.lang.IllegalStateException: line 7: bad number
///         at io.ferry.text.LoadTask.run(LoadTask.java:42)
///   stderr tail (last 2 lines):
///     reading data3.txt
///     ferry worker: task io.ferry.text.LoadTask failed on input 3
/// ```
public final class WorkerFailedException extends FerryException {
    private static final int STACK_LINES_IN_MESSAGE = 15;
    private static final int INPUT_CHARS_IN_MESSAGE = 80;

    private final String task;
    private final long pid;
    private final Integer exitCode;
    private final long inputIndex;
    private final transient Object input;
    private final String errorType;
    private final String errorMessage;
    private final String remoteStack;
    private final List<String> stderrTail;

    /// @param error  what the task threw, null when it threw nothing
    /// @param detail how the child failed when the task threw nothing, or null
    WorkerFailedException(String task, long pid, Integer exitCode, long inputIndex, Object input,
                          Envelope.Failure error, String detail, List<String> stderrTail) {
        super(compose(task, pid, exitCode, inputIndex, input, error, detail, stderrTail));
        this.task = task;
        this.pid = pid;
        this.exitCode = exitCode;
        this.inputIndex = inputIndex;
        this.input = input;
        this.errorType = error == null ? null : error.error();
        this.errorMessage = error == null ? null : error.message();
        this.remoteStack = error == null ? null : error.stack();
        this.stderrTail = List.copyOf(stderrTail);
    }

    /// {@return the task's class name}
    public String task() {
        return task;
    }

    /// {@return the child's process id}
    public long pid() {
        return pid;
    }

    /// {@return the child's exit code}, empty when it was still running (a pool's child survives
    /// its task's exception). A child killed by signal `n` has `128 + n`, as a shell reports it.
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /// {@return the signal that killed the child}, when its exit code says one did
    public OptionalInt signal() {
        return exitCode != null && exitCode > 128 && exitCode < 128 + 65
                ? OptionalInt.of(exitCode - 128) : OptionalInt.empty();
    }

    /// {@return the index of the input being processed}, empty when the child failed between inputs
    public OptionalLong inputIndex() {
        return inputIndex < 0 ? OptionalLong.empty() : OptionalLong.of(inputIndex);
    }

    /// {@return the input being processed, as given}, empty when there was none (or it was JSON `null`)
    public Optional<Object> input() {
        return Optional.ofNullable(input);
    }

    /// {@return the class name of the exception the task threw}, empty when it threw none
    public Optional<String> errorType() {
        return Optional.ofNullable(errorType);
    }

    /// {@return the message of the exception the task threw}, empty when it threw none
    public Optional<String> errorMessage() {
        return Optional.ofNullable(errorMessage);
    }

    /// {@return the child's stack trace of the exception the task threw, as text}, empty when it threw none
    public Optional<String> remoteStackTrace() {
        return Optional.ofNullable(remoteStack);
    }

    /// {@return the last lines the child wrote to its standard error, oldest first}
    public List<String> stderrTail() {
        return stderrTail;
    }

    /// {@return `"SIGKILL"` for 9 and so on}, the usual Linux names; `"signal n"` for others
    public static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 6 -> "SIGABRT";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 14 -> "SIGALRM";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
    }

    /// {@return `input` as short JSON for a message}
    static String describeInput(Object input) {
        String s;
        try {
            s = Json.write(input);
        } catch (IllegalArgumentException e) {
            s = String.valueOf(input);
        }
        return s.length() <= INPUT_CHARS_IN_MESSAGE ? s : s.substring(0, INPUT_CHARS_IN_MESSAGE) + "…";
    }

    private static String compose(String task, long pid, Integer exitCode, long inputIndex, Object input,
                                  Envelope.Failure error, String detail, List<String> stderrTail) {
        StringBuilder b = new StringBuilder("worker '").append(task).append("' (pid ").append(pid).append(") ");
        if (exitCode == null) {
            b.append("failed");
        } else if (exitCode > 128 && exitCode < 128 + 65) {
            int signal = exitCode - 128;
            b.append("was killed by signal ").append(signal).append(" (").append(signalName(signal)).append(')');
        } else {
            b.append("exited with code ").append(exitCode);
        }
        if (inputIndex >= 0) {
            b.append(" while processing input ").append(inputIndex).append(" (").append(describeInput(input)).append(')');
        }
        if (error != null) {
            b.append(": ").append(error.error());
            if (!error.message().isEmpty()) {
                b.append(": ").append(error.message());
            }
        } else if (detail != null) {
            b.append(": ").append(detail);
        }
        if (error != null && !error.stack().isEmpty()) {
            b.append("\n  remote stack:");
            List<String> stack = error.stack().lines().toList();
            stack.stream().limit(STACK_LINES_IN_MESSAGE).forEach(l -> b.append("\n    ").append(l));
            if (stack.size() > STACK_LINES_IN_MESSAGE) {
                b.append("\n    … ").append(stack.size() - STACK_LINES_IN_MESSAGE).append(" more lines");
            }
        }
        if (stderrTail.isEmpty()) {
            b.append("\n  stderr: (nothing)");
        } else {
            b.append("\n  stderr tail (last ").append(stderrTail.size()).append(stderrTail.size() == 1 ? " line):" : " lines):");
            stderrTail.forEach(l -> b.append("\n    ").append(l));
        }
        return b.toString();
    }
}
