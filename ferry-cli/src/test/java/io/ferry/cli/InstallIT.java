package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `scripts/install PREFIX`, run once `ferry-cli/target/ferry.jar` is packaged: from a copy of
/// what a checkout holds for it (the launcher, `scripts/`, `LICENSE` and the jar, no sources, so
/// nothing is rebuilt), then with that copy removed, so the installed command can only use what
/// the install put under the prefix.
class InstallIT {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize().toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theInstalledCommandConvertsWithTheCheckoutGone() throws Exception {
        Path checkout = checkoutCopy();
        Path prefix = dir.resolve("prefix");
        Result install = run(List.of("bash", checkout.resolve("scripts/install").toString(), prefix.toString()), Map.of());
        assertEquals(0, install.exit(), install.output());
        assertTrue(install.output().contains("installed ferry "), install.output());
        assertTrue(install.output().contains(prefix.resolve("bin") + " is not on your PATH"), install.output());
        delete(checkout);

        Path lib = prefix.resolve("lib/ferry");
        assertEquals(List.of("LICENSE", "ferry-load.aot", "ferry-natives", "ferry-worker.aot", "ferry.aot", "ferry.aot-jvm", "ferry.aot.lock",
                        "ferry.jar", "java25.sh"), names(lib),
                "the jar, its trained start-up caches (a conversion's, load and share's, its worker JVMs'), HDF5's"
                        + " libraries out of the jar, how to find Java, the licence");
        assertTrue(names(lib.resolve("ferry-natives")).containsAll(List.of("libjnihdf5.so", "libjnijavacpp.so")),
                names(lib.resolve("ferry-natives")).toString());
        assertEquals(List.of("ferry"), names(prefix.resolve("bin")));

        Path work = Files.createDirectory(dir.resolve("work"));
        SampleInputs.write(work.resolve("t1.txt"), 2000, 3);
        // on the PATH by name, JAVA_HOME unset: the launcher finds Java as a user's shell would
        Result convert = run(List.of("bash", "-c", "cd \"$0\" && env -u JAVA_HOME ferry convert t1.txt -o t1.h5 --dtype "
                + SampleInputs.DTYPE + " -q", work.toString()), Map.of("PATH", prefix.resolve("bin") + ":/usr/bin:/bin"));
        assertEquals(0, convert.exit(), convert.output());
        assertEquals("", convert.output(), "a trained cache, so no training message; -q, so no summary");
        String same = PythonPeer.run("""
                import sys, h5py, numpy as np
                d = h5py.File(sys.argv[1])["t1"]
                a = np.loadtxt(sys.argv[2], dtype=d.dtype, ndmin=1)
                print(len(a), d.shape[0], d[:].tobytes() == a.tobytes())
                """, work.resolve("t1.h5").toString(), work.resolve("t1.txt").toString());
        assertEquals("2000 2000 True", same.strip());

        // load and share start with a cache of their own, trained on them; the others with the conversion's
        for (String command : List.of("load", "share", "convert")) {
            Result r = run(List.of("bash", "-c", "cd \"$0\" && FERRY_JAVA_OPTS=-XX:+PrintCommandLineFlags ferry " + command
                    + " --help | head -n 1", work.toString()), Map.of("PATH", prefix.resolve("bin") + ":/usr/bin:/bin"));
            String cache = command.equals("convert") ? "ferry.aot" : "ferry-load.aot";
            assertTrue(r.output().contains("-XX:AOTCache=" + lib.resolve(cache) + " "), command + ": " + r.output());
        }
        // serve, the JVM Python's ferry.loadtxt keeps, starts with its classes from that cache too,
        // not parsed and verified from the jar (CacheTraining runs a request through it)
        Path classes = work.resolve("serve-classes.txt");
        Result served = run(List.of("bash", "-c", "cd \"$0\" && printf '%s\\n' '[\"share\", \"t1.txt\", \"--dtype\", \""
                + SampleInputs.DTYPE + "\"]' done | FERRY_JAVA_OPTS=-Xlog:class+load=info:file=" + classes + " ferry serve",
                work.toString()), Map.of("PATH", prefix.resolve("bin") + ":/usr/bin:/bin"));
        assertEquals(0, served.exit(), served.output());
        assertTrue(served.output().contains("\"exit\": 0"), served.output());
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains("io.ferry.cli.ServeCommand source: shared objects file"), loaded);
        assertFalse(loaded.contains("source: file:"), "classes from the jar: " + loaded.lines().filter(l -> l.contains("source: file:")).toList());

