/// Deterministic sample data for tests, examples and benchmarks.
///
/// See [io.ferry.sample.MethylationTable].
package io.ferry.sample;
