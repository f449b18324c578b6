package io.ferry.cli;

import io.ferry.json.Json;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ferry.testing.Checkout.EXAMPLES;
import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry convert --attr KEY=VALUE` and `--dry-run`, as users run them.
@ExtendWith(ShmLeakCheck.class)
class AttrAndDryRunCommandTest {
    @TempDir
    Path dir;

    @Test
    void attrSetsStringAttributesOnTheFile() {
        Path out = dir.resolve("a.h5");
        var r = ferry("convert", EXAMPLES.resolve("sample1.txt").toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE, "-q",
                "--attr", "title=July calls", "--attr", "run=7", "--attr", "note=a=b", "--attr", "empty=");
        assertEquals(0, r.exit(), r.err());
        String said = PythonPeer.run("""
                import sys, h5py
                a = h5py.File(sys.argv[1], 'r').attrs
                print(repr(a['title']), repr(a['run']), repr(a['note']), repr(a['empty']))
                """, out.toString());
        assertEquals("'July calls' '7' 'a=b' ''", said.strip());
    }

    @Test
    void aWrongAttrIsAUsageErrorNamingIt() {
        String in = EXAMPLES.resolve("sample1.txt").toString();
        String out = dir.resolve("a.h5").toString();
        record Case(String expected, String... attrs) {
        }
        for (Case c : List.of(
                new Case("ferry convert: --attr takes KEY=VALUE, such as --attr 'title=July grids', not 'title'", "title"),
                new Case("ferry convert: --attr takes KEY=VALUE, such as --attr 'title=July grids', not '=x'", "=x"),
                new Case("ferry convert: --attr created: ferry writes that attribute itself (ferry_version, created); choose another name",
                        "created=now"),
                new Case("ferry convert: --attr a is given twice; give each attribute once", "a=1", "a=2"),
                // a NUL, which only ferry serve's requests can hold: HDF5 wrote "ti" = "v", exit 0
                new Case("ferry convert: --attr: attribute name 'ti\\0tle' holds a NUL character, which HDF5 names cannot",
                        "ti\0tle=v"),
                new Case("ferry convert: --attr: attribute 'title': its value holds a NUL character (at index 1 of 3), which a"
                        + " string attribute cannot: HDF5's variable-length strings end at the first NUL, and the rest would be"
                        + " lost", "title=v\0w"))) {
            List<String> args = new java.util.ArrayList<>(List.of("convert", in, "-o", out, "--dtype", SAMPLE_DTYPE));
            for (String a : c.attrs()) {
                args.addAll(List.of("--attr", a));
            }
            var r = ferry(args.toArray(String[]::new));
            assertEquals(64, r.exit(), r.err());
            assertEquals(c.expected(), r.err().strip());
        }
        assertTrue(Files.notExists(Path.of(out)));
    }

    @Test
    void aDryRunPrintsEachDatasetAndWritesNothing() throws IOException {
        Path out = dir.resolve("d.h5");
        var r = ferry("convert", EXAMPLES.resolve("grid.txt").toString(), EXAMPLES.resolve("grid.txt").toString(),
                "-o", out.toString(), "--dtype", "f8", "--dry-run", "--attr", "title=t", "--workers", "2", "--name",
                "{stem}{index}");
        assertEquals(0, r.exit(), r.err());
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "a dry run writes nothing");
        }
        List<String> lines = r.out().lines().toList();
        assertEquals("dry run, nothing written: " + out + " would hold 2 datasets of <f8", lines.get(0));
        assertTrue(lines.get(1).matches("  dataset +shape \\(est\\.\\) +size \\(est\\.\\) +parts +input"), lines.get(1));
        assertTrue(lines.get(2).matches("  /grid0 +\\(~\\d, 6\\) +\\d+ B +1 +.*grid.txt"), lines.get(2));
        assertTrue(lines.get(3).matches("  /grid1 +\\(~\\d, 6\\) +\\d+ B +1 +.*grid.txt"), lines.get(3));
        assertTrue(lines.get(4).matches("~[\\d,]+ rows, ~\\d+ B, 2 parts; 2 workers \\(thread\\); memory .*"), lines.get(4));
        assertEquals("file attributes: title=\"t\"", lines.get(5));

        // appending, the datasets are more than the file holds: it said "would hold 1 dataset"
        assertEquals(0, ferry("convert", EXAMPLES.resolve("grid.txt").toString(), "-o", out.toString(), "--dtype", "f8",
                "-q").exit());
        var more = ferry("convert", EXAMPLES.resolve("grid.txt").toString(), "-o", out.toString(), "--dtype", "f8",
                "--append", "--name", "again", "--dry-run");
        assertEquals(0, more.exit(), more.err());
        assertEquals("dry run, nothing written: " + out + " would get 1 more dataset of <f8", more.out().lines().findFirst()
                .orElseThrow());
    }

    /// A dry run parses the first rows of each input as the run does: sample1's text read as f8
    /// fails it as it fails the run (exit 1, the same words and hint), where it said "would hold"
    /// and exited 0. Keeping going, it is listed as the run would list it, and left out of the
    /// datasets it would write (exit 2).
    @Test
    void aDryRunFailsAsTheRunWouldOnAnInputsFirstRows() throws IOException {
        Path out = dir.resolve("d.h5");
        Path sample1 = EXAMPLES.resolve("sample1.txt");
        List<String> args = new ArrayList<>(List.of("convert", sample1.toString(), EXAMPLES.resolve("grid.txt").toString(),
                "-o", out.toString(), "--dtype", "f8"));
        var run = ferry(args.toArray(String[]::new));
        assertEquals(1, run.exit(), run.err());
        args.add("--dry-run");
        var dry = ferry(args.toArray(String[]::new));
        assertEquals(1, dry.exit(), dry.err());
        assertEquals(run.err(), dry.err());
        assertTrue(dry.err().startsWith("ferry convert: " + sample1 + ":1:"), dry.err());

        args.add("--keep-going");
        var going = ferry(args.toArray(String[]::new));
        assertEquals(2, going.exit(), going.err());
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "a dry run writes nothing");
        }
        List<String> lines = going.out().lines().toList();
        assertEquals("dry run, nothing written: " + out + " would hold 1 dataset of <f8", lines.get(0));
        assertTrue(lines.get(2).matches("  /grid +\\(~\\d, 6\\) +\\d+ B +1 +.*grid.txt"), lines.get(2));
        List<String> err = going.err().lines().toList();
        assertEquals("ferry convert: dry run: 1 of 2 inputs would fail and not be in " + out + ":", err.get(0));
        assertTrue(err.get(1).startsWith("  " + sample1 + ":1:"), going.err());
    }

    @Test
    void aDryRunWithJsonIsOneLineAProgramReads() {
        Path out = dir.resolve("d.h5");
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        ShmCommandsTest.Run r;
        try {
            r = ferry("convert", EXAMPLES.resolve("grid.txt").toString(), "-o", out.toString(), "--dtype", "f4", "--dry-run",
                    "--json");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.notExists(out));
        List<String> lines = captured.toString().lines().toList();
        assertEquals(1, lines.size(), captured.toString());
        Map<String, Object> dry = Json.asObject(Json.asObject(Json.parse(lines.getFirst()), "line").get("dry_run"), "dry_run");
        Map<String, Object> grid = Json.asObject(Json.asList(dry.get("datasets"), "datasets").getFirst(), "dataset");
        assertEquals("grid", grid.get("name"));
        assertEquals("<f4", grid.get("dtype"));
        assertEquals(List.of(6L), grid.get("row_shape"));
        assertEquals(1L, dry.get("workers"));
    }

    /// The rows a dry run estimates are those the run reads: the lines `--skiprows` skips less,
    /// at most `--max-rows` (it estimated the whole file's for both).
    @Test
    void aDryRunsRowsAreThoseSkiprowsAndMaxRowsLeave() {
        java.util.function.Function<String[], Long> estimated = extra -> {
            List<String> args = new java.util.ArrayList<>(List.of("convert", EXAMPLES.resolve("sample1.txt").toString(),
                    "-o", dir.resolve("d.h5").toString(), "--dtype", SAMPLE_DTYPE, "--dry-run", "--json"));
            args.addAll(List.of(extra));
            PrintStream saved = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true));
            try {
                assertEquals(0, ferry(args.toArray(String[]::new)).exit());
            } finally {
                System.setOut(saved);
            }
            Map<String, Object> dry = Json.asObject(Json.asObject(Json.parse(captured.toString().strip()), "line")
                    .get("dry_run"), "dry_run");
            return Json.asLong(Json.asObject(Json.asList(dry.get("datasets"), "datasets").getFirst(), "dataset")
                    .get("estimated_rows"), "rows");
        };
        long all = estimated.apply(new String[0]);
        assertTrue(all > 2000, "sample1 has 3,000 lines: " + all);
        assertEquals(100L, estimated.apply(new String[]{"--max-rows", "100"}));
        assertEquals(0L, estimated.apply(new String[]{"--max-rows", "0"}));
        assertEquals(all - 1000, estimated.apply(new String[]{"--skiprows", "1000"}));
        assertEquals(0L, estimated.apply(new String[]{"--skiprows", "100000"}));
    }

    @Test
    void theReadmeExamplePrintsWhatTheReadmeShows() throws IOException {
        Path root = EXAMPLES.getParent();
        String readme = Files.readString(root.resolve("README.md"));
        String section = readme.substring(readme.indexOf("<!-- dry-run example"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```sh\\n(.*?)```\\n\\s*```\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(section);
        assertTrue(m.find(), "no dry-run example in the README");
        List<String> args = new java.util.ArrayList<>();
        java.util.regex.Matcher word = java.util.regex.Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(m.group(1).strip());
        while (word.find()) {
            args.add(word.group(1) != null ? word.group(1) : word.group(2));
        }
        assertEquals("ferry", args.removeFirst());
        // Run from the checkout, as the README's reader does: the relative names as written.
        args.replaceAll(a -> a.startsWith("examples/") ? root.resolve(a).toString() : a.equals("samples.h5") ? dir.resolve(a).toString() : a);
        var r = ferry(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        String expected = m.group(2).replaceAll("(?m)^  ", "");
        String got = r.out().replace(root + "/", "").replace(dir + "/", "");
        // The memory depends on the machine's cores (the threads that compress): the rest is as shown.
        String memory = "; memory [^\\n]*";
        assertEquals(expected.strip().replaceAll(memory, "; memory …"), got.strip().replaceAll(memory, "; memory …"));
        assertTrue(got.contains("; memory "), got);
        assertTrue(Files.notExists(dir.resolve("samples.h5")));
    }
}
