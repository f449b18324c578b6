package io.ferry.pipeline;

import io.ferry.json.Json;

import java.util.Map;

/// Builds [FixedWidthReader]s in a child JVM; `{"delayMs": n}` slows each chunk down so a test can
/// kill a worker mid-file.
public final class FixedWidthRecipe implements PartReaderRecipe {
    @Override
    public PartReader.Factory readers(Object config) {
        Map<String, Object> c = Json.asObject(config, "config");
        long delay = Json.asLong(c.getOrDefault("delayMs", 0L), "delayMs");
        return (file, start, end, first) -> new FixedWidthReader(file, start, end) {
            @Override
            public long read(java.lang.foreign.MemorySegment target, long maxRows) throws java.io.IOException {
                if (delay > 0) {
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                return super.read(target, maxRows);
            }
        };
    }
}
