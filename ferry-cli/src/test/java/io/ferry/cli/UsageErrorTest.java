package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A command-line mistake, whether picocli finds it while parsing or the command finds it after,
/// exits 64 with one line that names the option and says what is wrong and how to write it:
/// never a Java exception's name or a stack trace, in every command.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class UsageErrorTest {
    @TempDir
    static Path dir;
    static Path input;
    static Path out;

    @BeforeAll
    static void makeInput() {
        input = dir.resolve("in.txt");
        SampleInputs.write(input, 1_000, 1);
        out = dir.resolve("out.h5");
    }

    /// The loader's options, for each command that takes them: {@code [arguments..., what the line names]}.
    static List<List<String>> loaderMistakes() {
        return List.of(
                List.of("--dtype", "chr:S10,pos:q4", "--dtype 'chr:S10,pos:q4': unknown type 'q4'"),
                List.of("--dtype", "[('chr', 'S10'", "--dtype '[('chr', 'S10'': "),
                List.of("--dtype", "", "--dtype"),
                List.of("--dtype", SAMPLE_DTYPE, "--delimiter", "ab", "--delimiter takes one ASCII character"),
                List.of("--dtype", SAMPLE_DTYPE, "--delimiter", "\u00e9", "--delimiter takes one ASCII character other than a"
                        + " line break, or one of the names tab, comma, space and semicolon, not '\u00e9'"),
                List.of("--dtype", SAMPLE_DTYPE, "--comments", "", "--comments takes a character or a string"),
                List.of("--dtype", SAMPLE_DTYPE, "--comments", "--", "a comment that looks like an option goes in a JSON array:"
                        + " --comments '[\"--\"]'"),
                List.of("--dtype", SAMPLE_DTYPE, "--skiprows", "-1", "--skiprows takes a number of lines, 0 or more, not -1"),
                List.of("--dtype", SAMPLE_DTYPE, "--max-rows", "-1", "--max-rows takes a number of rows, 0 or more, not -1"),
                List.of("--dtype", SAMPLE_DTYPE, "--usecols", "0,1", "usecols names 2 columns for the 5 fields"),
                List.of("--dtype", SAMPLE_DTYPE, "--usecols", "a", "--usecols takes 0-based column numbers, not 'a' (names need a header line: ferry convert --header)"),
                List.of("--dtype", SAMPLE_DTYPE, "--skiprows", "x", "Invalid value for option '--skiprows'"),
                List.of("--dtype", SAMPLE_DTYPE, "--delimiter", "#", "the delimiter '#' is also a comment"));
    }

    @Test
    void loaderOptionsInLoadShareAndConvert() {
        for (List<String> mistake : loaderMistakes()) {
            List<String> options = mistake.subList(0, mistake.size() - 1);
            String says = mistake.getLast();
            assertUsage(says, concat(List.of("load", input.toString()), options));
            assertUsage(says, concat(List.of("share", input.toString()), options));
            assertUsage(says, concat(List.of("convert", input.toString(), "-o", out.toString()), options));
        }
    }

    @Test
    void convertsOwnOptions() {
        List<String> base = List.of("convert", input.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE);
        assertUsage("--workers takes a number of workers, 1 or more, not 0", concat(base, List.of("--workers", "0")));
        assertUsage("--workers takes a number of workers, 1 or more, not -3", concat(base, List.of("-w", "-3")));
        assertUsage("Invalid value for option '--workers': 'two' is not an int", concat(base, List.of("--workers", "two")));
        assertUsage("--isolation is thread or process, not 'fork'", concat(base, List.of("--isolation", "fork")));
        assertUsage("--memory takes a size such as 256M", concat(base, List.of("--memory", "0")));
        assertUsage("--group '{parent}' is a group's path, not a template: put placeholders in the name",
                concat(base, List.of("--group", "{parent}")));
        // too small for the chunks, found as the run is planned: it exited 1, as a failed input does
        assertUsage("--memory 1.0 KiB is too small for 1 worker with chunks of", concat(base, List.of("--memory", "1k", "-w", "1")));
        assertUsage("--memory 1.0 KiB is too small for 1 worker", concat(base, List.of("--memory", "1k", "-w", "1", "--dry-run")));
        assertUsage("--compression is none, gzip, gzip:LEVEL", concat(base, List.of("--compression", "lz4")));
        assertUsage("--compression gzip takes a level from 1 to 9", concat(base, List.of("--compression", "gzip:12")));
        assertUsage("--chunk-rows takes a number of rows, 1 or more, not 0", concat(base, List.of("--chunk-rows", "0")));
        assertUsage("Missing required option: '--output=OUT.h5'", List.of("convert", input.toString(), "--dtype", SAMPLE_DTYPE));
        assertUsage("unknown option '--frce'; did you mean --force? (see 'ferry convert --help')",
                concat(base, List.of("--frce")));
        assertUsage("unknown option '--skiprow'; did you mean --skiprows?", concat(base, List.of("--skiprow", "1")));
        assertUsage("unknown option '--delimter'; did you mean --delimiter?", concat(base, List.of("--delimter=,")));
        assertUsage("unknown option '--zzz' (see", concat(base, List.of("--zzz")));
    }

    @Test
    void everyOtherCommand() {
        assertUsage("--rows takes a number of rows to print, 0 or more, not -1",
                List.of("load", input.toString(), "--dtype", SAMPLE_DTYPE, "--rows", "-1"));
        assertUsage("--head takes a number of rows to show, 0 or more, not -1", List.of("inspect", "--head", "-1", "x.h5"));
        assertUsage("--timeout takes a number of seconds, 1 or more, not 0", List.of("inspect", "--timeout", "0", "x.h5"));
        assertUsage("--rows takes a number of rows to print, 0 or more, not -2", List.of("attach", "--rows", "-2", "{}"));
        assertUsage("--lines takes a number of lines, 0 or more, not -1",
                List.of("generate", "-o", dir.resolve("g.txt").toString(), "--lines", "-1"));
        assertUsage("Invalid value for option '--creator': 'abc' is not a long", List.of("shm", "clean", "--creator", "abc"));
        assertUsage("--creator takes a process id, 1 or more, not -5", List.of("shm", "clean", "--creator", "-5"));
        assertUsage("Missing required option: '--output=OUT.h5'", List.of("stitch", "x.h5"));
        // convert's own, which a parser error ("unexpected 'n' in type 'infer'") did not say
        assertUsage("--dtype infer is ferry convert's", List.of("load", input.toString(), "--dtype", "infer"));
        assertUsage("--dtype infer is ferry convert's", List.of("share", input.toString(), "--dtype", "infer"));
        assertUsage("- (standard input): load reads a file; ferry convert - and ferry share - read standard input",
                List.of("load", "-", "--dtype", "f8"));   // "-: no such file or directory"
        assertUsage("'convrt' is not a command; did you mean convert? (see 'ferry --help')", List.of("convrt"));
        // the nearest only: picocli's own list also named generate
        assertUsage("'conver' is not a command; did you mean convert? (see", List.of("conver", "x.txt"));
        assertUsage("'lod' is not a command; did you mean load? (see", List.of("lod", "x.txt"));
        assertUsage("'xyz' is not a command (see 'ferry --help')", List.of("xyz"));
        assertUsage("'lst' is not a command; did you mean list? (see 'ferry shm --help')", List.of("shm", "lst"));
    }

    /// An output typed with a trailing '/' names a folder: `-o out.h5/` used to write the file
    /// out.h5, as java.nio.file.Path drops the slash.
    @Test
    void anOutputTypedAsAFolder() {
        String typed = out + "/";
        String says = "--output '" + typed + "' ends with '/', which names a folder; give the name of the file to write";
        assertUsage(says, List.of("convert", input.toString(), "-o", typed, "--dtype", SAMPLE_DTYPE));
        assertUsage(says, List.of("convert", input.toString(), "--output=" + typed, "--dtype", SAMPLE_DTYPE, "--force"));
        assertUsage(says, List.of("load", input.toString(), "--dtype", SAMPLE_DTYPE, "-o" + typed));
        assertUsage(says, List.of("stitch", "x.h5", "-o", typed));
        assertUsage(says, List.of("generate", "--lines", "3", "-o", typed));
        assertUsage("--output '-': standard output is not written to; name a file (./- for one named -)",
                List.of("convert", input.toString(), "-o", "-", "--dtype", SAMPLE_DTYPE));
    }

    /// An output named for the other format: `convert -o x.npy` wrote HDF5 that np.load refused,
    /// `load -o x.h5` a .npy that h5py refused, both with exit 0.
    @Test
    void anOutputNamedForTheOtherFormat() {
        String npy = dir.resolve("x.NPY").toString();
        assertUsage("--output '" + npy + "': ferry convert writes HDF5, which np.load cannot read; name the output .h5, or"
                + " write a .npy with ferry load FILE --dtype SPEC -o " + npy,
                List.of("convert", input.toString(), "-o", npy, "--dtype", SAMPLE_DTYPE));
        assertUsage("ferry stitch writes HDF5, which np.load cannot read",
                List.of("stitch", "x.h5", "-o", dir.resolve("x.npz").toString()));
        String h5 = dir.resolve("x.hdf5").toString();
        assertUsage("--output '" + h5 + "': ferry load writes a .npy file (np.load reads it), not HDF5; name the output .npy,"
                + " or write HDF5 with ferry convert FILE --dtype SPEC -o " + h5,
                List.of("load", input.toString(), "--dtype", SAMPLE_DTYPE, "-o", h5));
        assertFalse(Files.exists(Path.of(npy)) || Files.exists(Path.of(h5)));
    }

    /// A file argument that names no file: an empty one (an unset variable: `ferry convert "$IN"`)
    /// was the working folder, and a conversion took every file in it; a NUL came out as picocli's
    /// and the JDK's words; a file with a trailing '/' was read.
    @Test
    void anEmptyFileArgumentOrANulInOne() {
        String empty = "an empty argument names no file";
        assertUsage("FILE: " + empty, List.of("convert", "", "-o", out.toString(), "--dtype", SAMPLE_DTYPE));
        assertUsage("FILE: " + empty, List.of("convert", input.toString(), "", "-o", out.toString(), "--dtype", SAMPLE_DTYPE));
        assertUsage("--output: " + empty, List.of("convert", input.toString(), "-o", "", "--dtype", SAMPLE_DTYPE));
        assertUsage("FILE: " + empty, List.of("load", "", "--dtype", SAMPLE_DTYPE));
        assertUsage("FILE: " + empty, List.of("share", "", "--dtype", SAMPLE_DTYPE));
        assertUsage("--inputs-from: " + empty, List.of("convert", "--inputs-from", "", "-o", out.toString(), "--dtype", SAMPLE_DTYPE));
        assertUsage("FILE: '" + input + "/' ends with '/', which names a folder, but " + input + " is a file",
                List.of("load", input + "/", "--dtype", SAMPLE_DTYPE));
        assertUsage("FILE: a file name cannot hold a NUL character",
                List.of("load", dir + "/a\0b.txt", "--dtype", SAMPLE_DTYPE));
    }

    /// The same through a JVM of its own, as users get it: what reaches standard error is the one line.
    @Test
    void asUsersRunIt() throws Exception {
        try (FerryJvm ferry = FerryJvm.start("convert", input.toString(), "-o", out.toString(), "--dtype", SAMPLE_DTYPE,
                "--workers", "0")) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(64, ferry.exitCode(), ferry.output());
            assertEquals("ferry convert: --workers takes a number of workers, 1 or more, not 0\n", ferry.output());
        }
        try (FerryJvm ferry = FerryJvm.start("load", input.toString(), "--dtype", SAMPLE_DTYPE, "--skiprows", "-1")) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(64, ferry.exitCode(), ferry.output());
            assertEquals("ferry load: --skiprows takes a number of lines, 0 or more, not -1\n", ferry.output());
        }
    }

    /// Runs `args` and checks: exit 64, one line on standard error, starting with the command's
    /// name and containing `says`, no Java names, nothing on standard output, nothing written.
    private static void assertUsage(String says, List<String> args) {
        ShmCommandsTest.Run r = ShmCommandsTest.ferry(args.toArray(String[]::new));
        String what = String.join(" ", args) + ": ";
        assertEquals(64, r.exit(), what + r.err());
        assertEquals(1, r.err().lines().count(), what + "one line: " + r.err());
        String command = args.equals(List.of("shm", "lst")) ? "ferry shm: "
                : args.getFirst().equals("shm") ? "ferry shm clean: "
                : List.of("convrt", "conver", "lod", "xyz").contains(args.getFirst()) ? "ferry: "
                : "ferry " + args.getFirst() + ": ";
        assertTrue(r.err().startsWith(command), what + r.err());
        assertTrue(r.err().contains(says), what + "expected '" + says + "' in: " + r.err());
        for (String java : List.of("Exception", "Error:", "java.", "picocli.", "io.ferry.", "\tat ")) {
            assertFalse(r.err().contains(java), what + "no '" + java + "': " + r.err());
        }
        assertEquals("", r.out(), what);
        assertFalse(Files.exists(out), what + "no output");
        assertEquals(List.of("in.txt"), names(), what + "nothing written");
    }

    private static List<String> names() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
