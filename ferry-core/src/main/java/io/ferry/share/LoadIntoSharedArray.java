package io.ferry.share;

import io.ferry.dtype.DType;
import io.ferry.json.Json;
import io.ferry.proc.Channel;
import io.ferry.proc.WorkerTask;
import io.ferry.shm.ArrayHandle;
import io.ferry.shm.Ownership;
import io.ferry.shm.SharedArray;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/// A [WorkerTask] that loads one text table into a shared array in the child JVM and hands it to
/// the parent, zero-copy: the classic recipe's child, as [io.ferry.proc.WorkerPool] runs it.
///
/// ```java
/// List<Object> inputs = List.of(LoadIntoSharedArray.input(Path.of("data1.csv"), DType.parse("chr:S10,pos:i4"),
///         LoadOptions.builder().delimiter(',').skipRows(1).build()));
/// try (WorkerPool pool = WorkerPool.start(2)) {
///     pool.map(LoadIntoSharedArray.class, inputs, (index, message, task) -> {
///         try (SharedArray a = LoadIntoSharedArray.attach(message, task)) {   // mapped, its name gone
///             System.out.println(index + ": " + a.array().length() + " rows");
///         }
///     });
/// }
/// ```
///
/// The exchange, one line each ([#input] makes the input; `options` may be left out for
/// [LoadOptions#DEFAULT], and any option left out of it keeps its default):
///
/// ```text
/// parent → child  {"file": "/data/data1.csv", "dtype": "chr:S10,pos:i4", "options": {"delimiter": 44, "skipRows": 1, …}}
///                 the input: the file, numpy's dtype, the loader's options (LoadOptions.toJson)
/// child → parent  {"name": "fy4242_k2j8c0x3", "shape": [3000], "dtype": [["chr", "|S10"], ["pos", "<i4"]]}
///                 a message: the handle of the loaded array (the child owns the segment)
/// parent → child  "attached"
///                 the parent has mapped it: the child unlinks the name, so from here on no crash
///                 of either side can leave it behind, and returns
/// child → parent  3000
///                 the result: the number of rows
/// ```
///
/// The file is parsed straight into the segment ([SharedTables]); a line that does not parse
/// fails the input with the loader's message (file, line, column). A child whose parent does not
/// answer within [#ATTACH_TIMEOUT], or goes away, removes the segment and fails the input.
public final class LoadIntoSharedArray implements WorkerTask {
    /// How long the child waits for the parent's `"attached"` before it removes the array.
    public static final Duration ATTACH_TIMEOUT = Duration.ofMinutes(10);

    /// {@return the input that loads `file` as `dtype` with `options`}, for [io.ferry.proc.WorkerPool#map]
    public static Map<String, Object> input(Path file, DType dtype, LoadOptions options) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("file", file.toAbsolutePath().toString());
        in.put("dtype", dtype.descr());
        in.put("options", options.toJson());
        return in;
    }

    /// The parent's side, in a [io.ferry.proc.TaskMessageHandler]: maps the array whose handle
    /// the task sent, and tells the task so (which then removes its name).
    /// {@return a view of the array}, which the caller closes (that unmaps it)
    public static SharedArray attach(Object message, Channel task) {
        SharedArray a = SharedArray.attach(ArrayHandle.parse(Json.write(message)), Ownership.VIEW);
        try {
            task.send("attached");
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        return a;
    }

    @Override
    public Object run(Object input, Channel parent) throws Exception {
        Map<String, Object> in = Json.asObject(input, "the input");
        Path file = Path.of(Json.asString(in.get("file"), "file"));
        DType dtype = DType.parse(Json.asString(in.get("dtype"), "dtype"));
        LoadOptions options = in.get("options") == null ? LoadOptions.DEFAULT : LoadOptions.fromJson(in.get("options"));
        // One thread: the pool runs a child per core, each with its own file.
        try (SharedArray shared = SharedTables.load(TextLoader.of(dtype, options), file, 1, () -> false)) {
            parent.send(new Json.JsonText(shared.handleJson()));
            Object reply = parent.receive(ATTACH_TIMEOUT);
            if (!"attached".equals(reply)) {
                throw new IllegalStateException("the parent answered " + Json.write(reply) + " to the handle of "
                        + file + ", not \"attached\"; the array is removed");
            }
            shared.unlink();
            return shared.array().length();
        }
    }
}
