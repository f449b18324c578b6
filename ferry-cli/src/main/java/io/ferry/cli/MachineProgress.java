package io.ferry.cli;

import io.ferry.pipeline.ConversionProgress;

import java.util.function.Supplier;

/// `convert --json`: a `progress` line a few times a second, and a last one when the run ends.
final class MachineProgress implements AutoCloseable {
    private static final long EVERY_MILLIS = 250;

    private final Supplier<ConversionProgress> progress;
    private final MachineOutput out;
    private final Thread thread;
    private volatile boolean running = true;

    private MachineProgress(Supplier<ConversionProgress> progress, MachineOutput out) {
        this.progress = progress;
        this.out = out;
        this.thread = Thread.ofPlatform().daemon().name("ferry-progress-json").start(this::loop);
    }

    /// Starts reporting; `progress` may return null until the conversion has planned its work.
    static MachineProgress start(Supplier<ConversionProgress> progress, MachineOutput out) {
        return new MachineProgress(progress, out);
    }

    private void loop() {
        while (running) {
            report();
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void report() {
        ConversionProgress p = progress.get();
        if (p != null) {
            out.progress(p);
        }
    }

    /// Stops, after a last line. Idempotent.
    @Override
    public void close() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        thread.interrupt();
        thread.join(1000);
        report();
    }
}
