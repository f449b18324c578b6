package io.ferry.convert;

import io.ferry.dtype.DType;
import io.ferry.json.Json;
import io.ferry.pipeline.PartReader;
import io.ferry.pipeline.PartReaderRecipe;
import io.ferry.text.ByteRange;
import io.ferry.text.LoadOptions;
import io.ferry.text.TableReader;
import io.ferry.text.TextLoader;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/// The text loader as the pipeline's part reader, in this JVM or rebuilt in a child from JSON.
/// Here, where text and the pipeline meet, so that `io.ferry.pipeline` knows no file format.
public final class TextParts implements PartReaderRecipe {

    /// {@return readers of parts of text files, parsed by `loader`}
    public static PartReader.Factory readers(TextLoader loader) {
        return (file, start, end, first) -> {
            TableReader r = start == 0 && end == Long.MAX_VALUE ? loader.open(file)
                    : loader.open(file, new ByteRange(start, end));
            return new PartReader() {
                @Override
                public long read(MemorySegment target, long maxRows) throws IOException {
                    return r.read(target, maxRows);
                }

                @Override
                public long bytesRead() {
                    return r.bytesRead();
                }

                @Override
                public void close() throws IOException {
                    r.close();
                }
            };
        };
    }

    /// {@return the JSON a child needs to rebuild `loader`'s readers}: its dtype beside its options
    public static Map<String, Object> config(TextLoader loader) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", loader.dtype().descr());
        m.putAll(loader.options().toJson());
        return m;
    }

    /// Rebuilds the loader from [#config(TextLoader)]'s JSON.
    @Override
    public PartReader.Factory readers(Object config) {
        Map<String, Object> m = Json.asObject(config, "the loader config");
        return readers(TextLoader.of(DType.parse(Json.asString(m.get("dtype"), "dtype")), LoadOptions.fromJson(m)));
    }
}
