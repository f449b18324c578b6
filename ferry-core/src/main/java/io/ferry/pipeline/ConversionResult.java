package io.ferry.pipeline;

import java.util.List;
import java.util.Map;

/// What a conversion did.
///
/// @param inputs   every input, in order
/// @param rows     rows written per input (0 for a failed one)
/// @param failures the inputs that failed (empty unless the run kept going past failures), with why
/// @param bytesIn  input bytes read
/// @param seconds  wall time
/// @param workers  the workers that ran: as many as asked for, but no more than there were parts
public record ConversionResult(List<Input> inputs, long[] rows, Map<Input, Throwable> failures, long bytesIn,
                               double seconds, int workers) {

    /// {@return the total rows written}
    public long totalRows() {
        long s = 0;
        for (long r : rows) {
            s += r;
        }
        return s;
    }

    /// {@return whether every input was converted}
    public boolean complete() {
        return failures.isEmpty();
    }

    /// {@return whether every input failed (keeping going)}: there is nothing to write then
    public boolean allFailed() {
        return !inputs.isEmpty() && failures.size() == inputs.size();
    }
}
