package io.ferry.examples;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.json.Json;
import io.ferry.proc.Channel;
import io.ferry.proc.WorkerTask;
import io.ferry.shm.SharedArray;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/// The child's half of the classic recipe: load one text file into a shared array, send its
/// handle, and keep the segment's name alive until the parent says it has attached.
///
/// Input: `{"file": "/path/data1.txt", "dtype": "chr:S10,pos:i4,..."}`. Messages: the handle
/// (`{"name": …, "shape": […], "dtype": […]}`) to the parent; `"done"` back.
public final class LoadIntoSharedArray implements WorkerTask {
    @Override
    public Object run(Object input, Channel parent) throws Exception {
        Map<String, Object> in = Json.asObject(input, "input");
        Path file = Path.of(Json.asString(in.get("file"), "file"));
        DType dtype = DType.parse(Json.asString(in.get("dtype"), "dtype"));
        TextLoader loader = TextLoader.of(dtype, LoadOptions.builder().delimiter('\t').build());
        try (Arena arena = Arena.ofConfined()) {
            NdArray loaded = loader.load(file, arena);
            try (SharedArray shared = SharedArray.create(dtype, loaded.length())) {
                MemorySegment.copy(loaded.segment(), 0, shared.array().segment(), 0, loaded.byteSize());
                shared.disown();                                   // the parent attaches as owner and unlinks
                parent.send(new Json.JsonText(shared.handleJson()));
                parent.receive(Duration.ofMinutes(5));             // "done": the parent has it mapped
            }
            return loaded.length();
        }
    }
}
