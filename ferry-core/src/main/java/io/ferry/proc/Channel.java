package io.ferry.proc;

import java.time.Duration;

/// A two-way message channel between a parent and one child JVM: each message is one JSON value.
///
/// The parent's end is the [Worker] itself; a task's end is the channel passed to
/// [WorkerTask#run(Object, Channel)]. Messages arrive in the order they were sent. Sending is safe
/// from any thread; receiving is meant for one thread at a time.
///
/// On the wire each message is one line of JSON; see the package documentation for the format.
/// Sealed: its two ends are the only ones.
public sealed interface Channel permits Worker, ParentChannel {
    /// Sends `message` to the other end.
    ///
    /// @param message anything [io.ferry.json.Json#write(Object)] accepts
    /// @throws IllegalArgumentException when `message` cannot be written as JSON
    /// @throws ChannelClosedException   when the other end is gone
    void send(Object message);

    /// {@return the next message from the other end}, waiting at most `timeout` for it.
    ///
    /// @throws ChannelTimeoutException when nothing arrived within `timeout`
    /// @throws ChannelClosedException  when the other end is gone and no message is left
    Object receive(Duration timeout);
}
