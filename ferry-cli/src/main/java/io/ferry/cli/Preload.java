package io.ferry.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/// What a short run waits for on its way, done on a second core while the first reads the
/// command line: the HDF5 library (loaded and opened: about 50 ms), the foreign-function
/// downcalls the command links (the first link builds the linker's machinery: about 20 ms; the
/// JVM's start-up cache keeps none of it), and what its exit looks up.
/// Measured with async-profiler's wall clock on a one-line conversion. (Reading picocli's
/// annotations here too, 25 ms of proxy classes, only delayed HDF5: the first thread needs both
/// at once.)
///
/// Each step initialises a class by name, as its first real use would; whichever thread comes
/// first does the work, and the other waits for it. A step that fails is left to that first use,
/// which reports it.
final class Preload {
    /// The classes a conversion initialises at its start, in the order it needs them: HDF5, and
    /// the `mmap` call of its slot pool unless its inputs are small (see [#smallInputsOnly]).
    private static final String HDF5 = "io.ferry.hdf5.H5";
    private static final String SLOT_POOL = "io.ferry.pipeline.UntouchedMemory";
    /// Inputs up to this size in all take a pool of slots small enough to be plain zeroed memory
    /// (io.ferry.pipeline.ThreadWorkers#allocateSlots): with a chunk of 1 MiB of records, as
    /// many as the densest text (a row a byte or two) may hold.
    static final long SMALL_INPUTS_BYTES = 64L << 10;
    /// The foreign-memory API's layouts, whose initialiser makes a var handle for each (ten
    /// method-handle classes, 10 ms, which the start-up cache does not keep): every load and
    /// share reads its text through them, and every request `ferry serve` answers.
    private static final String LAYOUTS = "java.lang.foreign.ValueLayout";
    /// The downcall that waits for a driver's words (io.ferry.cli.PolledStandardInput): linked
    /// on its first use, it took 20 ms of CPU and, with both cores busy loading, 30-55 ms of wall
    /// time, during which a `done` said at once (as ferry.loadtxt says it) went unread.
    private static final String POLL = "io.ferry.libc.Libc$Poll";
    /// The downcall that puts a large output in place (io.ferry.file.OutputFile#commit), and the
    /// var handle that reads its `errno`: made at the very end of a `ferry load -o` of a large
    /// table, they took 30 ms after its last row.
    private static final List<String> EXCHANGE = List.of("io.ferry.libc.Libc$Renameat2", "io.ferry.libc.Libc$CallState");
    /// What the exit looks up before the shutdown hooks run ([ExitLogger]): last, as it is
    /// needed last.
    private static final String EXIT = "io.ferry.cli.ExitLogger";

    /// {@return what the command `args` name initialises on its way}, in the order it needs them:
    /// none for a command that has no such wait
    static List<String> forCommand(String[] args) {
        if (args.length == 0) {
            return List.of();
        }
        List<String> steps = new ArrayList<>();
        switch (args[0]) {
            case "convert" -> {
                steps.add(HDF5);
                if (!smallInputsOnly(args)) {
                    steps.add(SLOT_POOL);
                }
                if (List.of(args).contains("--json")) {
                    steps.add(POLL);
                }
            }
            case "share" -> steps.addAll(List.of(LAYOUTS, POLL));
            case "load" -> {
                steps.add(LAYOUTS);
                if (!smallInputsOnly(args) && replacesAFile(args)) {
                    steps.addAll(EXCHANGE);
                }
            }
            case "serve" -> steps.add(LAYOUTS);
            default -> {
                return List.of();
            }
        }
        steps.add(EXIT);
        return List.copyOf(steps);
    }

    /// {@return whether a load's output (`-o X`, `--output X`, `--output=X`, `-oX`) is a file
    /// there already}: the swap puts a large output in place over an existing file only; a new
    /// one is renamed into place, and linking the swap for nothing cost a one-line load to a new
    /// file 40-50 ms of CPU on a second thread. No output named, or one not understood, counts as
    /// existing, which only errs towards the preload.
    static boolean replacesAFile(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String output = null;
            if ((a.equals("-o") || a.equals("--output")) && i + 1 < args.length) {
                output = args[i + 1];
            } else if (a.startsWith("--output=")) {
                output = a.substring("--output=".length());
            } else if (a.startsWith("-o") && a.length() > 2 && !a.startsWith("--")) {
                output = a.substring(2);
            }
            if (output != null) {
                return new File(output).isFile();
            }
        }
        return true;
    }

    /// {@return whether a conversion's arguments name inputs of at most [#SMALL_INPUTS_BYTES] in
    /// all}, judged before they are read: every argument that names an existing file counts but
    /// the output's (`-o`, `--output`; in a form such as `-oX` it counts too, which only errs
    /// towards the preload); a folder, standard input or a list of inputs may hold any size, so
    /// they count as large. A wrong guess costs time only: whichever thread first needs the
    /// pool's `mmap` links it.
    static boolean smallInputsOnly(String[] args) {
        long bytes = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-o") || a.equals("--output")) {
                i++;   // the output, which an earlier run may have made large
                continue;
            }
            if (a.equals("-") || a.startsWith("--inputs-from")) {
                return false;
            }
            File f = new File(a);
            if (f.isDirectory()) {
                return false;
            }
            bytes += f.length();   // 0 where there is no such file: an option, a dtype
        }
        return bytes <= SMALL_INPUTS_BYTES;
    }

    private static Thread loading;

    private Preload() {
    }

    /// Starts, once, initialising `classes` in order.
    static synchronized void start(List<String> classes) {
        if (loading != null || classes.isEmpty()) {
            return;
        }
        loading = Thread.ofPlatform().daemon().name("ferry-preload").start(() -> {
            ClassLoader loader = Preload.class.getClassLoader();
            for (String name : classes) {
                try {
                    Class.forName(name, true, loader);
                } catch (Throwable e) {
                    // its first use reports it
                }
            }
        });
    }

    /// Waits for what [#start] began: the JVM must not exit while HDF5's `H5open` runs (its exit
    /// handler would close the library under it).
    static void await() {
        Thread t;
        synchronized (Preload.class) {
            t = loading;
        }
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
