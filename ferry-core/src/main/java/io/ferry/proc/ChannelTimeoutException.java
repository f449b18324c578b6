package io.ferry.proc;

import io.ferry.FerryException;

/// Thrown when [Channel#receive(java.time.Duration)] waited its whole timeout and no message came.
public final class ChannelTimeoutException extends FerryException {
    ChannelTimeoutException(String message) {
        super(message);
    }
}
