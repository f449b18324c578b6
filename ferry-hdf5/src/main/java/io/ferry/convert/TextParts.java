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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /// {@return the JSON a child needs to rebuild `loader`'s readers}
    public static Map<String, Object> config(TextLoader loader) {
        LoadOptions o = loader.options();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", loader.dtype().descr());
        m.put("delimiter", (long) o.delimiter());
        m.put("comments", new ArrayList<Object>(o.comments()));
        m.put("quoteChar", (long) o.quoteChar());
        m.put("skipRows", o.skipRows());
        if (o.useCols() != null) {
            List<Object> cols = new ArrayList<>();
            for (int c : o.useCols()) {
                cols.add((long) c);
            }
            m.put("useCols", cols);
        }
        m.put("maxRows", o.maxRows());
        m.put("lenient", o.lenient());
        m.put("maxLineBytes", o.maxLineBytes());
        return m;
    }

    /// Rebuilds the loader from [#config(TextLoader)]'s JSON.
    @Override
    public PartReader.Factory readers(Object config) {
        Map<String, Object> m = Json.asObject(config, "the loader config");
        LoadOptions.Builder b = LoadOptions.builder();
        long delimiter = Json.asLong(m.get("delimiter"), "delimiter");
        if (delimiter == LoadOptions.WHITESPACE) {
            b.whitespaceDelimited();
        } else {
            b.delimiter((char) delimiter);
        }
        b.comments(Json.asList(m.get("comments"), "comments").stream().map(c -> Json.asString(c, "comment"))
                .toArray(String[]::new));
        long quote = Json.asLong(m.get("quoteChar"), "quoteChar");
        if (quote != LoadOptions.NONE) {
            b.quoteChar((char) quote);
        }
        b.skipRows(Json.asLong(m.get("skipRows"), "skipRows"));
        if (m.get("useCols") != null) {
            b.useCols(Json.asList(m.get("useCols"), "useCols").stream().mapToInt(c -> (int) Json.asLong(c, "column")).toArray());
        }
        b.maxRows(Json.asLong(m.get("maxRows"), "maxRows"));
        b.lenient(Boolean.TRUE.equals(m.get("lenient")));
        b.maxLineBytes(Json.asLong(m.get("maxLineBytes"), "maxLineBytes"));
        return readers(TextLoader.of(DType.parse(Json.asString(m.get("dtype"), "dtype")), b.build()));
    }
}
