package io.ferry.pipeline;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/// Live counters of a running conversion, safe to read from any thread (a progress display polls
/// them; nothing calls back into it).
public final class ConversionProgress {
    /// Where an input stands.
    public enum State { WAITING, RUNNING, DONE, FAILED }

    private final List<Input> inputs;
    private final AtomicLongArray bytesRead;
    private final AtomicLongArray rowsWritten;
    private final AtomicReferenceArray<State> states;
    private final long startNanos = System.nanoTime();

    ConversionProgress(List<Input> inputs) {
        this.inputs = inputs;
        int n = inputs.size();
        bytesRead = new AtomicLongArray(n);
        rowsWritten = new AtomicLongArray(n);
        states = new AtomicReferenceArray<>(n);
        for (int i = 0; i < n; i++) {
            states.set(i, State.WAITING);
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

    /// {@return rows of input `i` written to the sink so far}
    public long rowsWritten(int i) {
        return rowsWritten.get(i);
    }

    /// {@return the state of input `i`}
    public State state(int i) {
        return states.get(i);
    }

    /// {@return total bytes parsed}
    public long totalBytesRead() {
        return sum(bytesRead);
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

    void addRows(int input, long delta) {
        rowsWritten.addAndGet(input, delta);
    }

    void state(int input, State s) {
        states.set(input, s);
    }

    void stateIfWaiting(int input, State s) {
        states.compareAndSet(input, State.WAITING, s);
    }

    private static long sum(AtomicLongArray counts) {
        long s = 0;
        for (int i = 0; i < counts.length(); i++) {
            s += counts.get(i);
        }
        return s;
    }
}
