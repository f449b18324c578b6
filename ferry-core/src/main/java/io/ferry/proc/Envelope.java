package io.ferry.proc;

import io.ferry.FerryException;
import io.ferry.json.Json;
import io.ferry.json.JsonException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/// One line on a worker's channel: a JSON object whose `type` says which of these records it holds.
///
/// The records are the protocol and this interface is its one codec: [#line()] writes a record,
/// [#toChild(String)] and [#toParent(String)] read one, each refusing what its side never receives.
/// The table in the package documentation is checked against them (`ChannelProtocolTest`).
sealed interface Envelope {
    /// What the parent sends.
    sealed interface ToChild extends Envelope {
    }

    /// What the child sends.
    sealed interface ToParent extends Envelope {
    }

    /// Input `seq` for a new run of the task class named `task`.
    record Input(long seq, String task, Object value) implements ToChild {
        static final String TYPE = "input";
    }

    /// The child has taken input `seq`: a time limit on the input counts from here.
    record Begin(long seq) implements ToParent {
        static final String TYPE = "begin";
    }

    /// Any JSON value, to or from the task working on input `seq`.
    record Message(long seq, Object value) implements ToChild, ToParent {
        static final String TYPE = "message";
    }

    /// The task returned `value` for input `seq`.
    record Result(long seq, Object value) implements ToParent {
        static final String TYPE = "result";
    }

    /// The task threw on input `seq`: the exception's class name, message and stack trace as text.
    record Failure(long seq, String error, String message, String stack) implements ToParent {
        static final String TYPE = "error";
        /// The longest stack text sent; a runaway recursion must not make a huge line.
        static final int MAX_STACK_CHARS = 64 * 1024;

        public Failure {
            stack = stack.length() > MAX_STACK_CHARS ? stack.substring(0, MAX_STACK_CHARS) + "\n…" : stack;
        }
    }

    /// No more inputs: the child finishes the one it has and exits.
    record Stop() implements ToChild {
        static final String TYPE = "stop";
    }

    /// {@return this envelope as one line of ASCII JSON, newline included}
    /// @throws IllegalArgumentException when a value in it cannot be written as JSON
    default byte[] line() {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (this) {
            case Input i -> {
                m.put("type", Input.TYPE);
                m.put("seq", i.seq());
                m.put("task", i.task());
                m.put("value", i.value());
            }
            case Begin b -> {
                m.put("type", Begin.TYPE);
                m.put("seq", b.seq());
            }
            case Message msg -> {
                m.put("type", Message.TYPE);
                m.put("seq", msg.seq());
                m.put("value", msg.value());
            }
            case Result r -> {
                m.put("type", Result.TYPE);
                m.put("seq", r.seq());
                m.put("value", r.value());
            }
            case Failure f -> {
                m.put("type", Failure.TYPE);
                m.put("seq", f.seq());
                m.put("error", f.error());
                m.put("message", f.message());
                m.put("stack", f.stack());
            }
            case Stop _ -> m.put("type", Stop.TYPE);
        }
        // Json.write escapes every control and non-ASCII character: the line is ASCII with no newline in it.
        return (Json.write(m) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /// {@return the envelope a line from the parent holds}
    /// @throws BadLine when it is not one the parent sends
    static ToChild toChild(String line) {
        if (parse(line) instanceof ToChild e) {
            return e;
        }
        throw new BadLine("a child's message");
    }

    /// {@return the envelope a line from the child holds}
    /// @throws BadLine when it is not one a child sends
    static ToParent toParent(String line) {
        if (parse(line) instanceof ToParent e) {
            return e;
        }
        throw new BadLine("the parent's message");
    }

    private static Envelope parse(String line) {
        try {
            Map<String, Object> m = Json.asObject(Json.parse(line), "a channel line");
            String type = Json.asString(m.get("type"), "a channel line's \"type\"");
            return switch (type) {
                case Input.TYPE -> new Input(seq(m), string(m, "task"), m.get("value"));
                case Begin.TYPE -> new Begin(seq(m));
                case Message.TYPE -> new Message(seq(m), m.get("value"));
                case Result.TYPE -> new Result(seq(m), m.get("value"));
                case Failure.TYPE -> new Failure(seq(m), string(m, "error"), string(m, "message"), string(m, "stack"));
                case Stop.TYPE -> new Stop();
                default -> throw new BadLine("unknown type \"" + type + "\"");
            };
        } catch (JsonException e) {
            throw new BadLine(e.getMessage());
        }
    }

    private static long seq(Map<String, Object> m) {
        return Json.asLong(m.get("seq"), "a channel line's \"seq\"");
    }

    private static String string(Map<String, Object> m, String key) {
        return Json.asString(m.get(key), "a channel line's \"" + key + "\"");
    }

    /// A line that is not a channel message: a protocol error that ends the channel.
    final class BadLine extends FerryException {
        BadLine(String why) {
            super(why);
        }
    }
}
