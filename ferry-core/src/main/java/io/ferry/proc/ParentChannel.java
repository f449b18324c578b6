package io.ferry.proc;

import io.ferry.FerryException;
import io.ferry.json.JsonException;

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
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/// The child's end of its channel: reads the parent's lines from standard input on a thread of its
/// own, writes lines to the original standard output.
///
/// Every line from the parent goes into one queue, in order; the main loop takes inputs from it and
/// the running task takes messages, so a message can never overtake the input it belongs to.
final class ParentChannel implements Channel {
    private static final Map<String, Object> END = Map.of("type", "end");

    private final LinkedBlockingQueue<Map<String, Object>> incoming = new LinkedBlockingQueue<>();
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
                    Map<String, Object> envelope;
                    try {
                        envelope = Envelope.parse(line);
                    } catch (JsonException e) {
                        onProtocolError.accept("the parent sent a line that is not a channel message ("
                                + e.getMessage() + "): " + WorkerFailedException.describeInput(line));
                        return;
                    }
                    if (Envelope.STOP.equals(Envelope.type(envelope))) {
                        stopSeen = true;
                    }
                    incoming.add(envelope);
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
        write(Envelope.message(seq, message));
    }

    @Override
    public Object receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Object> envelope;
            try {
                envelope = incoming.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException("interrupted while waiting for a message from the parent", e);
            }
            if (envelope == null) {
                throw new ChannelTimeoutException("no message from the parent within " + timeout);
            }
            switch (Envelope.type(envelope)) {
                case Envelope.MESSAGE -> {
                    if (Envelope.seq(envelope) == seq) {
                        return envelope.get("value");
                    }
                    // A late reply meant for an earlier input: not this task's business.
                }
                case Envelope.STOP -> {
                    // The main loop stops once this input is done (stopSeen is set).
                }
                case "end" -> {
                    incoming.add(END);
                    throw new ChannelClosedException("the parent closed the channel");
                }
                default -> throw new FerryException("the parent sent '" + Envelope.type(envelope)
                        + "' while input " + seq + " was being processed");
            }
        }
    }

    /// {@return the next input}, or null when the parent asked us to stop or is gone.
    /// Messages that arrive between inputs are replies nobody waits for any more, and are dropped.
    Map<String, Object> nextInput() throws InterruptedException {
        while (!stopSeen || !incoming.isEmpty()) {
            Map<String, Object> envelope = incoming.take();
            switch (Envelope.type(envelope)) {
                case Envelope.INPUT -> {
                    return envelope;
                }
                case Envelope.STOP, "end" -> {
                    return null;
                }
                default -> {
                    // A stale message.
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
        write(Envelope.begin(inputSeq));
    }

    void sendResult(long inputSeq, Object result) {
        byte[] line;
        try {
            line = Envelope.result(inputSeq, result);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the task's result cannot be sent as JSON: " + e.getMessage(), e);
        }
        write(line);
    }

    void sendError(long inputSeq, Throwable t) {
        StringWriter stack = new StringWriter();
        t.printStackTrace(new PrintWriter(stack));
        write(Envelope.error(inputSeq, t.getClass().getName(), t.getMessage() == null ? "" : t.getMessage(),
                stack.toString()));
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
