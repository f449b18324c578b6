package io.ferry.examples;

import io.ferry.dtype.DType;
import io.ferry.proc.Channel;
import io.ferry.proc.Worker;
import io.ferry.proc.WorkerPool;
import io.ferry.share.LoadIntoSharedArray;
import io.ferry.shm.SharedArray;
import io.ferry.text.LoadOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/// Python's classic recipe, in Java: one child per file loads it into shared memory and sends
/// `{name, shape, dtype}`; the parent attaches, says so (the child then unlinks the name), and
/// uses the array (sums a column), with nothing copied between the processes. The child's task
/// is the library's [LoadIntoSharedArray].
///
/// ```text
/// java -cp … io.ferry.examples.ClassicRecipe examples/sample1.txt examples/sample2.txt examples/sample3.txt
/// ```
public final class ClassicRecipe {
    static final DType DTYPE = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
    static final LoadOptions TAB_SEPARATED = LoadOptions.builder().delimiter('\t').build();

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
            children.add(Worker.start(LoadIntoSharedArray.class, LoadIntoSharedArray.input(f, DTYPE, TAB_SEPARATED)));
        }
        List<Long> sums = new ArrayList<>();
        for (Worker child : children) {
            try (child) {
                sums.add(sumColumn(child.receive(Duration.ofMinutes(5)), child));
                child.join(Duration.ofMinutes(1));
            }
        }
        return sums;
    }

    /// The same with a pool of `size` reused children, as `Pool.map`. {@return the sums, in input order}
    public static List<Long> withPool(List<Path> files, int size) {
        Map<Integer, Long> sums = new ConcurrentHashMap<>();
        List<Object> inputs = files.stream().map(f -> (Object) LoadIntoSharedArray.input(f, DTYPE, TAB_SEPARATED)).toList();
        try (WorkerPool pool = WorkerPool.start(size)) {
            pool.map(LoadIntoSharedArray.class, inputs, (index, message, task) -> {
                sums.put(index, sumColumn(message, task));
            });
        }
        List<Long> ordered = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ordered.add(sums.get(i));
        }
        return ordered;
    }

    /// Maps the array whose handle the child sent (the child then unlinks its name: both sides
    /// have it mapped, so no crash can leak it), reads column `c`, and unmaps.
    static long sumColumn(Object handle, Channel child) {
        try (SharedArray a = LoadIntoSharedArray.attach(handle, child)) {
            var c = a.array().column("c");
            long sum = 0;
            for (long row = 0; row < a.array().length(); row++) {
                sum += c.getInt(row);
            }
            return sum;
        }
    }
}
