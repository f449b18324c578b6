package io.ferry.bench;

import io.ferry.dtype.DType;
import io.ferry.json.Json;
import io.ferry.proc.Channel;
import io.ferry.proc.WorkerTask;
import io.ferry.shm.SharedArray;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/// The child side of [HandoffBenchmark]: makes a shared `<f8` array of the size asked, fills it,
/// hands the handle over, and keeps the name alive until the parent says it has attached.
public final class HandoffTask implements WorkerTask {
    @Override
    public Object run(Object input, Channel channel) {
        long elements = Json.asLong(input, "the element count");
        SharedArray shared = SharedArray.create(DType.parse("<f8"), elements);
        try {
            var a = shared.array();
            for (long i = 0; i < elements; i++) {
                a.setDouble(i, i);
            }
            shared.disown(); // the parent attaches as owner and unlinks
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("handle", new Json.JsonText(shared.handleJson()));
            m.put("sentMicros", micros(Instant.now()));
            channel.send(m);
            channel.receive(Duration.ofMinutes(2)); // "attached"
            return "ok";
        } finally {
            shared.close();
        }
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
