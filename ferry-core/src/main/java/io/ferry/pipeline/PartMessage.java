package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.Hint;
import io.ferry.json.Json;
import io.ferry.json.JsonException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// What a [ProcessWorkers] proxy and its [ParseTask] in a child JVM tell each other: the values of
/// the worker channel's messages (see [io.ferry.proc]), each a JSON object whose `type` says which
/// of these records it holds.
///
/// The records are the protocol and this interface is its one codec: [#json()] writes a record;
/// [#toChild(Object)], [#toParent(Object)] and [#setup(Object)] read one, each refusing what its
/// side never receives. The table in [ParseTask]'s documentation is checked against them
/// (`PartProtocolTest`).
sealed interface PartMessage {
    /// What the proxy sends while the task runs.
    sealed interface ToChild extends PartMessage {
    }

    /// What the task sends.
    sealed interface ToParent extends PartMessage {
    }

    /// The task's input: the slot pool to map (shared memory `slots`, `slotCount` slots of
    /// `slotBytes`), the slots this worker owns, rows per chunk, and the recipe (a
    /// [PartReaderRecipe] class) with its JSON config that make the part readers.
    record Setup(String slots, int slotCount, long slotBytes, long chunkRows, List<Integer> own, String recipe,
                 Object config) implements PartMessage {
        static final String TYPE = "setup";

        public Setup {
            own = List.copyOf(own);
        }
    }

    /// The task has mapped the slots: the proxy may unlink their name.
    record Attached() implements ToParent {
        static final String TYPE = "attached";
    }

    /// Parse `part` of `file`.
    record Parse(Part part, String file) implements ToChild {
        static final String TYPE = "part";
    }

    /// Chunk `seq` of the part is in `slot`: `rows` records; `bytes` of input read since the last report.
    record ChunkFilled(int slot, int seq, long rows, long bytes) implements ToParent {
        static final String TYPE = "chunk";
    }

    /// The writer has written `slot`: the task may fill it again.
    record SlotFree(int slot) implements ToChild {
        static final String TYPE = "free";
    }

    /// The part is finished in `chunks` chunks; `bytes` of input read since the last report.
    record PartDone(int chunks, long bytes) implements ToParent {
        static final String TYPE = "done";
    }

    /// The part failed with an exception of class `error`, with the [Hint] it gave (null when
    /// none) and its facts ([io.ferry.FerryException#details()], empty when none); the task goes
    /// on with the next part.
    record PartFailed(String message, String error, Hint hint, Map<String, Object> details) implements ToParent {
        static final String TYPE = "failed";
        /// The answer to [Stop].
        static final PartFailed STOPPED = new PartFailed("stopped", "stopped", null, Map.of());

