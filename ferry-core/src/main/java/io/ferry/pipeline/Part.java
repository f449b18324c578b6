package io.ferry.pipeline;

/// A piece of work: the lines of an input that start in `[start, end)`.
///
/// An input split among workers has parts `0..n-1` in file order; their rows are written in that
/// order, so a dataset's rows keep the file's order.
///
/// @param input the input's index
/// @param index this part's index within its input
/// @param start first byte (inclusive)
/// @param end   last byte (exclusive); `Long.MAX_VALUE` for "to the end"
/// @param last  whether this is the input's last part
public record Part(int input, int index, long start, long end, boolean last) {
}
