package io.ferry.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/// The parent's end of a worker's channel (the child's end is [ParentChannel]): lines written to
/// the child's standard input, and a thread of its own that reads the child's standard output to
/// its end, telling the [WorkerState] each envelope that arrives, then the child's end.
final class ChildChannel {
    /// How long a child that closed its channel gets to exit, and how long a report waits for an
    /// exiting child's last words.
    static final long EXIT_GRACE_MILLIS = 5_000;

    private final Process process;
    private final OutputStream toChild;
    private final StderrTail stderr;
    private final WorkerState state;
    private final Thread reader;

    ChildChannel(Process process, StderrTail stderr, WorkerState state) {
        this.process = process;
        this.toChild = process.getOutputStream();
        this.stderr = stderr;
        this.state = state;
        this.reader = Thread.ofPlatform().daemon().name("ferry-worker-" + process.pid() + "-channel").start(this::read);
    }

    /// Writes `envelope` to the child; safe from any thread.
    /// @throws IOException when the pipe is broken: the child is gone
    void write(Envelope.ToChild envelope) throws IOException {
        write(envelope.line());
    }

    /// Writes a line made by [Envelope#line()].
    void write(byte[] line) throws IOException {
        synchronized (toChild) {
            toChild.write(line);
            toChild.flush();
        }
    }

    /// Closes the child's standard input: a child that has not been told to stop takes it as its parent's end.
    void closeOutput() {
        try {
            toChild.close();
        } catch (IOException e) {
            // Closing our end of a broken pipe; nothing is lost.
        }
    }

    /// Waits up to `millis` for the reader to see the child's end.
    void awaitEnd(long millis) throws InterruptedException {
        reader.join(millis);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!accept(line)) {
                    process.destroyForcibly();
                    break;
                }
            }
        } catch (IOException e) {
            // The pipe broke: the child is gone.
        }
        boolean interrupted = false;
        try {
            if (!process.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                // It closed its channel but lives on: it cannot be talked to any more.
                process.destroyForcibly();
            }
            process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            interrupted = true;
        }
        stderr.awaitEnd(1_000);
        state.ended();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /// {@return false} when `line` breaks the protocol
    private boolean accept(String line) {
        if (!line.startsWith("{")) {
            // Every channel line is a JSON object; anything else is the JVM's own output (`-Xlog`
            // goes to standard output by default), which belongs with the child's stderr.
            stderr.note("[stdout] " + line);
            return true;
        }
        Envelope.ToParent envelope;
        try {
            envelope = Envelope.toParent(line);
        } catch (Envelope.BadLine e) {
            return state.protocolError("it wrote a line that is not a channel message (" + e.getMessage() + "): "
                    + WorkerFailedException.describeInput(line));
        }
        return state.received(envelope);
    }
}
