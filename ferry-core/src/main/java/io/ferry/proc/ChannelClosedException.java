package io.ferry.proc;

import io.ferry.FerryException;

/// Thrown when a channel's other end is gone or has finished, so no message can come or go.
///
/// The parent sees a [WorkerFailedException] instead when the child failed; this one means an
/// orderly end (the task returned, or the channel was closed).
public final class ChannelClosedException extends FerryException {
    ChannelClosedException(String message) {
        super(message);
    }
}
