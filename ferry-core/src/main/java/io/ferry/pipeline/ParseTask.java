package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.proc.Channel;
import io.ferry.proc.ChannelClosedException;
import io.ferry.proc.WorkerTask;
import io.ferry.shm.Ownership;
import io.ferry.shm.SharedMemorySpace;
import io.ferry.shm.SharedSegment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/// A worker of [ProcessWorkers], inside a child JVM: maps the parent's slot pool, then parses the
/// parts the parent sends straight into its own slots, reporting each filled slot.
///
/// Its input and the messages it exchanges with the parent's proxy, one example each
/// ([PartMessage] are the records and their codec; `PartProtocolTest` checks these lines against them):
///
/// ```text
/// parent → child  {"type": "setup", "slots": "ferry_4242_1", "slotCount": 8, "slotBytes": 1048576, "chunkRows": 131072, "own": [4, 5, 6, 7], "recipe": "io.ferry.convert.TextParts", "config": {"dtype": "<i8"}}
///                 the task's input: the slot pool to map, the slots this worker owns, the readers' recipe
/// child → parent  {"type": "attached"}
///                 the slot pool is mapped: the parent may unlink its name
/// parent → child  {"type": "part", "input": 0, "index": 1, "start": 8388608, "end": 16777216, "last": false, "file": "/data/a.txt"}
///                 parse the lines that start in [start, end) of the file
/// child → parent  {"type": "chunk", "slot": 5, "seq": 0, "rows": 131072, "bytes": 1048576}
///                 a slot filled; bytes of input read since the last report
/// parent → child  {"type": "free", "slot": 5}
///                 the slot is written: fill it again
/// child → parent  {"type": "done", "chunks": 7, "bytes": 4096}
///                 the part is finished
/// child → parent  {"type": "failed", "message": "/data/a.txt:12: bad line", "error": "java.io.IOException"}
///                 the part failed; the child takes the next one
/// child → parent  {"type": "failed", "message": "/data/a.txt:1:6: field 'pos' (2 of 3): 'pos' is not an integer (<i4)", "error": "io.ferry.text.TextParseException", "details": {"file": "/data/a.txt", "line": 1, "column": 6, "field": "field 'pos' (2 of 3)", "text": "pos"}, "hint": {"reason": "line 1 looks like a header", "option": "skiprows", "value": "1"}}
///                 the same, with the error's facts (its [io.ferry.FerryException#details()]) and
///                 what the person could change (a [io.ferry.Hint]), which the parent's error
///                 carries as a thread's would
/// parent → child  {"type": "stop"}
///                 the run is stopping: drop the part at once (answered by "failed" with message and
///                 error "stopped")
/// parent → child  {"type": "end"}
///                 no more parts: the task returns
/// ```
public final class ParseTask implements WorkerTask {

    @Override
    public Object run(Object input, Channel channel) throws Exception {
        PartMessage.Setup setup = PartMessage.setup(input);
        PartReader.Factory readers = ((PartReaderRecipe) Class.forName(setup.recipe()).getConstructor().newInstance())
                .readers(setup.config());

        try (SharedSegment memory = SharedSegment.attach(setup.slots(), setup.slotCount() * setup.slotBytes(), Ownership.VIEW)) {
            ChunkSlots slots = new ChunkSlots(memory.memory(), setup.slotCount(), setup.slotBytes());
            FreeSlots free = new FreeSlots(setup.own().stream().mapToInt(Integer::intValue).toArray());
            BlockingQueue<PartMessage.ToChild> parts = new LinkedBlockingQueue<>();   // Parse, then End
            AtomicBoolean gone = new AtomicBoolean();
            AtomicBoolean stopped = new AtomicBoolean();
            AtomicReference<RuntimeException> broken = new AtomicReference<>();
            channel.send(new PartMessage.Attached().json());

            // One thread reads the channel: slots come back while a part is being parsed.
            Thread receiver = Thread.ofPlatform().name("ferry-parse-receiver").daemon().start(() -> {
                try {
                    while (true) {
                        switch (PartMessage.toChild(channel.receive(Duration.ofDays(1)))) {
                            case PartMessage.SlotFree f -> free.release(f.slot());
                            case PartMessage.Stop _ -> stopped.set(true);
                            case PartMessage.Parse p -> parts.add(p);
                            case PartMessage.End e -> {
                                parts.add(e);
                                return;
                            }
                        }
                    }
                } catch (ChannelClosedException e) {
                    gone.set(true);
                    parts.add(new PartMessage.End());
                } catch (RuntimeException e) {
                    broken.set(e);
                    gone.set(true);
                    parts.add(new PartMessage.End());
                }
            });

            while (parts.take() instanceof PartMessage.Parse next) {
                Part part = next.part();
                long[] pendingBytes = {0};
                try {
                    int chunks = PartParsing.parse(Path.of(next.file()), part, readers, slots, setup.chunkRows(), free,
                            (slot, pp, seq, rows) -> {
                                channel.send(new PartMessage.ChunkFilled(slot, seq, rows, pendingBytes[0]).json());
                                pendingBytes[0] = 0;
                            },
                            delta -> pendingBytes[0] += delta, () -> gone.get() || stopped.get());
                    if (chunks < 0 && gone.get()) {
                        break;
                    }
                    if (chunks < 0) {
                        channel.send(PartMessage.PartFailed.STOPPED.json());
                        continue;
                    }
                    channel.send(new PartMessage.PartDone(chunks, pendingBytes[0]).json());
                } catch (Exception | InternalError e) {
                    if (e instanceof InternalError fault && !SharedMemorySpace.isPageFault(fault)) {
                        throw fault;
                    }
                    // A page of the slots the tmpfs could not supply (it is full): SIGBUS, which the
                    // JVM reports as an InternalError here, in the Java code that touched the page.
                    Throwable why = e instanceof InternalError fault ? SharedSlots.fault(fault) : e;
                    channel.send(new PartMessage.PartFailed(why.getMessage() == null ? why.toString() : why.getMessage(),
                            why.getClass().getName(), FerryException.hintIn(why).orElse(null),
                            FerryException.detailsIn(why)).json());
                }
            }
            receiver.join(1000);
            if (broken.get() != null) {
                throw broken.get();
            }
        }
        return "ok";
    }
}
