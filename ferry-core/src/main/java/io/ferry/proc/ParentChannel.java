package io.ferry.proc;

import io.ferry.FerryException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/// The child's end of its channel: reads the parent's lines from standard input on a thread of its
/// own, writes lines to the original standard output.
///
/// Every line from the parent goes into one queue, in order; the main loop takes inputs from it and
/// the running task takes messages, so a message can never overtake the input it belongs to.
final class ParentChannel implements Channel {
    /// The end of the parent's lines, in the queue after the last of them.
    private static final Optional<Envelope.ToChild> END = Optional.empty();

    private final LinkedBlockingQueue<Optional<Envelope.ToChild>> incoming = new LinkedBlockingQueue<>();
    private final OutputStream out;
    private volatile long seq = -1;
    private volatile boolean stopSeen;
    private volatile boolean closing;
    private final FileChannel in;

    ParentChannel(OutputStream out, FileChannel in) {
        this.out = out;
        this.in = in;
    }

    /// Starts reading from the parent. At its end, `onParentGone` runs unless the parent asked us to stop first
    /// (then the main loop finishes its input and exits) or we are exiting anyway; a line that is not
    /// a message ends the child.
    ///
    /// The input is a [FileChannel] rather than a stream because closing it wakes a thread blocked in
    /// `read`: a JVM exits ~300 ms late while a thread is still in a native read (HotSpot waits for
    /// threads in native before it exits), and that is the cost of every worker's exit otherwise.
    void startReading(Consumer<String> onParentGone, Consumer<String> onProtocolError) {
        Thread.ofPlatform().daemon().name("ferry-channel-reader").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(in), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Envelope.ToChild envelope;
                    try {
                        envelope = Envelope.toChild(line);
                    } catch (Envelope.BadLine e) {
                        onProtocolError.accept("the parent sent a line that is not a channel message ("
                                + e.getMessage() + "): " + WorkerFailedException.describeInput(line));
                        return;
                    }
                    if (envelope instanceof Envelope.Stop) {
                        stopSeen = true;
                    }
                    incoming.add(Optional.of(envelope));
                }
            } catch (IOException e) {
                // Standard input broke, or we closed it to exit: the same as its end.
            }
            incoming.add(END);
            if (!stopSeen && !closing) {
                onParentGone.accept("its channel from the parent (standard input) ended");
            }
        });
    }

    /// Stops reading from the parent, so the reading thread is out of its native `read` when the JVM exits.
    void closeInput() {
        closing = true;
        try {
            in.close();
        } catch (IOException e) {
            // Exiting anyway.
        }
    }

    @Override
    public void send(Object message) {
        write(new Envelope.Message(seq, message));
    }

    @Override
    public Object receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Envelope.ToChild> next;
            try {
                next = incoming.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException("interrupted while waiting for a message from the parent", e);
            }
            if (next == null) {
                throw new ChannelTimeoutException("no message from the parent within " + timeout);
            }
            switch (next.orElse(null)) {
                case Envelope.Message m when m.seq() == seq -> {
                    return m.value();
                }
                case Envelope.Message _ -> {
                    // A late reply meant for an earlier input: not this task's business.
                }
                case Envelope.Stop _ -> {
                    // The main loop stops once this input is done (stopSeen is set).
                }
                case null -> {
                    incoming.add(END);
                    throw new ChannelClosedException("the parent closed the channel");
                }
                case Envelope.Input input -> throw new FerryException("the parent sent input " + input.seq()
                        + " while input " + seq + " was being processed");
            }
        }
    }

    /// {@return the next input}, or null when the parent asked us to stop or is gone.
    /// Messages that arrive between inputs are replies nobody waits for any more, and are dropped.
    Envelope.Input nextInput() throws InterruptedException {
        while (!stopSeen || !incoming.isEmpty()) {
            switch (incoming.take().orElse(null)) {
                case Envelope.Input input -> {
                    return input;
                }
                case Envelope.Stop _ -> {
                    return null;
                }
                case null -> {
                    return null;
                }
                case Envelope.Message _ -> {
                    // A reply nobody waits for any more.
                }
            }
        }
        return null;
    }

    void begin(long inputSeq) {
        seq = inputSeq;
    }

    void end() {
        seq = -1;
    }

    boolean stopRequested() {
        return stopSeen;
    }

    /// Tells the parent that input `inputSeq` has begun: a time limit on the input counts from here.
    void sendBegin(long inputSeq) {
        write(new Envelope.Begin(inputSeq));
    }

    void sendResult(long inputSeq, Object result) {
        byte[] line;
        try {
            line = new Envelope.Result(inputSeq, result).line();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the task's result cannot be sent as JSON: " + e.getMessage(), e);
        }
        write(line);
    }

    void sendError(long inputSeq, Throwable t) {
        StringWriter stack = new StringWriter();
        t.printStackTrace(new PrintWriter(stack));
        write(new Envelope.Failure(inputSeq, t.getClass().getName(), t.getMessage() == null ? "" : t.getMessage(),
                stack.toString()));
    }

    private void write(Envelope.ToParent envelope) {
        write(envelope.line());
    }

    private void write(byte[] line) {
        synchronized (out) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                throw new ChannelClosedException("the channel to the parent broke: " + e.getMessage());
            }
        }
    }
}
