package io.ferry.pipeline;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/// Live counters of a running conversion, safe to read from any thread (a progress display polls
/// them; nothing calls back into it).
///
/// The work of an input is done when its rows are written, not when they are parsed: with
/// compression the writer can be well behind the parsers. [#bytesDone(int)] measures the job that
/// way, so a bar and an ETA drawn from it reach the end with the last chunk written, and agree with
/// [#rowsWritten(int)].
public final class ConversionProgress {
    /// Where an input stands.
    public enum State {
        /// No part of it is parsed yet.
        QUEUED,
        /// Some of it is being parsed (and what is parsed, written).
        PARSING,
        /// All of it is parsed; its last chunks wait for the writer, or are being written.
        WRITING,
        /// All of its rows are written and its dataset finished.
        WRITTEN,
        /// It failed; nothing more is done with it.
        FAILED
    }

    private final List<Input> inputs;
    private final int[] parts;
    private final AtomicLongArray bytesRead;
    private final AtomicLongArray rowsParsed;
    private final AtomicLongArray rowsWritten;
    private final AtomicIntegerArray partsParsed;
    /// QUEUED, PARSING (parsing started), WRITTEN or FAILED; WRITING is derived from the parts parsed.
    private final AtomicReferenceArray<State> states;
    private final long startNanos = System.nanoTime();

    ConversionProgress(ConversionPlan plan) {
        this.inputs = plan.inputs();
        int n = inputs.size();
        parts = new int[n];
        for (int i = 0; i < n; i++) {
            parts[i] = plan.partsOf(i);
        }
        bytesRead = new AtomicLongArray(n);
        rowsParsed = new AtomicLongArray(n);
        rowsWritten = new AtomicLongArray(n);
        partsParsed = new AtomicIntegerArray(n);
        states = new AtomicReferenceArray<>(n);
        for (int i = 0; i < n; i++) {
            states.set(i, State.QUEUED);
        }
    }

    /// {@return the inputs, in order}
    public List<Input> inputs() {
        return inputs;
    }

    /// {@return bytes of input `i` parsed so far (compressed bytes for a gzip input)}
    public long bytesRead(int i) {
        return bytesRead.get(i);
    }

    /// {@return bytes of input `i` whose rows are written}: all of it once it is written or has
    /// failed (nothing is left to do), else the bytes parsed in the proportion of the rows parsed
    /// that are written. Never more than the input's size.
    public long bytesDone(int i) {
        State s = states.get(i);
        long size = inputs.get(i).size();
        if (s == State.WRITTEN || s == State.FAILED) {
            return size;
        }
        // Rows written first: read the other way, a chunk written in between could count as
        // written and not parsed.
        long written = rowsWritten.get(i);
        long parsed = rowsParsed.get(i);
        long read = bytesRead.get(i);
        if (parsed == 0) {
            return 0;
        }
        long done = (long) (read * Math.min(1.0, (double) written / parsed));
        return Math.min(done, Math.max(0, size - 1)); // the last byte is done when the dataset is finished
    }

    /// {@return rows of input `i` parsed so far (handed to the writer)}
    public long rowsParsed(int i) {
        return rowsParsed.get(i);
    }

    /// {@return rows of input `i` written to the sink so far}
    public long rowsWritten(int i) {
        return rowsWritten.get(i);
    }

    /// {@return the state of input `i`}
    public State state(int i) {
        State s = states.get(i);
        return s == State.PARSING && partsParsed.get(i) >= parts[i] ? State.WRITING : s;
    }

    /// {@return total bytes parsed}
    public long totalBytesRead() {
        return sum(bytesRead);
    }

    /// {@return total bytes whose work is done, see [#bytesDone(int)]}
    public long totalBytesDone() {
        long s = 0;
        for (int i = 0; i < inputs.size(); i++) {
            s += bytesDone(i);
        }
        return s;
    }

    /// {@return total rows written}
    public long totalRowsWritten() {
        return sum(rowsWritten);
    }

    /// {@return total input bytes}
    public long totalBytes() {
        return inputs.stream().mapToLong(Input::size).sum();
    }

    /// {@return seconds since the conversion started}
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    void addBytes(int input, long delta) {
        bytesRead.addAndGet(input, delta);
    }

    void addParsedRows(int input, long delta) {
        rowsParsed.addAndGet(input, delta);
    }

    void partParsed(int input) {
        partsParsed.incrementAndGet(input);
    }

    void addRows(int input, long delta) {
        rowsWritten.addAndGet(input, delta);
    }

    void state(int input, State s) {
        states.set(input, s);
    }

    void stateIfQueued(int input, State s) {
        states.compareAndSet(input, State.QUEUED, s);
    }

    private static long sum(AtomicLongArray counts) {
        long s = 0;
        for (int i = 0; i < counts.length(); i++) {
            s += counts.get(i);
        }
        return s;
    }
}
