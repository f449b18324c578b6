/// The conversion engine: inputs planned into parts, workers (threads or child JVMs) parsing into
/// a fixed pool of chunk slots, one writer appending each slot to its dataset in order.
///
/// It knows no file format: a [PartReader] parses a part of an input into a slot, an
/// [InputFormat] says which inputs can be cut and what their text is, a [TableSink] stores each
/// input's rows as a dataset. [Pipeline] is the facade; behind it, one class each:
///
/// - planning: [ConversionPlan] cuts the inputs into [Part]s; `SlotBudget` shares out the memory
///   (chunk rows, slots per worker, the sink's buffers) and is the one place chunk rows are decided;
/// - the workers: [ThreadWorkers], or [ProcessWorkers] with a `ChildProxy` per child JVM, the slots
///   in `SharedSlots`, and [ParseTask] in the child, the two speaking `PartMessage`s; both take parts
///   from a `PartQueue`, fill slots of a `SlotPool` (each worker its own `FreeSlots`) and tell
///   `WorkerReports` what they did;
/// - the writer's side: `EventLoop` takes the reports and decides what a failure does;
///   `InOrderWriter` appends each chunk in file order and gives its slot back.
package io.ferry.pipeline;
