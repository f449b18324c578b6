package io.ferry.cli;

import io.ferry.array.NdArray;
import io.ferry.shm.SharedArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/// `ferry share FILE --dtype SPEC`: a text table in a shared array, offered to another process.
@Command(name = "share", mixinStandardHelpOptions = true,
        description = {"Load a text table into a shared array and print its handle as one line of JSON,",
                "which numpy uses as it is. Keeps the segment until standard input says done (or ends),",
                "then unlinks it; a line 'attached' unlinks the name at once (the reader has it mapped)."},
        footer = {"", "Example, with Python reading it:",
                "  ferry share examples/sample1.txt --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4 | python3 -c '",
                "  import sys, json, numpy as np",
                "  from multiprocessing import shared_memory, resource_tracker",
                "  h = json.loads(sys.stdin.readline())",
                "  shm = shared_memory.SharedMemory(name=h[\"name\"])",
                "  resource_tracker.unregister(shm._name, \"shared_memory\")",
                "  a = np.ndarray(tuple(h[\"shape\"]), dtype=[tuple(f) for f in h[\"dtype\"]], buffer=shm.buf)",
                "  print(a[:3])'"})
final class ShareCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The text file (plain or gzip).")
    Path file;

    @Mixin
    LoaderOptions loaderOptions;

    @Override
    public Integer call() throws Exception {
        var loader = loaderOptions.loader();
        Inputs.checkReadable(file);
        try (Arena arena = Arena.ofConfined()) {
            NdArray loaded = loader.load(file, arena);
            // One copy into the shared array: the row count is known only once the file is parsed.
            // `ferry convert` parses straight into shared memory; here simplicity wins.
            try (SharedArray shared = SharedArray.create(loaded.dtype(), loaded.shape())) {
                MemorySegment.copy(loaded.segment(), 0, shared.array().segment(), 0, loaded.byteSize());
                shared.publish(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
            }
        }
        return ExitCode.OK;
    }
}
