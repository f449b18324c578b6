package io.ferry.examples;

import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class ClassicRecipeTest {
    private static final List<Path> FILES = List.of(Path.of("../examples/sample1.txt"), Path.of("../examples/sample2.txt"),
            Path.of("../examples/sample3.txt"));

    /// numpy is the judge of the sums: `np.loadtxt(f, dtype)['c'].sum()` per file.
    private static List<Long> numpySums() {
        String out = PythonPeer.run("""
                import sys, numpy as np
                dt = [('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]
                for f in sys.argv[1:]:
                    print(int(np.loadtxt(f, dtype=dt, ndmin=1)['c'].sum()))
                """, FILES.stream().map(Path::toString).toArray(String[]::new));
        return out.strip().lines().map(Long::parseLong).toList();
    }

    @Test
    void oneChildPerFile() {
        long before = childCount();
        assertEquals(numpySums(), ClassicRecipe.withProcesses(FILES));
        assertTrue(childCount() <= before, "no child JVM left running");
    }

    @Test
    void poolOfTwo() {
        assertEquals(numpySums(), ClassicRecipe.withPool(FILES, 2));
    }

    private static long childCount() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).count();
    }
}
