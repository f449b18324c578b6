package io.ferry.proc;

import io.ferry.FerryException;

/// What became of one input of [WorkerPool#mapOutcomes]: its result, or why it failed.
public sealed interface TaskOutcome {
    /// {@return the input's position in the list given to the map}
    int index();

    /// {@return the input as given}
    Object input();

    /// {@return whether the task returned a result for this input}
    boolean succeeded();

    /// The task returned `result` for `input`, in the child with process id `pid`.
    /// @param result the result as it arrives from JSON (see [io.ferry.json.Json])
    record Success(int index, Object input, Object result, long pid) implements TaskOutcome {
        @Override
        public boolean succeeded() {
            return true;
        }
    }

    /// The input failed: usually a [WorkerFailedException] (the task threw, or its child died),
    /// or the pool was closed before the input ran.
    record Failure(int index, Object input, FerryException error) implements TaskOutcome {
        @Override
        public boolean succeeded() {
            return false;
        }

        /// {@return the first line of the error's message}, e.g. `worker '…' (pid 1234) was killed by signal 9 (SIGKILL) while processing input 3 ("data3.txt")`
        public String reason() {
            String m = String.valueOf(error.getMessage());
            int nl = m.indexOf('\n');
            return nl < 0 ? m : m.substring(0, nl);
        }
    }
}
