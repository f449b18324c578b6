package io.ferry.proc;

import io.ferry.FerryException;

/// Thrown when [Worker#join(java.time.Duration)] waited its whole timeout and the task had not finished.
/// The worker keeps running; [Worker#close()] stops it.
public final class WorkerTimeoutException extends FerryException {
    WorkerTimeoutException(String message) {
        super(message);
    }
}
