package io.ferry.cli;

import io.ferry.cli.options.LoaderOptions;
import io.ferry.Sizes;
import io.ferry.array.NdArray;
import io.ferry.array.MappedNpy;
import io.ferry.array.Npy;
import io.ferry.file.OutputFile;
import io.ferry.file.OutputFileException;
import io.ferry.file.StandardInput;
import io.ferry.text.GrowingLoad;
import io.ferry.text.ParallelLoad;
import io.ferry.text.TextLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/// `ferry load FILE --dtype SPEC [-o OUT.npy]`: one text table into memory, as `np.loadtxt` would.
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Load a text table as np.loadtxt(FILE, dtype=…, ndmin=1) does, with numpy's values bit",
                "for bit, and a clear error (file, line, column, text) where numpy would silently corrupt.",
                "Prints rows, time, rate and the first rows; -o writes a .npy that np.load reads."},
        footer = {"", "Examples:",
                "  ferry load examples/sample1.txt --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4",
                "  ferry load data.csv --dtype f8 --delimiter , --skiprows 1 -o data.npy --force",
                "  ferry load calls.txt.gz --dtype chr:S10,pos:i4 --usecols 0,1 --rows 20"})
final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The text file (plain or gzip).")
    Path file;

    @Mixin
    LoaderOptions loaderOptions;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.npy", description = "Write the array to this .npy file.")
    Path output;

    @Option(names = {"-n", "--rows"}, paramLabel = "N", defaultValue = "5", description = "Rows to print (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = {"-f", "--force"}, description = "Replace OUT.npy if it exists.")
    boolean force;

    @Option(names = {"-w", "--workers"}, paramLabel = "N",
            description = "Threads that parse a plain file, each its own byte range (default: the number of cores).")
    Integer workers;

    @Override
    public Integer call() throws IOException {
        TextLoader loader = loaderOptions.loader();
        if (rows < 0) {
            throw new UsageException("--rows takes a number of rows to print, 0 or more, not " + rows);
        }
        int threads = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            throw new UsageException("--workers takes a number of threads, 1 or more, not " + threads);
        }
        if (StandardInput.is(file)) {
            throw new UsageException("- (standard input): load reads a file; ferry convert - and ferry share - read"
                    + " standard input");
        }
        Inputs.checkReadable(file);
        OutputFile npy = null;
        if (output != null) { // Npy.write replaces, as np.save does; the command asks for --force
            try {
                npy = OutputFile.of(output, force, List.of(file));
            } catch (OutputFileException e) {
                throw Outputs.refusal(e);
            }
        }
        long t0 = System.nanoTime();
        try (Arena arena = Arena.ofShared()) {
            if (npy != null && (ParallelLoad.applies(file) || GrowingLoad.applies(file))) {
                loadIntoNpy(loader, threads, npy, t0);
            } else {
                NdArray a = loader.load(file, arena, threads);
                String report = report(a, loader, t0);
                if (npy != null) {
                    try {
                        Npy.write(a, output);
                    } catch (OutputFileException e) {
                        throw Outputs.refusal(e);
                    }
                }
                print(report);
                if (npy != null) {
                    wrote();
                }
            }
        }
        return ExitCode.OK;
    }

    /// A plain file (by all the threads) or a gzip one (by one, the file growing as its rows come)
    /// parsed straight into the `.npy` file, each block of rows written into it at its place,
    /// which is then cut to the rows there were and renamed onto OUT.npy: no copy of the array,
    /// in memory or on disk.
    private void loadIntoNpy(TextLoader loader, int threads, OutputFile out, long t0) throws IOException {
        MappedNpy[] npy = {null};
        try {
            GrowingLoad.Memory memory = new GrowingLoad.Memory() {
                @Override
                public MemorySegment allocate(long capacity, long columns, long rowBytes) throws IOException {
                    npy[0] = MappedNpy.create(out, loader.dtype(), capacity, columns);
                    return npy[0].data();
                }

                @Override
                public void prepare(MemorySegment memory, long offset, long length) {
                    // nothing: writing the rows allocates their pages
                }

                @Override
                public void write(MemorySegment memory, long offset, byte[] rows, int length) throws IOException {
                    npy[0].write(offset, rows, 0, length); // through the file: see MappedNpy.write
                }

                @Override
                public void read(MemorySegment memory, long offset, byte[] into, int length) throws IOException {
                    npy[0].read(offset, into, 0, length);
                }

                @Override
                public MemorySegment grow(MemorySegment old, long rows, long rowBytes) throws IOException {
                    return npy[0].grow(rows * rowBytes);
                }

                @Override
                public boolean pagesOnTouch() { // a sparse file, cut to its rows by commit
                    return true;
                }

                @Override
                public void release(MemorySegment memory, long offset) throws IOException {
                    npy[0].release(offset);
                }

                @Override
                public long freeBytes() {
                    return out.freeBytes();
                }
            };
            ParallelLoad.Loaded loaded = ParallelLoad.applies(file) ? ParallelLoad.load(loader, file, threads, memory, () -> false)
                    : GrowingLoad.load(loader, file, memory, () -> false);
            // Said once the file is in place: a write that fails then (the target taken meanwhile,
            // a signal) printed the rows first, and the run read as a success.
            String report = report(NdArray.wrap(loader.dtype(), npy[0].data(), loaded.shape()), loader, t0);
            try {
                npy[0].commit(loaded.shape());
            } catch (OutputFileException e) {
                throw Outputs.refusal(e);
            }
            print(report);
            wrote();
        } finally {
            if (npy[0] != null) {
                npy[0].close();
            }
        }
    }

    /// {@return what the load says of `a`}: rows, bytes and speed, the dtype, the first rows
    private String report(NdArray a, TextLoader loader, long t0) throws IOException {
        double secs = (System.nanoTime() - t0) / 1e9;
        long bytes = Files.size(file);
        // No printf: the Formatter loads the locale's number formats, 20 ms of a short run.
        // a gzip file's size is not its text's: say which it is
        String of = io.ferry.gzip.Gzip.isGzip(file) ? " of gzip in " : " of text in ";
        return file + ": " + Units.counted(textRows(a, loader), "row") + ", " + Sizes.human(bytes) + of
                + Sizes.fixed(Math.min(secs, 9e6), 3) + " s (" + Sizes.human((long) (bytes / Math.max(secs, 1e-9))) + "/s)"
                + System.lineSeparator()
                + "dtype " + a.dtype().descr() + (a.dtype().isStructured() ? "" : ", shape " + shape(a.shape()))
                + System.lineSeparator() + a.head(rows);
    }

    private void print(String report) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(report);
        out.flush();
    }

    /// {@return the rows the text held}: the array's length, but one for the one row of a plain
    /// dtype that numpy's `ndmin=1` shapes `(columns,)` (a column of rows is `(rows,)` too)
    private long textRows(NdArray a, TextLoader loader) throws IOException {
        if (a.dtype().isStructured() || a.ndim() != 1 || a.length() <= 1) {
            return a.length();
        }
        return loader.columns(file) == 1 ? a.length() : 1;
    }

    private void wrote() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + output + " (" + Sizes.human(Files.size(output)) + ")");
        out.flush();
    }

    static String shape(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