        // As typed by hand, a first look at a one-line file and a one-line conversion over an
        // earlier output, its summary printed: their classes come from the caches too (the
        // conversion's were trained quiet, on a new file), and the look links no foreign call
        // (a small load's pages fault in as they are written; linking madvise took 15-20 ms)
        Files.writeString(work.resolve("one.txt"), Files.readString(work.resolve("t1.txt")).lines().findFirst().orElseThrow() + "\n");
        for (String command : List.of("load one.txt --dtype " + SampleInputs.DTYPE,
                "convert one.txt -o t1.h5 --force --dtype " + SampleInputs.DTYPE)) {
            Path log = work.resolve("classes-" + command.substring(0, 4) + ".txt");
            Result r = run(List.of("bash", "-c", "cd \"$0\" && FERRY_JAVA_OPTS=-Xlog:class+load=info:file=" + log + " ferry " + command,
                    work.toString()), Map.of("PATH", prefix.resolve("bin") + ":/usr/bin:/bin"));
            assertEquals(0, r.exit(), command + ": " + r.output());
            String defined = Files.readString(log);
            assertFalse(defined.contains("source: file:"), command + ": classes from the jar: "
                    + defined.lines().filter(l -> l.contains("source: file:")).toList());
            if (command.startsWith("load")) {
                assertFalse(defined.contains("DowncallStub"), command + ": a foreign call linked:\n" + defined);
            }
        }

        // HDF5's libraries are loaded from ferry-natives, which the launcher names (Hdf5NativesTest: from there alone)
        Result maps = run(List.of("bash", "-c", "cd \"$0\" && FERRY_JAVA_OPTS=-XshowSettings:properties ferry convert"
                + " t1.txt -o t2.h5 --dtype " + SampleInputs.DTYPE + " -q", work.toString()),
                Map.of("PATH", prefix.resolve("bin") + ":/usr/bin:/bin"));
        assertEquals(0, maps.exit(), maps.output());
        assertTrue(maps.output().contains("ferry.hdf5.natives = " + lib.resolve("ferry-natives")), maps.output());

        // by a relative name, from its own folder and from a sibling (the launcher finds lib/ferry
        // from its own folder, made absolute without a subshell)
        for (String call : List.of("cd \"$0/bin\" && ./ferry --version", "cd \"$0/lib\" && ../bin/ferry --version")) {
            Result r = run(List.of("bash", "-c", call, prefix.toString()), Map.of());
            assertEquals(0, r.exit(), call + ": " + r.output());
            assertTrue(r.output().startsWith("ferry "), call + ": " + r.output());
        }

