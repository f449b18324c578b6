package io.ferry.pipeline;

import io.ferry.FerryException;

/// The memory given a conversion (`--memory`, [Pipeline.Builder#memoryBytes(long)]) cannot hold
/// two chunks per worker: a mistake in the call, not in the data, found when the run is planned.
/// `ferry convert` exits 64 for it, as for any option out of its range.
public final class MemoryBudgetException extends FerryException {
    MemoryBudgetException(String message) {
        super(message);
    }
}
