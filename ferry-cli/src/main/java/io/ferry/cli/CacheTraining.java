package io.ferry.cli;

import io.ferry.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/// The run the `ferry` launcher trains the start-up cache of `ferry load`, `ferry share` and
/// `ferry serve` on (the JVM's ahead-of-time cache: their classes, linked, and their methods'
/// profiles), once per build. `convert` has a cache of its own: the JVM maps and links every class of its cache at
/// start, and the conversion's, with HDF5's bindings, cost a one-line `ferry load` 60 ms more
/// than its own (0.32 s against 0.25 s; and every `ferry.loadtxt` from Python runs `serve`).
///
/// Not a command: the launcher runs `java -XX:AOTCacheOutput=… -jar ferry.jar --train-cache DIR`
/// (through the jar's own entry point, as every run goes, so the method handle that calls `Main`
/// is in the cache too), with `done` on standard input (what `share` waits for), DIR holding the
/// generated tables `train1.txt` … `train4.txt`.
final class CacheTraining {
    private static final String DTYPE = "chr:S10,pos:i4,pct:f4,c:i4,t:i4";

    private CacheTraining() {
    }

    /// What [Main#run(String...)] takes as its first argument to run this.
    static final String ARGUMENT = "--train-cache";

    /// {@return 0 when every command ran without an error, else 1}
    static int run(Path dir) {
        String[] tables = new String[4];
        for (int i = 0; i < tables.length; i++) {
            tables[i] = dir.resolve("train" + (i + 1) + ".txt").toString();
        }
        int load = Main.run("load", tables[1], "-o", dir.resolve("x.npy").toString(), "--dtype", DTYPE);
        // A first look at a file, its rows shown and nothing written (standard output is the
        // launcher's /dev/null here): its own way of loading, with its lambdas and the madvise
        // downcall, came from the jar at each run, 45 ms of a one-line file's.
        int shown = Main.run("load", tables[0], "--dtype", DTYPE);
        // A file of two byte ranges too, as every file of more than 8 MB is read, so that the
        // methods only they run (the lines counted, the ranges' ends) are compiled early as well:
        // the JVM compiles at start what the training compiled.
        Path twoRanges = dir.resolve("two-ranges.txt");
        try {
            Files.copy(Path.of(tables[0]), twoRanges, StandardCopyOption.REPLACE_EXISTING);
            try (OutputStream end = Files.newOutputStream(twoRanges, StandardOpenOption.APPEND)) {
                Files.copy(Path.of(tables[1]), end);
            }
        } catch (IOException e) {
            return 1;
        }
        int ranges = Main.run("load", twoRanges.toString(), "-w", "2", "-o", dir.resolve("y.npy").toString(),
                "--dtype", DTYPE);
        // The swap that puts an output of 32 MiB or more in place over an older one
        // (io.ferry.file.OutputFile#commit), which the tables here are too small to take: made
        // here on two of the outputs, its call is in the cache too, where its first run at the
        // end of a large `ferry load -f` made 8 ms of method-handle classes.
        try {
            io.ferry.libc.Libc.exchange(dir.resolve("x.npy").toString(), dir.resolve("y.npy").toString());
        } catch (RuntimeException e) { // Libc reports a failed link as one too
            // no swap on this system: commits rename there, and the cache goes without it
        }
        // Two files, as Python's load_many gives, the second gzipped (written here, with the JDK's
        // gzip), so that the gzip reader is in the cache too; a minute at most for the consumer's word.
        Path gzipped = dir.resolve("train4.txt.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(gzipped), 1 << 16)) {
            Files.copy(Path.of(tables[3]), gz);
        } catch (IOException e) {
            return 1;
        }
        int share = Main.run("share", tables[2], gzipped.toString(), "--dtype", DTYPE, "--json", "--timeout", "60");
        return load == 0 && shown == 0 && ranges == 0 && share == 0 && serve(tables[0]) == 0 ? 0 : 1;
    }

    /// Runs `ferry serve` on one request for `table`, as Python's `ferry.loadtxt` asks its kept
    /// JVM for one, and its `done`: without it, the serve loop's classes and picocli's lookup of
    /// an abbreviated option came from the jar, parsed and verified in each Python process's
    /// first call.
    private static int serve(String table) {
        String request = Json.write(List.of("share", table, "--dtype", DTYPE, "--delimiter", "\t", "--comments=[\"#\"]",
                "--json"));
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream((request + "\ndone\n").getBytes(StandardCharsets.UTF_8)));
        try {
            return Main.run("serve");
        } finally {
            System.setIn(stdin);
        }
    }
}
