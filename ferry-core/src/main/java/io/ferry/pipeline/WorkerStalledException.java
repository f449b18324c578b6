package io.ferry.pipeline;

import io.ferry.FerryException;

/// A worker JVM stalled and was killed: it was stopped (`kill -STOP`, a debugger) for 2 s, or made
/// no progress for the stall timeout while it had a part to parse, or did not map the chunk slots
/// or exit in time. The message names the process, what it was doing and its state, e.g.
///
/// ```text
/// worker process 1234 is stopped while parsing data3.txt: its state is T (stopped by SIGSTOP or SIGTSTP); after 2 s it was killed
/// ```
///
/// A worker's failure, as one that died is ([io.ferry.proc.WorkerFailedException]): `ferry
/// convert --json` says `"kind": "worker"` for both, and Python raises `ferry.WorkerError`.
public final class WorkerStalledException extends FerryException {
    WorkerStalledException(String message) {
        super(message);
    }
}
