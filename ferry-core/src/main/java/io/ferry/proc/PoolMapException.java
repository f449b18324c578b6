package io.ferry.proc;

import io.ferry.FerryException;

import java.util.List;

/// Some inputs of a [WorkerPool#map] failed; every other input ran to the end. The message lists
/// each failed input with the reason; [#outcomes()] has every input's result or error.
public final class PoolMapException extends FerryException {
    private static final int LISTED = 20;

    private final transient List<TaskOutcome> outcomes;

    PoolMapException(List<TaskOutcome> outcomes) {
        super(describe(outcomes), firstError(outcomes));
        this.outcomes = List.copyOf(outcomes);
    }

    /// {@return every input's outcome, in input order}
    public List<TaskOutcome> outcomes() {
        return outcomes;
    }

    /// {@return the failed inputs' outcomes, in input order}
    public List<TaskOutcome.Failure> failures() {
        return failures(outcomes);
    }

    private static List<TaskOutcome.Failure> failures(List<TaskOutcome> outcomes) {
        return outcomes.stream().filter(o -> o instanceof TaskOutcome.Failure)
                .map(o -> (TaskOutcome.Failure) o).toList();
    }

    private static Throwable firstError(List<TaskOutcome> outcomes) {
        return failures(outcomes).stream().findFirst().map(TaskOutcome.Failure::error).orElse(null);
    }

    private static String describe(List<TaskOutcome> outcomes) {
        List<TaskOutcome.Failure> failed = failures(outcomes);
        StringBuilder b = new StringBuilder().append(failed.size()).append(" of ").append(outcomes.size())
                .append(outcomes.size() == 1 ? " input" : " inputs").append(" failed:");
        failed.stream().limit(LISTED).forEach(f -> b.append("\n  input ").append(f.index()).append(" (")
                .append(WorkerFailedException.describeInput(f.input())).append("): ").append(f.reason()));
        if (failed.size() > LISTED) {
            b.append("\n  … and ").append(failed.size() - LISTED).append(" more");
        }
        return b.toString();
    }
}