        // A JVM ignores another's caches without a word: the launcher trains them again when the
        // JDK they were trained with was updated in place (its libjvm.so has another time) or is
        // gone, and not for another JDK beside it, which would make two take turns training.
        // Here a JAVA_HOME whose java is this one and whose libjvm.so has a time of its own.
        Path jdk = Path.of(System.getProperty("java.home"));
        Path other = dir.resolve("other-jdk");
        Path library = Files.createDirectories(other.resolve("lib/server")).resolve("libjvm.so");
        Files.createSymbolicLink(other.resolve("bin"), jdk.resolve("bin"));
        Files.copy(jdk.resolve("release"), other.resolve("release"));
        Files.setLastModifiedTime(Files.createFile(library), FileTime.fromMillis(1_000_000_000_000L));
        String training = "ferry: training the start-up cache (once per build)...\n";
        assertEquals("", version(prefix, other), "another JDK beside the one trained with: no training");
        Path stamp = lib.resolve("ferry.aot-jvm");
        assertEquals(jdk.toString(), Files.readString(stamp).strip(), "the stamp names the JDK trained with");
        Files.writeString(stamp, other + "\n");   // as if trained with the other
        Files.setLastModifiedTime(stamp, FileTime.fromMillis(1_000_000_000_000L));
        assertEquals("", version(prefix, other));
        Files.setLastModifiedTime(library, FileTime.fromMillis(1_100_000_000_000L));   // updated in place
        assertEquals(training, version(prefix, other));
        assertEquals("", version(prefix, other), "once");
        delete(other);   // gone: the JDK in use trains its own
        assertEquals(training, version(prefix, jdk));
        assertEquals(jdk.toString(), Files.readString(stamp).strip());
    }

    /// A `ferry` in PREFIX/bin that is not Ferry's launcher is another program: the install
    /// refuses, names it and leaves it, and installs nothing.
    @Test
    void anotherProgramNamedFerryIsLeftAlone() throws Exception {
        Path checkout = checkoutCopy();
        Path bin = Files.createDirectories(dir.resolve("prefix/bin"));
        Files.writeString(bin.resolve("ferry"), "#!/bin/sh\necho another ferry\n");
        Result r = run(List.of("bash", checkout.resolve("scripts/install").toString(), dir.resolve("prefix").toString()), Map.of());
        assertEquals(1, r.exit(), r.output());
        assertEquals("ferry install: " + bin.resolve("ferry") + " exists and is not an installed ferry launcher;"
                + " remove it or choose another PREFIX.\n", r.output());
        assertEquals("#!/bin/sh\necho another ferry\n", Files.readString(bin.resolve("ferry")));
        assertFalse(Files.exists(dir.resolve("prefix/lib")), "nothing installed");
    }

    @Test
    void withoutAPrefixTheUsageIsTheAnswer() throws Exception {
        Result r = run(List.of("bash", ROOT.resolve("scripts/install").toString()), Map.of());
        assertEquals(64, r.exit(), r.output());
        assertTrue(r.output().startsWith("usage: scripts/install PREFIX"), r.output());
    }

    /// What scripts/install needs of a checkout whose jar is built, copied into `dir/checkout`.
    private Path checkoutCopy() throws IOException {
        Path jar = ROOT.resolve("ferry-cli/target/ferry.jar");
        assertTrue(Files.isRegularFile(jar), "needs the packaged jar: " + jar);
        Path checkout = dir.resolve("checkout");
        for (String f : List.of("ferry", "LICENSE", "scripts/install", "scripts/java25.sh", "scripts/jar.sh", "ferry-cli/target/ferry.jar")) {
            Path to = checkout.resolve(f);
            Files.createDirectories(to.getParent());
            Files.copy(ROOT.resolve(f), to, StandardCopyOption.COPY_ATTRIBUTES);
        }
        return checkout;
    }

    record Result(int exit, String output) {
    }

    /// Runs `command` with its output in a file, so a command that hangs is killed at the limit.
    /// {@return what the installed `ferry --version` says on standard error with `javaHome`}
    private String version(Path prefix, Path javaHome) throws Exception {
        Result r = run(List.of("bash", "-c", "ferry --version >/dev/null"), Map.of("PATH", prefix.resolve("bin")
                + ":/usr/bin:/bin", "JAVA_HOME", javaHome.toString()));
        assertEquals(0, r.exit(), r.output());
        return r.output();
    }

    private Result run(List<String> command, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(dir, "out", ".log");
        ProcessBuilder b = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().remove("FERRY_CLASS_PATH");
        b.environment().putAll(env);
        Process p = b.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 300 s: " + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Result(p.exitValue(), out);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
