package io.ferry.examples;

import io.ferry.json.Json;
import io.ferry.proc.Worker;
import io.ferry.proc.WorkerPool;
import io.ferry.shm.ArrayHandle;
import io.ferry.shm.Ownership;
import io.ferry.shm.SharedArray;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/// Python's classic recipe, in Java: one child per file loads it into shared memory and sends
/// `{name, shape, dtype}`; the parent attaches, uses the array (sums a column), says done, and
/// every segment is unlinked, with nothing copied between the processes.
///
/// ```text
/// java -cp … io.ferry.examples.ClassicRecipe examples/sample1.txt examples/sample2.txt examples/sample3.txt
/// ```
public final class ClassicRecipe {
    static final String DTYPE = "chr:S10,pos:i4,pct:f4,c:i4,t:i4";

    private ClassicRecipe() {
    }

    public static void main(String[] args) {
        List<Path> files = args.length > 0 ? List.of(args).stream().map(Path::of).toList()
                : List.of(Path.of("examples/sample1.txt"), Path.of("examples/sample2.txt"));
        System.out.println("processes: " + withProcesses(files));
        System.out.println("pool:      " + withPool(files, 2));
    }

    /// One child JVM per file, as `multiprocessing.Process`. {@return the sum of column `c` per file}
    public static List<Long> withProcesses(List<Path> files) {
        List<Worker> children = new ArrayList<>();
        for (Path f : files) {
            children.add(Worker.start(LoadIntoSharedArray.class, Map.of("file", f.toAbsolutePath().toString(), "dtype", DTYPE)));
        }
        List<Long> sums = new ArrayList<>();
        for (Worker child : children) {
            try (child) {
                ArrayHandle handle = ArrayHandle.parse(Json.write(child.receive(Duration.ofMinutes(5))));
                sums.add(sumColumnAndRelease(handle));
                child.send("done");
                child.join(Duration.ofMinutes(1));
            }
        }
        return sums;
    }

    /// The same with a pool of `size` reused children, as `Pool.map`. {@return the sums, in input order}
    public static List<Long> withPool(List<Path> files, int size) {
        Map<Integer, Long> sums = new ConcurrentHashMap<>();
        List<Object> inputs = files.stream().map(f -> (Object) Map.of("file", f.toAbsolutePath().toString(), "dtype", DTYPE)).toList();
        try (WorkerPool pool = WorkerPool.start(size)) {
            pool.map(LoadIntoSharedArray.class, inputs, (index, message, task) -> {
                sums.put(index, sumColumnAndRelease(ArrayHandle.parse(Json.write(message))));
                task.send("done");
            });
        }
        List<Long> ordered = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ordered.add(sums.get(i));
        }
        return ordered;
    }

    /// Attaches as the owner, unlinks at once (both sides have it mapped, so no crash can leak it),
    /// reads column `c`, and unmaps.
    static long sumColumnAndRelease(ArrayHandle handle) {
        try (SharedArray a = SharedArray.attach(handle, Ownership.OWNER)) {
            a.unlink();
            var c = a.array().column("c");
            long sum = 0;
            for (long row = 0; row < a.array().length(); row++) {
                sum += c.getInt(row);
            }
            return sum;
        }
    }
}
