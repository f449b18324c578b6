package io.ferry.pipeline;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/// Live counters of a running conversion, safe to read from any thread (a progress display polls
/// them; nothing calls back into it).
public final class ConversionProgress {
    /// Where an input stands.
    public enum State { WAITING, RUNNING, DONE, FAILED }

    private final List<Input> inputs;
    private final AtomicLong[] bytesRead;
    private final AtomicLong[] rowsWritten;
    private final AtomicReference<State>[] states;
    private final long startNanos = System.nanoTime();

    @SuppressWarnings("unchecked")
    ConversionProgress(List<Input> inputs) {
        this.inputs = inputs;
        int n = inputs.size();
        bytesRead = new AtomicLong[n];
        rowsWritten = new AtomicLong[n];
        states = new AtomicReference[n];
        for (int i = 0; i < n; i++) {
            bytesRead[i] = new AtomicLong();
            rowsWritten[i] = new AtomicLong();
            states[i] = new AtomicReference<>(State.WAITING);
        }
    }

    /// {@return the inputs, in order}
    public List<Input> inputs() {
        return inputs;
    }

    /// {@return bytes of input `i` parsed so far (compressed bytes for a gzip input)}
    public long bytesRead(int i) {
        return bytesRead[i].get();
    }

    /// {@return rows of input `i` written to the sink so far}
    public long rowsWritten(int i) {
        return rowsWritten[i].get();
    }

    /// {@return the state of input `i`}
    public State state(int i) {
        return states[i].get();
    }

    /// {@return total bytes parsed}
    public long totalBytesRead() {
        long s = 0;
        for (AtomicLong a : bytesRead) {
            s += a.get();
        }
        return s;
    }

    /// {@return total rows written}
    public long totalRowsWritten() {
        long s = 0;
        for (AtomicLong a : rowsWritten) {
            s += a.get();
        }
        return s;
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
        bytesRead[input].addAndGet(delta);
    }

    void addRows(int input, long delta) {
        rowsWritten[input].addAndGet(delta);
    }

    void state(int input, State s) {
        states[input].set(s);
    }

    void stateIfWaiting(int input, State s) {
        states[input].compareAndSet(State.WAITING, s);
    }
}
