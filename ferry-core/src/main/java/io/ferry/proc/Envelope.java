package io.ferry.proc;

import io.ferry.json.Json;
import io.ferry.json.JsonException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/// One line on a worker's channel: a JSON object whose `type` says what it carries.
/// The package documentation lists the types; this class builds and reads them.
final class Envelope {
    static final String INPUT = "input";
    static final String BEGIN = "begin";
    static final String MESSAGE = "message";
    static final String RESULT = "result";
    static final String ERROR = "error";
    static final String STOP = "stop";

    /// The longest stack text an error line carries; a runaway recursion must not make a huge line.
    private static final int MAX_STACK_CHARS = 64 * 1024;

    private Envelope() {
    }

    static byte[] input(long seq, String task, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", INPUT);
        m.put("seq", seq);
        m.put("task", task);
        m.put("value", value);
        return line(m);
    }

    static byte[] begin(long seq) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", BEGIN);
        m.put("seq", seq);
        return line(m);
    }

    static byte[] message(long seq, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", MESSAGE);
        m.put("seq", seq);
        m.put("value", value);
        return line(m);
    }

    static byte[] result(long seq, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", RESULT);
        m.put("seq", seq);
        m.put("value", value);
        return line(m);
    }

    static byte[] error(long seq, String errorType, String message, String stack) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", ERROR);
        m.put("seq", seq);
        m.put("error", errorType);
        m.put("message", message);
        m.put("stack", stack.length() > MAX_STACK_CHARS ? stack.substring(0, MAX_STACK_CHARS) + "\n…" : stack);
        return line(m);
    }

    static byte[] stop() {
        return line(Map.of("type", STOP));
    }

    /// {@return the envelope `line` holds}
    /// @throws JsonException when it is not a JSON object with a string `type`
    static Map<String, Object> parse(String line) {
        Map<String, Object> m = Json.asObject(Json.parse(line), "a channel line");
        Json.asString(m.get("type"), "a channel line's \"type\"");
        return m;
    }

    static String type(Map<String, Object> envelope) {
        return (String) envelope.get("type");
    }

    static long seq(Map<String, Object> envelope) {
        Object seq = envelope.get("seq");
        return seq instanceof Long l ? l : -1;
    }

    static String string(Map<String, Object> envelope, String key) {
        return envelope.get(key) instanceof String s ? s : "";
    }

    // Json.write escapes every control and non-ASCII character, so the line is ASCII with no newline in it.
    private static byte[] line(Map<String, Object> m) {
        return (Json.write(m) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
