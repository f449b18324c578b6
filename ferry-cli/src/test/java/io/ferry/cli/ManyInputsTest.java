package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry convert` with many inputs, as users give them: `--name` templates, `--group`, folders
/// and `--inputs-from` lists, judged by h5py against `np.loadtxt`; each refusal by its message;
/// and the README's section run as written.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class ManyInputsTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    /// h5py reads each `dataset=file` pair's dataset equal byte for byte to `np.loadtxt(file)`,
    /// and the file holds exactly those datasets. {@return what it printed}
    static String assertDatasets(Path h5, Map<String, Path> datasets) {
        return check(h5, datasets, true);
    }

    /// As [#assertDatasets], the file holding other datasets besides.
    static String assertDatasetsAmong(Path h5, Map<String, Path> datasets) {
        return check(h5, datasets, false);
    }

    private static String check(Path h5, Map<String, Path> datasets, boolean only) {
        List<String> args = new ArrayList<>(List.of(h5.toString(), Boolean.toString(only)));
        datasets.forEach((name, file) -> args.add(name + "=" + file));
        return PythonPeer.run("""
                import sys, h5py, numpy as np
                dt = np.dtype([('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])
                with h5py.File(sys.argv[1], 'r') as f:
                    found = []
                    f.visititems(lambda n, o: found.append(n) if isinstance(o, h5py.Dataset) else None)
                    wanted = [a.split('=', 1)[0].lstrip('/') for a in sys.argv[3:]]
                    assert sorted(found) == sorted(wanted) if sys.argv[2] == 'true' else set(wanted) <= set(found), (found, wanted)
                    for a in sys.argv[3:]:
                        name, path = a.split('=', 1)
                        d = f[name]
                        x = np.loadtxt(path, dtype=dt, ndmin=1)
                        assert d.dtype == dt and d[...].tobytes() == x.tobytes(), name
                        print(name, len(x))
                """, args.toArray(String[]::new));
    }

    private Path table(String name, int rows, long seed) {
        Path f = dir.resolve(name);
        try {
            Files.createDirectories(f.getParent());
            io.ferry.sample.MethylationTable.write(f, rows, seed, name.endsWith(".gz"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return f;
    }

    private static String[] args(Object... parts) {
        return Stream.of(parts).map(String::valueOf).toArray(String[]::new);
    }

    @Test
    void foldersGoInNaturalOrderIntoGroupsNamedByTheTemplate() {
        Path s1c2 = table("s1/chr2.txt", 300, 1);
        Path s1c10 = table("s1/chr10.txt", 200, 2);
        Path s2c1 = table("s2/chr1.txt", 100, 3);
        Path out = dir.resolve("calls.h5");
        var r = ferry(args("convert", dir.resolve("s1"), dir.resolve("s2"), "-o", out, "--dtype", SAMPLE_DTYPE, "-q",
                "--name", "{parent}/{index}_{stem}", "--group", "/calls/2024"));
        assertEquals(0, r.exit(), r.err());
        assertDatasets(out, Map.of("calls/2024/s1/0_chr2", s1c2, "calls/2024/s1/1_chr10", s1c10, "calls/2024/s2/2_chr1", s2c1));
    }

    /// An output written into the folder of its inputs is no input of the next run, with --force
    /// or --append: it was read back as one, and the run failed ("is an HDF5 file, not a text
    /// table"). Named as an input, it is refused as one.
    @Test
    void anOutputInTheFolderOfItsInputsIsLeftOutOfIt() {
        Path a = table("fd/a.txt", 100, 1);
        Path b = table("fd/b.txt", 50, 2);
        Path out = dir.resolve("fd/out.h5");
        for (String quietly : List.of("-q", "-qf")) {   // the second time over the first's output
            var r = ferry(args("convert", dir.resolve("fd"), "-o", out, "--dtype", SAMPLE_DTYPE, quietly));
            assertEquals(0, r.exit(), r.err());
            assertDatasets(out, Map.of("a", a, "b", b));
        }
        Path c = table("more/c.txt", 20, 3);
        var appended = ferry(args("convert", dir.resolve("more"), dir.resolve("fd/a.txt"), "-o", out, "--dtype", SAMPLE_DTYPE,
                "-q", "--append", "--name", "x{index}"));
        assertEquals(0, appended.exit(), appended.err());
        assertDatasets(out, Map.of("a", a, "b", b, "x0", c, "x1", a));
        var named = ferry(args("convert", dir.resolve("fd/a.txt"), out, "-o", out, "--dtype", SAMPLE_DTYPE, "-q", "--force"));
        assertEquals(1, named.exit(), named.err());
        assertTrue(named.err().contains(out + ": is an HDF5 file, not a text table"), named.err());
    }

    @Test
    void inputsFromAListFileFollowTheFilesNamed() throws IOException {
        Path a = table("a.txt", 100, 1);
        Path b = table("in/b b.txt", 150, 2);
        Path c = table("c.txt.gz", 10, 3);
        Path list = Files.writeString(dir.resolve("list"), b + "\n\n" + c + "\r\n");
        Path out = dir.resolve("listed.h5");
        var r = ferry(args("convert", a, "-o", out, "--dtype", SAMPLE_DTYPE, "-q", "--inputs-from", list, "--name", "{name}"));
        assertEquals(0, r.exit(), r.err());
        assertDatasets(out, Map.of("a.txt", a, "b b.txt", b, "c.txt.gz", c));
    }

    @Test
    void twoInputsOfOneNameAreRefusedBeforeAnyWorkNamingBoth() {
        Path a = table("x/s.txt", 10, 1);
        Path b = table("y/s.txt", 10, 2);
        Path out = dir.resolve("out.h5");
        var r = ferry(args("convert", a, b, "-o", out, "--dtype", SAMPLE_DTYPE, "--group", "g"));
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: inputs " + a + " and " + b + " would both become dataset /g/s; name them apart"
                + " (a name template such as {parent}/{stem}) or convert them in separate runs\n", r.err());
        assertFalse(Files.exists(out));
        assertEquals(0, ferry(args("convert", a, b, "-o", out, "--dtype", SAMPLE_DTYPE, "-q", "--name", "{parent}/{stem}")).exit());
    }

    @Test
    void badTemplatesAndGroupsAreUsageErrors() {
        Path a = table("a.txt", 10, 1);
        Path out = dir.resolve("out.h5");
        var r = ferry(args("convert", a, "-o", out, "--dtype", SAMPLE_DTYPE, "--name", "{sample}"));
        assertEquals(64, r.exit(), r.err());
        assertEquals("ferry convert: --name: the name template '{sample}' has an unknown placeholder {sample}; known are"
                + " {stem}, {name}, {parent} and {index}\n", r.err());
        r = ferry(args("convert", a, "-o", out, "--dtype", SAMPLE_DTYPE, "--group", "a//b"));
        assertEquals(64, r.exit(), r.err());
        assertEquals("ferry convert: --group: the group 'a//b' has an empty part (two '/' in a row, or one at the end)\n", r.err());
        r = ferry(args("convert", "-o", out, "--dtype", SAMPLE_DTYPE));
        assertEquals(64, r.exit(), r.err());
        assertEquals("ferry convert: no inputs: name text files or folders, or give --inputs-from LIST\n", r.err());
        r = ferry(args("convert", a, "-o", out, "--dtype", SAMPLE_DTYPE, "--name", "{stem}/."));
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: input " + a + ": its dataset name 'a/.' (from the name template '{stem}/.') has a part '.',"
                + " which HDF5 does not take as a name\n", r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aListNamingAMissingFileIsAnErrorNamingTheListAndTheLine() throws IOException {
        Path a = table("a.txt", 10, 1);
        Path list = Files.writeString(dir.resolve("list"), a + "\n" + dir.resolve("gone.txt") + "\n");
        Path out = dir.resolve("out.h5");
        var r = ferry(args("convert", "--inputs-from", list, "-o", out, "--dtype", SAMPLE_DTYPE));
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: " + list + ":2: " + dir.resolve("gone.txt") + ": no such file\n", r.err());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        r = ferry(args("convert", empty, "-o", out, "--dtype", SAMPLE_DTYPE));
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: " + empty + ": the folder holds no files to read\n", r.err());
        assertFalse(Files.exists(out));
    }

    /// The README's section on many inputs, run by bash as written, with `./ferry` and
    /// `examples/` where the README has them.
    @Test
    void theReadmeSectionRunsAsWritten() throws Exception {
        String script = readmeShell("## Many inputs: names, groups, folders, lists");
        Path work = readmeWorkDir(dir);
        String out = bash(work, script);
        Path ex = work.resolve("examples");
        assertDatasets(work.resolve("named.h5"), Map.of("methylation/2024/run0_sample1", ex.resolve("sample1.txt"),
                "methylation/2024/run1_sample2", ex.resolve("sample2.txt")));
        assertDatasets(work.resolve("listed.h5"), Map.of("sample1", ex.resolve("sample1.txt"),
                "sample2", ex.resolve("sample2.txt"), "sample3", ex.resolve("sample3.txt")));
        assertTrue(out.isEmpty() || !out.contains("rror"), out);
    }

    /// {@return the ```` ```sh ```` blocks of the README section headed `heading`}, joined
    static String readmeShell(String heading) throws IOException {
        String text = Files.readString(ROOT.resolve("README.md"));
        int start = text.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "no section " + heading);
        int end = text.indexOf("\n##", start + 1); // the next heading, its subsections included
        String section = text.substring(start, end < 0 ? text.length() : end);
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        Matcher m = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            script.append(m.group(1));
        }
        return script.toString();
    }

    /// {@return a folder in `dir` with what the README's commands use}: `./ferry` (running the
    /// launcher of this checkout) and a copy of `examples/`
    static Path readmeWorkDir(Path dir) throws IOException {
        Path work = Files.createDirectory(dir.resolve("work"));
        Path launcher = Files.writeString(work.resolve("ferry"), "#!/bin/sh\nexec '" + ROOT.resolve("ferry") + "' \"$@\"\n");
        launcher.toFile().setExecutable(true);
        Path examples = Files.createDirectory(work.resolve("examples"));
        try (Stream<Path> s = Files.list(ROOT.resolve("examples"))) {
            for (Path f : s.toList()) {
                Files.copy(f, examples.resolve(f.getFileName()));
            }
        }
        return work;
    }

    /// Runs `script` in bash in `work`, `./ferry` running the classes Maven compiled. {@return its output}
    static String bash(Path work, String script) throws Exception {
        ProcessBuilder b = new ProcessBuilder("bash", "-c", script).directory(work.toFile()).redirectErrorStream(true);
        b.environment().put("FERRY_CLASS_PATH", System.getProperty("java.class.path"));
        Process p = b.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the README's commands did not end within 120 s");
        }
        String said = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "the README's commands failed:\n" + script + "\n" + said);
        return said;
    }
}
