/// Child JVM workers, the message channel to them, and pools of them: Java's counterpart of
/// Python's `multiprocessing.Process` and `Pool`.
///
/// - [Worker]: one child JVM running a [WorkerTask] on one input, with send/receive while it runs,
///   `join`, exit code, and failures reported as [WorkerFailedException] (exit code or signal,
///   the input, the task's exception and the tail of the child's stderr).
/// - [WorkerPool]: N reused children; `map` returns results in input order, and a failed input or
///   a dead child fails only that input ([PoolMapException], [TaskOutcome]).
/// - [ChildMain]: the child's main class. A child exits by itself when its parent dies.
///
/// ## The channel: JSON lines over the child's standard input and output
///
/// Each message is one line: a JSON object written by [io.ferry.json.Json], ASCII only (every
/// other character is escaped), ending with `\n`. `type` says what it carries; `seq` is the index
/// of the input it belongs to (`-1` between inputs). Never Java serialization. Every message there
/// is, with an example (`ChannelProtocolTest` checks these lines against the records of `Envelope`,
/// the protocol's one codec):
///
/// ```text
/// parent → child  {"type": "input", "seq": 3, "task": "com.example.LoadTask", "value": {"file": "data3.txt"}}
/// parent → child  {"type": "message", "seq": 3, "value": "done"}
/// parent → child  {"type": "stop"}
/// child → parent  {"type": "begin", "seq": 3}
/// child → parent  {"type": "message", "seq": 3, "value": {"name": "ferry_ab12", "shape": [3, 4]}}
/// child → parent  {"type": "result", "seq": 3, "value": 42}
/// child → parent  {"type": "error", "seq": 3, "error": "java.lang.IllegalStateException", "message": "line 7: bad number", "stack": "java.lang.IllegalStateException: line 7: bad number\n\tat com.example.LoadTask.run(LoadTask.java:42)\n"}
/// ```
///
/// A child sends `begin` when it takes an input (a time limit on an input counts from there, not
/// from the JVM's start), any number of `message`s while it works on it, then exactly one
/// `result` or `error`. Messages from the parent reach the task working on that `seq`; late ones are
/// dropped. The parent keeps lines from the child that do not start with `{` (the JVM's own
/// `-Xlog` output goes to standard output) with the child's stderr; any other line that is not a
/// message is a protocol error that ends the child.
///
/// Standard error is free text: it is drained by the parent, echoed (by default) and its last
/// lines quoted in failure reports.
///
/// ## Handing over shared memory
///
/// The channel carries handles, not data. A task fills a shared segment, sends its handle
/// (`{"name": …, "shape": …, "dtype": …}`) with [Channel#send(Object)], and waits with
/// [Channel#receive(java.time.Duration)] for the parent's reply; the parent attaches when the
/// handle arrives ([Worker#receive(java.time.Duration)], or a [TaskMessageHandler] in a pool),
/// replies `"done"`, and the task returns and lets go of its segment. A task may send any number
/// of such messages before its result (progress, one handle per filled chunk slot), and a
/// long-running task can serve a stream of requests from the parent the same way. If either side
/// dies in between, the other's `receive` fails at once ([WorkerFailedException] in the parent;
/// in the child, [ChannelClosedException], and the child exits by itself).
package io.ferry.proc;
