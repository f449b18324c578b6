package io.ferry.pipeline;

import io.ferry.json.Json;
import io.ferry.proc.Channel;
import io.ferry.proc.ChannelClosedException;
import io.ferry.proc.WorkerTask;
import io.ferry.shm.Ownership;
import io.ferry.shm.SharedMemorySpace;
import io.ferry.shm.SharedSegment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/// A worker of [ProcessWorkers], inside a child JVM: maps the parent's slot pool, then parses the
/// parts the parent sends straight into its own slots, reporting each filled slot.
///
/// Messages (JSON over the worker channel, see [io.ferry.proc]):
///
/// ```text
/// child → parent  {"attached": true}                        slot pool mapped; the parent may unlink it
/// parent → child  {"part": [input, index, start, end, last], "file": "/data/a.txt"}
/// child → parent  {"chunk": slot, "seq": n, "rows": r, "bytes": b}   slot filled; b input bytes since last report
/// parent → child  {"free": slot}                            slot written; fill it again
/// child → parent  {"done": chunks}                          the part is finished
/// child → parent  {"failed": "message", "type": "class"}    the part failed; the child takes the next one
/// parent → child  {"stop": true}                            the run is stopping: drop the part at once
/// child → parent  {"failed": "stopped", "type": "stopped"}  (the answer to stop, for that part)
/// parent → child  {"end": true}                             no more parts
/// ```
public final class ParseTask implements WorkerTask {
    private static final Object END = new Object();

    @Override
    public Object run(Object input, Channel channel) throws Exception {
        Map<String, Object> in = Json.asObject(input, "the parse task's input");
        String name = Json.asString(in.get("slots"), "slots");
        int count = (int) Json.asLong(in.get("slotCount"), "slotCount");
        long slotBytes = Json.asLong(in.get("slotBytes"), "slotBytes");
        long chunkRows = Json.asLong(in.get("chunkRows"), "chunkRows");
        List<Object> own = Json.asList(in.get("own"), "own");
        String recipe = Json.asString(in.get("recipe"), "recipe");
        PartReader.Factory readers = ((PartReaderRecipe) Class.forName(recipe).getConstructor().newInstance())
                .readers(in.get("config"));

        try (SharedSegment memory = SharedSegment.attach(name, count * slotBytes, Ownership.VIEW)) {
            ChunkSlots slots = new ChunkSlots(memory.memory(), count, slotBytes);
            SlotLease lease = new SlotLease(own.stream().mapToInt(o -> (int) Json.asLong(o, "slot")).toArray());
            BlockingQueue<Object> parts = new LinkedBlockingQueue<>();
            AtomicBoolean gone = new AtomicBoolean();
            AtomicBoolean stopped = new AtomicBoolean();
            channel.send(Map.of("attached", true));

            // One thread reads the channel: slots come back while a part is being parsed.
            Thread receiver = Thread.ofPlatform().name("ferry-parse-receiver").daemon().start(() -> {
                try {
                    while (true) {
                        Map<String, Object> m = Json.asObject(channel.receive(Duration.ofDays(1)), "message");
                        if (m.containsKey("free")) {
                            lease.release((int) Json.asLong(m.get("free"), "free"));
                        } else if (m.containsKey("stop")) {
                            stopped.set(true);
                        } else if (m.containsKey("part")) {
                            parts.add(m);
                        } else if (m.containsKey("end")) {
                            parts.add(END);
                            return;
                        }
                    }
                } catch (ChannelClosedException e) {
                    gone.set(true);
                    parts.add(END);
                }
            });

            while (true) {
                Object next = parts.take();
                if (next == END) {
                    break;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) next;
                List<Object> p = Json.asList(m.get("part"), "part");
                Part part = new Part((int) Json.asLong(p.get(0), "input"), (int) Json.asLong(p.get(1), "index"),
                        Json.asLong(p.get(2), "start"), Json.asLong(p.get(3), "end"), Boolean.TRUE.equals(p.get(4)));
                Path file = Path.of(Json.asString(m.get("file"), "file"));
                long[] pendingBytes = {0};
                try {
                    int chunks = PartParsing.parse(file, part, readers, slots, chunkRows, lease,
                            (slot, pp, seq, rows) -> {
                                Map<String, Object> c = new LinkedHashMap<>();
                                c.put("chunk", (long) slot);
                                c.put("seq", (long) seq);
                                c.put("rows", rows);
                                c.put("bytes", pendingBytes[0]);
                                pendingBytes[0] = 0;
                                channel.send(c);
                            },
                            delta -> pendingBytes[0] += delta, () -> gone.get() || stopped.get());
                    if (chunks < 0 && gone.get()) {
                        break;
                    }
                    if (chunks < 0) {
                        channel.send(Map.of("failed", "stopped", "type", "stopped"));
                        continue;
                    }
                    channel.send(Map.of("done", (long) chunks, "bytes", pendingBytes[0]));
                } catch (Exception | InternalError e) {
                    if (e instanceof InternalError fault && !SharedMemorySpace.isPageFault(fault)) {
                        throw fault;
                    }
                    // A page of the slots the tmpfs could not supply (it is full): SIGBUS, which the
                    // JVM reports as an InternalError here, in the Java code that touched the page.
                    Throwable why = e instanceof InternalError fault ? ProcessWorkers.slotFault(fault) : e;
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("failed", why.getMessage() == null ? why.toString() : why.getMessage());
                    f.put("type", why.getClass().getName());
                    channel.send(f);
                }
            }
            receiver.join(1000);
        }
        return "ok";
    }
}
