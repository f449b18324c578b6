package io.ferry.proc;

import java.util.ArrayList;
import java.util.List;

/// The class-data cache this JVM was started with (`-XX:AOTCache=…` or `-XX:SharedArchiveFile=…`,
/// as the `ferry` launcher starts it), for its child JVMs.
///
/// A child runs the same class path, so the same cache serves it: its classes come loaded and
/// linked, and with an AOT cache the parser's method profiles come too, so the child compiles its
/// hot loop at once instead of profiling it first. A child JVM on another class path would only
/// be warned off the cache, so it is given none.
final class ClassDataCache {
    private static final List<String> PREFIXES = List.of("-XX:AOTCache=", "-XX:SharedArchiveFile=");
    /// A cache that does not fit (another JDK, changed options) is ignored; these keep the child
    /// from saying so on every start.
    private static final List<String> QUIET = List.of("-Xlog:aot*=off", "-Xlog:cds*=off");

    private static final List<String> OWN = ProcessHandle.current().info().arguments()
            .map(args -> fromArguments(List.of(args))).orElse(List.of());

    private ClassDataCache() {
    }

    /// {@return the options that give a child on `childClassPath` this JVM's cache}: none when this
    /// JVM has no cache or the child runs another class path
    static List<String> optionsFor(String childClassPath) {
        if (OWN.isEmpty() || !childClassPath.equals(System.getProperty("java.class.path", ""))) {
            return List.of();
        }
        return OWN;
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
        if (!options.isEmpty()) {
            options.addAll(QUIET);
        }
        return List.copyOf(options);
    }
}
