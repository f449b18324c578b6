package io.ferry.proc;

/// Receives the messages tasks send during a [WorkerPool] map: progress, handles of shared
/// memory, anything a task sends before returning its result.
///
/// It runs on the pool's thread for that worker, so calls for different inputs can come at the
/// same time from different threads. A reply goes back to exactly that task through `task`:
///
/// ```java
/// TaskMessageHandler ack = (index, message, task) -> task.send("done");
/// ```
///
/// If it throws, the input fails with that exception and its worker is replaced (the task may be
/// waiting for a reply that will never come). The worker is ended with SIGTERM, whose exit hooks
/// remove the shared segments it still owns: one whose handle it sent and this handler never
/// attached is the child's until then, and stayed in `/dev/shm` when the child was killed outright.
@FunctionalInterface
public interface TaskMessageHandler {
    /// Handles `message`, sent by the task working on input `index`.
    /// @param task the channel to that task, for replies
    void onMessage(int index, Object message, Channel task) throws Exception;

    /// {@return a handler that drops every message}
    static TaskMessageHandler ignore() {
        return (index, message, task) -> { };
    }
}
