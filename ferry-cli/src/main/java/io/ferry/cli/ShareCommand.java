package io.ferry.cli;

import io.ferry.array.NdArray;
import io.ferry.shm.SharedArray;
import io.ferry.text.TableReader;
import io.ferry.text.TextLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        TextLoader loader = loaderOptions.loader();
        Inputs.checkReadable(file);
        BufferedReader consumer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (isGzip(file)) {
            // A gzip stream's line count is not known without inflating it all: parse, then copy once.
            try (Arena arena = Arena.ofConfined()) {
                NdArray loaded = loader.load(file, arena);
                try (SharedArray shared = SharedArray.create(loaded.dtype(), loaded.shape())) {
                    MemorySegment.copy(loaded.segment(), 0, shared.array().segment(), 0, loaded.byteSize());
                    shared.publish(consumer, System.out);
                }
            }
            return ExitCode.OK;
        }
        // A plain file: no more rows than lines, so the array is made that long and parsed into
        // straight away, then shrunk to the rows there were (comments and blank lines).
        long capacity = lines(file);
        try (TableReader reader = loader.open(file)) {
            long columns = reader.columns();
            long[] shape = loader.dtype().isStructured() || columns == 1 ? new long[]{capacity} : new long[]{capacity, columns};
            try (SharedArray shared = SharedArray.create(loader.dtype(), shape)) {
                long rowBytes = reader.rowBytes();
                long rows = 0;
                if (rowBytes > 0) {
                    for (long n; (n = reader.read(shared.array().segment().asSlice(rows * rowBytes), capacity - rows)) > 0; ) {
                        rows += n;
                    }
                }
                long[] numpy = reader.shape(rows);
                if (numpy.length == shape.length) {
                    shared.shrinkTo(rows).publish(consumer, System.out);
                } else { // no row, or one of a plain dtype: numpy's shape drops a dimension; a row at most to copy
                    try (SharedArray exact = SharedArray.create(loader.dtype(), numpy)) {
                        MemorySegment.copy(shared.array().segment(), 0, exact.array().segment(), 0, rows * rowBytes);
                        shared.close();
                        exact.publish(consumer, System.out);
                    }
                }
            }
        }
        return ExitCode.OK;
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /// {@return the lines of `file`}, as the loader counts them (a lone `\r` ends a line too)
    static long lines(Path file) throws IOException {
        return TextLoader.lines(file);
    }
}
