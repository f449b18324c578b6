package io.ferry.proc;

/// Work that runs inside a child JVM, named by its class: the `target` of Python's
/// `Process(target=f, args=…)`.
///
/// The class must be public, with a public no-argument constructor, and on the class path the
/// child gets (the parent's own, by default). One instance serves every input a child is given,
/// so a task may keep caches between inputs, but must not rely on one input's state in the next.
///
/// ```java
/// public class Greeting implements WorkerTask {
///     @Override
///     public Object run(Object input, Channel channel) {
///         String name = Json.asString(input, "the input");
///         channel.send("hello " + name);                        // any number of messages, any time
///         Object reply = channel.receive(Duration.ofSeconds(30)); // and replies from the parent
///         return name.toUpperCase() + " " + reply;              // the result, sent back as JSON
///     }
/// }
/// ```
///
/// In the child, `System.out` goes to the child's standard error, so printing cannot corrupt the
/// channel; `System.in` is empty.
public interface WorkerTask {
    /// Runs the task on one input and returns its result.
    ///
    /// @param input   the input as it arrives from JSON: `Map<String, Object>`, `List<Object>`,
    ///                `String`, `Long`, `Double`, `Boolean` or `null` (see [io.ferry.json.Json])
    /// @param channel the channel to the parent, for messages while the task runs
    /// @return the result, anything [io.ferry.json.Json#write(Object)] accepts
    /// @throws Exception to fail this input; the parent gets its type, message and stack
    Object run(Object input, Channel channel) throws Exception;
}
