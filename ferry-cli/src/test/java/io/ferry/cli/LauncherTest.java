package io.ferry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The `ferry` launcher script, run as users run it (through bash, with their locale and their
/// bytes for file names), on the classes Maven compiled (`FERRY_CLASS_PATH`: no build, no cache).
@org.junit.jupiter.api.Tag("process")
class LauncherTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("ferry");

    @TempDir
    Path dir;

    /// A JVM that crashes writes `hs_err_pid*.log` into its working directory unless told where:
    /// the launcher tells it the temporary directory. The crash is a real one: the JVM is given
    /// too little metaspace and told to crash on running out.
    @Test
    void aCrashLogGoesToTheTemporaryDirectoryNotTheWorkingOne() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Result r = run(work, Map.of("TMPDIR", tmp.toString(),
                "FERRY_JAVA_OPTS", "-XX:+CrashOnOutOfMemoryError -XX:MaxMetaspaceSize=2m -Xshare:off"), "--version");
        assertEquals(134, r.exit(), "the JVM aborts: " + r.output());
        assertTrue(r.output().contains("fatal error has been detected"), r.output());
        assertEquals(List.of(), names(work), "nothing in the working directory");
        assertEquals(1, names(tmp).size(), names(tmp).toString());
        assertTrue(names(tmp).getFirst().matches("ferry-hs_err_pid[0-9]+\\.log"), names(tmp).toString());
    }

    /// Output standard output cannot take is a failure, as for other Unix tools: `/dev/full` is
    /// said, exit 1 (it was exit 0, the output lost); a pipe whose reader went ends as SIGPIPE
    /// would end it, 141, silently.
    @Test
    void standardOutputThatCannotTakeTheOutputFailsTheRun() throws Exception {
        Result full = bash(dir, Map.of(), "\"$0\" shm list > /dev/full; echo \"exit $?\"");
        assertTrue(full.output().contains("ferry shm: cannot write to standard output"), full.output());
        assertTrue(full.output().strip().endsWith("exit 1"), full.output());
        Result pipe = bash(dir, Map.of(), "\"$0\" --help | true; echo \"exit ${PIPESTATUS[0]}\"");
        assertEquals("exit 141", pipe.output().strip(), pipe.output());
        // A command whose output is a file it made: that is said, and the run succeeded (exit 1,
        // "failed, no output", was said of a whole, correct file)
        Path sample = LAUNCHER.getParent().resolve("examples/sample1.txt");
        Result made = bash(dir, Map.of(), "\"$0\" convert " + sample + " -o x.h5 --dtype " + SampleInputs.DTYPE
                + " > /dev/full; echo \"exit $?\"");
        assertTrue(made.output().startsWith("ferry convert: cannot write to standard output; x.h5 written all the same\n"),
                made.output());
        assertTrue(made.output().strip().endsWith("exit 0"), made.output());
        assertTrue(Files.size(dir.resolve("x.h5")) > 0);
    }

    /// Standard output is Ferry's alone: a thread dump (SIGQUIT, Ctrl-\\) and the JVM's own
    /// warnings (unified logging's default output is stdout) go to standard error. Both came before
    /// `ferry share`'s handle, which its reader then could not parse.
    @Test
    void theJvmsOwnOutputGoesToStandardError() throws Exception {
        Path sample = LAUNCHER.getParent().resolve("examples/sample1.txt");
        Result r = bash(dir, Map.of("FERRY_JAVA_OPTS", "-XX:AOTCache=" + dir.resolve("missing.aot")), """
                "$0" share %s --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4 --timeout 20 </dev/null >out 2>err &
                pid=$!
                for i in $(seq 200); do [ -s out ] && break; sleep 0.1; done
                kill -QUIT $pid; sleep 1; kill -TERM $pid; wait $pid
                echo "lines $(wc -l <out)"; head -c 1 out; echo; grep -c 'Full thread dump' err
                """.formatted(sample));
        assertEquals(List.of("lines 1", "{", "1"), r.output().strip().lines().toList(), r.output());
    }

    /// Standard input closed reads as empty: the JVM's module image took descriptor 0, `ferry
    /// convert --inputs-from -` died of SIGSEGV without a word, and `ferry share` read megabytes of
    /// the image as its consumer's words.
    @Test
    void aClosedStandardInputReadsAsEmpty() throws Exception {
        Result r = bash(dir, Map.of(), "\"$0\" convert --inputs-from - -o x.h5 --dtype f8 <&-; echo \"exit $?\"");
        assertTrue(r.output().contains("ferry convert: standard input: the list of inputs holds no paths"), r.output());
        assertTrue(r.output().strip().endsWith("exit 1"), r.output());
        assertEquals(List.of(), names(dir));
    }

    /// Standard output closed is /dev/null, read only: the JVM's module image took descriptor 1,
    /// and `-o /dev/stdout --force` replaced the JDK's `lib/modules` with the HDF5 file (no JVM
    /// started after). An output named through /proc is refused whatever is there: the file at
    /// descriptor 1 (here appended to) is left as it was.
    @Test
    void standardOutputIsNeverTakenForTheOutputFile() throws Exception {
        Files.writeString(dir.resolve("in.txt"), "1 2\n");
        Files.writeString(dir.resolve("victim.txt"), "precious\n");
        Result r = bash(dir, Map.of(), """
                "$0" load /proc/self/fd/1 --dtype f8 >&- 2>err1; echo "exit $?"; cat err1
                "$0" convert in.txt -o /dev/stdout --force --dtype f8 >&- 2>err2; echo "exit $?"; cat err2
                "$0" convert in.txt -o /dev/stdout --force --dtype f8 >>victim.txt 2>err3; echo "exit $?"; cat err3
                "$0" load in.txt -o /dev/fd/1 --force --dtype f8 >>victim.txt 2>err4; echo "exit $?"; cat err4
                """);
        List<String> lines = r.output().strip().lines().toList();
        assertEquals(List.of("exit 1", "ferry load: /proc/self/fd/1: is a character device, not a regular file; write"
                + " it to a file first"), lines.subList(0, 2), r.output());
        for (int i = 2; i < 8; i += 2) {
            assertEquals("exit 1", lines.get(i), r.output());
            assertTrue(lines.get(i + 1).contains(": names a file a process has open (through /proc/"), r.output());
        }
        assertEquals("precious\n", Files.readString(dir.resolve("victim.txt")));
        assertEquals(List.of("err1", "err2", "err3", "err4", "in.txt", "victim.txt"), names(dir));
    }

    /// Small inputs run on C1's code alone: C2's compiles cost a small job more than they save.
    /// Small is at most 16 MiB of named files in all (the output not counted); a larger file, a
    /// folder or standard input may hold any size, and get both compilers.
    @Test
    void smallInputsRunOnC1sCodeAlone() throws Exception {
        Files.writeString(dir.resolve("small.txt"), "1 2\n");
        try (var big = java.nio.channels.FileChannel.open(dir.resolve("big.txt"), java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            big.write(java.nio.ByteBuffer.wrap(new byte[]{'\n'}), (17L << 20) - 1);   // sparse: 17 MiB, no disk
        }
        Files.writeString(dir.resolve("out.h5"), "x".repeat(1 << 20));
        Result r = bash(dir, Map.of("FERRY_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), """
                c1() { "$0" "$@" 2>&1 </dev/null | grep -q 'TieredStopAtLevel=1' && echo C1 || echo C2; }
                c1 convert small.txt -o out.h5 --dtype f8 -q --force
                c1 load small.txt --dtype f8
                c1 convert small.txt big.txt -o x.h5 --dtype f8 -q
                c1 convert . -o x.h5 --dtype f8 -q
                c1 convert - -o x.h5 --dtype f8 -q
                c1 inspect out.h5
                """);
        assertEquals(List.of("C1", "C1", "C2", "C2", "C2", "C2"), r.output().strip().lines().toList(), r.output());
    }

    /// Under a cap on address space (`ulimit -v`, Grid Engine's h_vmem) of 2 GB the JVM could not
    /// start ("Could not allocate compressed class space: 1073741824 bytes"): the launcher asks
    /// for what fits, and so does every child JVM (process workers, and those that read HDF5 files
    /// for `inspect` and `stitch`, which failed under 3 GB). A conversion of the sample runs in
    /// each isolation, and h5py reads numpy's values back.
    @Test
    void aCapOnAddressSpaceStillRuns() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        SampleInputs.write(work.resolve("in.txt"), 3000, 1);
        Result r = bash(work, Map.of(), "ulimit -v 1100000 && \"$0\" convert in.txt -o out.h5 --dtype " + SampleInputs.DTYPE
                + " && \"$0\" convert in.txt -o out2.h5 --dtype " + SampleInputs.DTYPE + " --isolation process --workers 2"
                + " && \"$0\" inspect out2.h5 >/dev/null && \"$0\" stitch out.h5 -o all.h5");
        assertEquals(0, r.exit(), r.output());
        ManyInputsTest.assertDatasets(work.resolve("out.h5"), Map.of("in", work.resolve("in.txt")));
        ManyInputsTest.assertDatasets(work.resolve("out2.h5"), Map.of("in", work.resolve("in.txt")));
    }

    /// Under the C locale the JVM encodes file names in ASCII and cannot name `données.txt` at
    /// all (`InvalidPathException`); the launcher runs it under C.UTF-8 then.
    @Test
    void aUtf8NameWorksUnderTheCLocale() throws Exception {
        SampleInputs.write(dir.resolve("in.txt"), 10, 1);
        Result copy = bash(dir, Map.of(), "cp in.txt $'donn\\xc3\\xa9es.txt'");
        assertEquals(0, copy.exit(), copy.output());
        Result r = bash(dir, Map.of("LC_ALL", "C"), "exec \"$0\" load $'donn\\xc3\\xa9es.txt' --dtype " + SampleInputs.DTYPE
                + " --rows 1");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().startsWith("données.txt: 10 rows"), r.output());
    }

    /// A name whose bytes are not valid UTF-8 (Latin-1 `caf\xe9.txt`) cannot be named by the JVM:
    /// where it said "no such file", the command says why, with the bytes as they are.
    @Test
    void aNameThatIsNotUtf8IsAnHonestError() throws Exception {
        SampleInputs.write(dir.resolve("in.txt"), 10, 1);
        assertEquals(0, bash(dir, Map.of(), "cp in.txt $'caf\\xe9.txt'").exit());
        Result r = bash(dir, Map.of("LC_ALL", "C.UTF-8"), "exec \"$0\" load $'caf\\xe9.txt' --dtype " + SampleInputs.DTYPE);
        assertEquals(1, r.exit(), r.output());
        assertEquals(1, r.output().strip().lines().count(), r.output());
        assertTrue(r.output().startsWith("ferry load: caf\\xe9.txt: this name is not valid UTF-8, the encoding of file"
                + " names under this locale, so Java cannot open the file it names; rename the file"), r.output());
        // and the same bytes written as they are (a U+FFFD of the user's own) are a name like any other
        Result own = bash(dir, Map.of("LC_ALL", "C.UTF-8"), "exec \"$0\" load $'caf\\xef\\xbf\\xbd.txt' --dtype "
                + SampleInputs.DTYPE);
        assertEquals(1, own.exit(), own.output());
        assertEquals("ferry load: caf\uFFFD.txt: no such file\n", own.output());
        // an option's text (an attribute, a group) is no file's name: a mistake in the call, so said
        for (String attr : new String[]{"--attr $'k=a\\xffb'", "--attr=$'k=a\\xffb'"}) {
            Result text = bash(dir, Map.of("LC_ALL", "C.UTF-8"), "exec \"$0\" convert in.txt -o o.h5 --dtype "
                    + SampleInputs.DTYPE + " " + attr);
            assertEquals(64, text.exit(), text.output());
            assertEquals("ferry convert: --attr: 'k=a\\xffb' is not valid"
                    + " UTF-8 text, which this option takes (names and attributes are written as UTF-8); give it in UTF-8\n",
                    text.output());
        }
        assertFalse(Files.exists(dir.resolve("o.h5")));
    }

    /// A folder's entry whose name is not UTF-8 opens (the folder gives its bytes), but its
    /// dataset and source attribute named nothing on disk (`/caf\ufffd`, exit 0): refused as an
    /// argument is, with its bytes, by convert and stitch alike.
    @Test
    void aFolderEntryNamedInAnotherEncodingIsAnHonestError() throws Exception {
        SampleInputs.write(dir.resolve("in.txt"), 10, 1);
        assertEquals(0, bash(dir, Map.of(), "mkdir d parts && cp in.txt $'d/caf\\xe9.txt' && cp in.txt d/ok.txt").exit());
        Result r = bash(dir, Map.of("LC_ALL", "C.UTF-8"), "exec \"$0\" convert d -o o.h5 --name '{index}' --dtype "
                + SampleInputs.DTYPE);
        assertEquals(1, r.exit(), r.output());
        assertEquals("ferry convert: d/caf\\xe9.txt: this name is not valid UTF-8, the encoding of file names here, so"
                + " Ferry cannot name the file (its dataset, its source); rename it (a Latin-1 name: convmv -f latin1 -t"
                + " utf8 --notest NAME)\n", r.output());
        assertFalse(Files.exists(dir.resolve("o.h5")));
        // a list naming it said "no such file"
        assertEquals(0, bash(dir, Map.of(), "printf 'd/ok.txt\\nd/caf\\351.txt\\n' > list").exit());
        Result listed = bash(dir, Map.of("LC_ALL", "C.UTF-8"), "exec \"$0\" convert --inputs-from list -o o.h5 --dtype "
                + SampleInputs.DTYPE);
        assertEquals(1, listed.exit(), listed.output());
        assertTrue(listed.output().startsWith("ferry convert: list:2: 'd/caf?.txt': this line is not valid UTF-8"), listed.output());
        assertEquals(0, bash(dir, Map.of("LC_ALL", "C.UTF-8"), "\"$0\" convert d/ok.txt -o parts/p.h5 --dtype "
                + SampleInputs.DTYPE + " -q && mv parts/p.h5 $'parts/p\\xe9.h5'").exit());
        Result stitch = bash(dir, Map.of("LC_ALL", "C.UTF-8"), "exec \"$0\" stitch parts -o all.h5");
        assertEquals(1, stitch.exit(), stitch.output());
        assertTrue(stitch.output().startsWith("ferry stitch: parts/p\\xe9.h5: this name is not valid UTF-8"), stitch.output());
        assertFalse(Files.exists(dir.resolve("all.h5")));
    }

    /// The launcher finds its scripts beside the file a symbolic link points to, so a link in a
    /// folder on the `PATH` (here a link to a link, the second one relative) is the command. It
    /// used to look for `scripts/java25.sh` beside the link.
    @Test
    void aSymbolicLinkOnThePathRunsTheLauncher() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.createSymbolicLink(other.resolve("ferry-link"), LAUNCHER);
        Files.createSymbolicLink(bin.resolve("ferry"), Path.of("../other/ferry-link"));
        Result r = start(new ProcessBuilder("bash", "-c", "ferry --version"), dir,
                Map.of("PATH", bin + ":/usr/bin:/bin"));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().startsWith("ferry "), r.output());
        Files.delete(bin.resolve("ferry"));           // the temporary folder's removal warns about links out of it
        Files.delete(other.resolve("ferry-link"));
    }

    /// The launcher works out its own folder without a subshell (forks are dear): named by a
    /// relative path that climbs with `..`, or by its bare name from its own folder, it still
    /// finds its scripts, and the command runs in the caller's working directory.
    @Test
    void aRelativeNameRunsTheLauncherInTheCallersDirectory() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        SampleInputs.write(work.resolve("in.txt"), 7, 1);
        String climbing = work.relativize(LAUNCHER).toString();
        assertTrue(climbing.startsWith("../"), climbing);
        Result r = start(new ProcessBuilder("bash", "-c", "\"$0\" load in.txt --dtype " + SampleInputs.DTYPE
                + " --rows 1", climbing), work, Map.of());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().startsWith("in.txt: 7 rows"), r.output());
        Result bare = start(new ProcessBuilder("bash", "ferry", "--version"), LAUNCHER.getParent(), Map.of());
        assertEquals(0, bare.exit(), bare.output());
        assertTrue(bare.output().startsWith("ferry "), bare.output());
    }

    /// With no Java 25 anywhere the launcher looks (here `JAVA_HOME` and the `PATH` name a Java 17,
    /// and every Java 25 under `/usr/lib/jvm` is hidden by an empty folder mounted over it, in a
    /// mount namespace of the launcher's own), it says what it found where and how to get one,
    /// and exits 127 (command not found) before starting any JVM.
    @Test
    void withoutJava25TheLauncherSaysWhatItFoundAndHowToInstallOne() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java17.resolve("bin/java")),
                "needs Debian's openjdk-17 at " + java17);
        PrivateMounts.assumeCanMount();
        Path empty = Files.createDirectory(dir.resolve("empty"));
        String hide = """
                for d in /usr/lib/jvm/* "$FERRY_TEST_JAVA_HOME"; do
                  v=$(sed -n 's/^JAVA_VERSION="\\([0-9]*\\).*/\\1/p' "$d/release" 2>/dev/null || true)
                  if [ -n "$v" ] && [ "$v" -ge 25 ]; then mount --bind "$FERRY_TEST_EMPTY" "$(readlink -f "$d")"; fi
                done
                """;
        List<String> command = new java.util.ArrayList<>(PrivateMounts.wrapper(hide));
        command.addAll(List.of(LAUNCHER.toString(), "--version"));
        Result r = start(new ProcessBuilder(command), dir, Map.of(
                "FERRY_TEST_EMPTY", empty.toString(),
                "FERRY_TEST_JAVA_HOME", System.getProperty("java.home"),
                "JAVA_HOME", java17.toString(),
                "PATH", java17.resolve("bin") + ":/usr/sbin:/usr/bin:/sbin:/bin"));
        assertEquals(127, r.exit(), r.output());
        String said = r.output();
        assertTrue(said.startsWith("ferry: needs a Java 25 JDK (or newer) and found none. Looked at:\n"), said);
        assertTrue(said.contains("ferry:   JAVA_HOME=" + java17 + ": Java 17\n"), said);
        assertTrue(said.contains("ferry:   java on the PATH (" + java17.resolve("bin/java") + "): Java 17\n"), said);
        assertTrue(said.contains("apt-get install temurin-25-jdk"), said);
        assertTrue(said.contains("export JAVA_HOME=/path/to/jdk-25"), said);
        assertTrue(said.lines().allMatch(l -> l.startsWith("ferry: ")), "nothing but the message: " + said);
    }

    record Result(int exit, String output) {
    }

    private static Result run(Path workDir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command), workDir, env);
    }

    /// Runs `script` in bash with `$0` the launcher, so arguments can be written as bytes (`$'\xe9'`).
    private static Result bash(Path workDir, Map<String, String> env, String script) throws Exception {
        return start(new ProcessBuilder("bash", "-c", script, LAUNCHER.toString()), workDir, env);
    }

    private static Result start(ProcessBuilder b, Path workDir, Map<String, String> env) throws Exception {
        b.directory(workDir.toFile()).redirectErrorStream(true);
        b.environment().put("FERRY_CLASS_PATH", System.getProperty("java.class.path"));
        b.environment().putAll(env);
        Process p = b.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end within 120 s: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
