package io.ferry.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// What a conversion would do ([Pipeline#preview()]): its datasets, parts, workers and memory,
/// worked out as [Pipeline#run()] works them out, before any row is read.
///
/// @param datasets   one per input, in order
/// @param workers    the workers that would run (no more than the parts)
/// @param chunkRows  rows per chunk (a dataset expected to be smaller gets smaller chunks)
/// @param slots      chunk slots in the pool
/// @param slotBytes  bytes per slot: a chunk of the widest row
/// @param sinkBytes  the most the sink's buffers (compression) would hold
/// @param failures   the inputs that would fail, with why (keeping going: the run leaves them out);
///                   their datasets are in `datasets` too
public record ConversionPreview(List<Dataset> datasets, int workers, long chunkRows, int slots, long slotBytes,
                                long sinkBytes, Map<Input, Throwable> failures) {

    public ConversionPreview {
        datasets = List.copyOf(datasets);
        failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /// A preview in which no input would fail.
    public ConversionPreview(List<Dataset> datasets, int workers, long chunkRows, int slots, long slotBytes, long sinkBytes) {
        this(datasets, workers, chunkRows, slots, slotBytes, sinkBytes, Map.of());
    }

    /// {@return this preview, with `in` among the inputs that would fail}
    public ConversionPreview failing(Input in, Throwable why) {
        Map<Input, Throwable> more = new java.util.TreeMap<>((a, b) -> Integer.compare(a.index(), b.index()));
        more.putAll(failures);
        more.put(in, why);
        return new ConversionPreview(datasets, workers, chunkRows, slots, slotBytes, sinkBytes, more);
    }

    /// {@return the memory the run would hold for rows in flight and the sink's buffers}
    public long memoryBytes() {
        return slots * slotBytes + sinkBytes;
    }

    /// {@return the parts of all inputs}
    public int parts() {
        return datasets.stream().mapToInt(Dataset::parts).sum();
    }

    /// One input's dataset.
    ///
    /// @param input         the input, and the dataset's name
    /// @param row           the shape of a row: none for a record, `{columns}` for a grid
    /// @param rowBytes      bytes of a row
    /// @param estimatedRows about how many rows (its lines, comment lines included, from the size
    ///                      and the lines of its start: a few percent off for even lines), or -1
    ///                      when unknown (a big gzip input)
    /// @param parts         the parts it would be cut into (1: read whole)
    public record Dataset(Input input, long[] row, long rowBytes, long estimatedRows, int parts) {
        /// {@return about how many bytes its rows would take}, or -1 when unknown
        public long estimatedBytes() {
            return estimatedRows < 0 ? -1 : estimatedRows * rowBytes;
        }
    }
}