        public PartFailed {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details)); // in order, nulls kept
        }
    }

    /// The run is stopping: drop the part at once.
    record Stop() implements ToChild {
        static final String TYPE = "stop";
    }

    /// No more parts: the task returns.
    record End() implements ToChild {
        static final String TYPE = "end";
    }

    /// {@return this message as a JSON object}
    default Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (this) {
            case Setup s -> {
                m.put("type", Setup.TYPE);
                m.put("slots", s.slots());
                m.put("slotCount", (long) s.slotCount());
                m.put("slotBytes", s.slotBytes());
                m.put("chunkRows", s.chunkRows());
                List<Object> own = new ArrayList<>();
                s.own().forEach(slot -> own.add((long) slot));
                m.put("own", own);
                m.put("recipe", s.recipe());
                m.put("config", s.config());
            }
            case Parse p -> {
                m.put("type", Parse.TYPE);
                m.put("input", (long) p.part().input());
                m.put("index", (long) p.part().index());
                m.put("start", p.part().start());
                m.put("end", p.part().end());
                m.put("last", p.part().last());
                m.put("file", p.file());
            }
            case ChunkFilled c -> {
                m.put("type", ChunkFilled.TYPE);
                m.put("slot", (long) c.slot());
                m.put("seq", (long) c.seq());
                m.put("rows", c.rows());
                m.put("bytes", c.bytes());
            }
            case SlotFree f -> {
                m.put("type", SlotFree.TYPE);
                m.put("slot", (long) f.slot());
            }
            case PartDone d -> {
                m.put("type", PartDone.TYPE);
                m.put("chunks", (long) d.chunks());
                m.put("bytes", d.bytes());
            }
            case PartFailed f -> {
                m.put("type", PartFailed.TYPE);
                m.put("message", f.message());
                m.put("error", f.error());
                if (!f.details().isEmpty()) {
                    m.put("details", new LinkedHashMap<>(f.details()));
                }
                if (f.hint() != null) {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("reason", f.hint().reason());
                    h.put("option", f.hint().option());
                    h.put("value", f.hint().value());
                    m.put("hint", h);
                }
            }
            case Attached _ -> m.put("type", Attached.TYPE);
            case Stop _ -> m.put("type", Stop.TYPE);
            case End _ -> m.put("type", End.TYPE);
        }
        return m;
    }

    /// {@return the task's input `json` holds}
    /// @throws FerryException when it is not one
    static Setup setup(Object json) {
        if (read(json) instanceof Setup s) {
            return s;
        }
        throw new FerryException("a parse task's input must be a \"" + Setup.TYPE + "\" message: " + Json.write(json));
    }

    /// {@return the message from the proxy `json` holds}
    /// @throws FerryException when it is not one the proxy sends
    static ToChild toChild(Object json) {
        if (read(json) instanceof ToChild m) {
            return m;
        }
        throw new FerryException("a parse task got a message the proxy does not send: " + Json.write(json));
    }

    /// {@return the message from the task `json` holds}
    /// @throws FerryException when it is not one the task sends
    static ToParent toParent(Object json) {
        if (read(json) instanceof ToParent m) {
            return m;
        }
        throw new FerryException("a worker process sent a message its parse task does not send: " + Json.write(json));
    }

    private static PartMessage read(Object json) {
        try {
            Map<String, Object> m = Json.asObject(json, "a part message");
            String type = Json.asString(m.get("type"), "a part message's \"type\"");
            return switch (type) {
                case Setup.TYPE -> new Setup(string(m, "slots"), integer(m, "slotCount"), number(m, "slotBytes"),
                        number(m, "chunkRows"), Json.asList(m.get("own"), "\"own\"").stream()
                        .map(o -> (int) Json.asLong(o, "a slot of \"own\"")).toList(), string(m, "recipe"), m.get("config"));
                case Attached.TYPE -> new Attached();
                case Parse.TYPE -> new Parse(new Part(integer(m, "input"), integer(m, "index"), number(m, "start"),
                        number(m, "end"), bool(m, "last")), string(m, "file"));
                case ChunkFilled.TYPE -> new ChunkFilled(integer(m, "slot"), integer(m, "seq"), number(m, "rows"),
                        number(m, "bytes"));
                case SlotFree.TYPE -> new SlotFree(integer(m, "slot"));
                case PartDone.TYPE -> new PartDone(integer(m, "chunks"), number(m, "bytes"));
                case PartFailed.TYPE -> new PartFailed(string(m, "message"), string(m, "error"), hint(m.get("hint")),
                        m.get("details") == null ? Map.of() : Json.asObject(m.get("details"), "\"details\""));
                case Stop.TYPE -> new Stop();
                case End.TYPE -> new End();
                default -> throw new FerryException("a part message of unknown type \"" + type + "\"");
            };
        } catch (JsonException e) {
            throw new FerryException("not a part message (" + e.getMessage() + "): " + Json.write(json), e);
        }
    }

    private static long number(Map<String, Object> m, String key) {
        return Json.asLong(m.get(key), "\"" + key + "\"");
    }

    private static int integer(Map<String, Object> m, String key) {
        return Math.toIntExact(number(m, key));
    }

    /// {@return the hint `json` describes}, null for none
    private static Hint hint(Object json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> h = Json.asObject(json, "\"hint\"");
        Object value = h.get("value");
        return new Hint(string(h, "reason"), string(h, "option"), value == null ? null : Json.asString(value, "a hint's \"value\""));
    }

    private static String string(Map<String, Object> m, String key) {
        return Json.asString(m.get(key), "\"" + key + "\"");
    }

    private static boolean bool(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Boolean b) {
            return b;
        }
        throw new FerryException("\"" + key + "\" must be true or false, not " + Json.write(m.get(key)));
    }
}
