package io.ferry.proc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// The class-data cache this JVM was started with (`-XX:AOTCache=…` or `-XX:SharedArchiveFile=…`,
/// as the `ferry` launcher starts it), for its child JVMs.
///
/// A child runs the same class path, so the same cache serves it: its classes come loaded and
/// linked, and with an AOT cache the parser's method profiles come too, so the child compiles its
/// hot loop at once instead of profiling it first. Better still is a cache trained in a worker
/// JVM itself, beside the parent's (`ferry-worker.aot` beside `ferry.aot`, as the launcher trains
/// it): it holds the worker's own classes (its channel, the part protocol's records) and its
/// profiles; a tiny process-isolation conversion took a tenth less time with it, a large one 4 %.
/// A child JVM on another class path would only be warned off a cache, so it is given none.
final class ClassDataCache {
    private static final List<String> PREFIXES = List.of("-XX:AOTCache=", "-XX:SharedArchiveFile=");
    /// A cache that does not fit (another JDK, changed options) is ignored; these keep the child
    /// from saying so on every start.
    private static final List<String> QUIET = List.of("-Xlog:aot*=off", "-Xlog:cds*=off");

    private static final List<String> OWN = ProcessHandle.current().info().arguments()
            .map(args -> fromArguments(List.of(args))).orElse(List.of());
    /// Set on a parent JVM to have its (one) child write a worker cache there as it exits: how
    /// the launcher trains `ferry-worker.aot`.
    static final String TRAIN_WORKER_CACHE = "ferry.trainWorkerCache";
    private static final String AOT_CACHE = "-XX:AOTCache=";

    private ClassDataCache() {
    }

    /// {@return the options that give a child on `childClassPath` this JVM's cache}: none when this
    /// JVM has no cache or the child runs another class path
    static List<String> optionsFor(String childClassPath) {
        if (!childClassPath.equals(System.getProperty("java.class.path", ""))) {
            return List.of();
        }
        return forWorker(OWN, System.getProperty(TRAIN_WORKER_CACHE));
    }

    /// {@return the cache options of a worker whose parent has the cache options `own`}: a worker
    /// cache beside the parent's AOT cache if there is one, else the parent's; with `training`,
    /// none but writing a worker cache there
    static List<String> forWorker(List<String> own, String training) {
        if (training != null) {
            return withQuiet(List.of("-XX:AOTCacheOutput=" + training));
        }
        return own.stream().filter(o -> o.startsWith(AOT_CACHE)).findFirst()
                .map(o -> workerCache(Path.of(o.substring(AOT_CACHE.length()))))
                .filter(Files::isRegularFile)
                .map(w -> withQuiet(List.of(AOT_CACHE + w)))
                .orElse(own);
    }

    /// {@return where the worker cache of the AOT cache `cache` is}: `ferry-worker.aot` beside `ferry.aot`
    static Path workerCache(Path cache) {
        String name = cache.getFileName().toString();
        String base = name.endsWith(".aot") ? name.substring(0, name.length() - 4) : name;
        return cache.resolveSibling(base + "-worker.aot");
    }

    private static List<String> withQuiet(List<String> options) {
        List<String> all = new ArrayList<>(options);
        all.addAll(QUIET);
        return List.copyOf(all);
    }

    /// {@return the cache options among a `java` command's arguments (its own name left out)}, with
    /// the options that keep a child quiet about a cache it cannot use; none when there are none
    static List<String> fromArguments(List<String> args) {
        List<String> options = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("-jar") || arg.equals("-m") || arg.equals("--module")) {
                break; // the program's own arguments follow
            }
            if (PREFIXES.stream().anyMatch(arg::startsWith)) {
                options.add(arg);
            }
        }
        return options.isEmpty() ? List.of() : withQuiet(options);
    }
}
