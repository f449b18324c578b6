/// The conversion pipeline: inputs planned into parts, workers (threads or child JVMs) parsing into
/// a fixed pool of chunk slots, one writer appending each slot to its dataset in order.
///
/// See [io.ferry.pipeline.Conversion].
package io.ferry.pipeline;
