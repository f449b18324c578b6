package io.ferry.cli;

import io.ferry.testing.Gzipped;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.ferry.cli.ShmCommandsTest.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry load` with the loader's options as a user types them: numpy's values (checked against
/// `np.load` of the `.npy` it writes and `np.loadtxt` of the text), or one line saying file, line
/// and why.
@org.junit.jupiter.api.Tag("process")
class LoadCommandTest {
    @TempDir
    Path dir;

    /// The rows and the summary are printed once the .npy file is in place: a target made while
    /// the load ran (the run is refused then, without --force) printed them first, and the run
    /// read as a success on standard output.
    @Test
    void aLoadRefusedAtTheEndPrintsNoRows() throws Exception {
        Path out = dir.resolve("out.npy");
        try (FerryJvm ferry = FerryJvm.start("load", SampleInputs.busy().toString(), "-o", out.toString(), "--dtype",
                SampleInputs.DTYPE, "-w", "1")) {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && ferry.isAlive()) {
                try (var names = Files.list(dir)) {
                    if (names.anyMatch(p -> p.getFileName().toString().endsWith(".ferry-tmp"))) {
                        break;
                    }
                }
                Thread.sleep(2);
            }
            ferry.signal("STOP");
            Files.writeString(out, "made meanwhile");
            ferry.signal("CONT");
            ferry.assertExitsWithin(java.time.Duration.ofSeconds(60));
            String said = ferry.output();
            assertEquals(1, ferry.exitCode(), said);
            assertFalse(said.contains("dtype [("), said);
            assertFalse(said.contains("rows, "), said);
            assertEquals("made meanwhile", Files.readString(out));
        }
    }

    /// Runs `ferry` with the command line `main` makes for `args`.
    private static Run ferry(String... args) {
        return ShmCommandsTest.ferry(Main.commandLine(args), args);
    }

    private Path text(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /// Runs `ferry load FILE ARGS -o OUT.npy` and asserts numpy loads the same array from the text
    /// with `kwargs`. {@return what ferry printed}
    private String loadsAsNumpy(Path file, String kwargs, String... args) {
        Path npy = dir.resolve(file.getFileName() + ".npy");
        String[] all = new String[args.length + 4];
        all[0] = "load";
        all[1] = file.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        all[args.length + 2] = "-o";
        all[args.length + 3] = npy.toString();
        Run r = ferry(all);
        assertEquals(0, r.exit(), r.err());
        PythonPeer.run("""
                import sys, warnings, numpy as np
                warnings.simplefilter('ignore')
                a = np.load(sys.argv[1])
                b = eval('np.loadtxt(sys.argv[2], ndmin=1, ' + sys.argv[3] + ')')
                assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), (a, b)
                """, npy.toString(), file.toString(), kwargs);
        return r.out();
    }

    @Test
    void usecolsPastTheRowIsAnErrorNamingFileLineAndColumns() throws IOException {
        Path a = text("a.txt", "1 2\n3 4\n");
        for (String cols : new String[]{"2", "1,2", "-3"}) {
            Run r = ferry("load", a.toString(), "--dtype", "f8", "--usecols", cols);
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.err().startsWith("ferry load: " + a + ":1:4: "), r.err());
            assertTrue(r.err().contains("usecols index " + cols.substring(cols.lastIndexOf(',') + 1)
                    + " is out of range for this row of 2 columns: '1 2'"), r.err());
        }
        Run lenient = ferry("load", text("c.csv", "1,2\n3,4\n").toString(), "--dtype", "a:S4,b:f8", "-d", ",",
                "--usecols", "2,0", "--lenient");
        assertEquals(1, lenient.exit(), lenient.out());
        assertTrue(lenient.err().contains("c.csv:1:4: field 'a' (1 of 2): usecols index 2 is out of range"), lenient.err());
    }

    @Test
    void aColumnTwiceAndNegativeColumnsPerRow() throws IOException {
        loadsAsNumpy(text("twice.txt", "1 2\n3 4\n"), "dtype='f8', usecols=(0, 0, 1)", "--dtype", "f8", "--usecols", "0,0,1");
        loadsAsNumpy(text("ragged.txt", "1 2 3\n4 5 6 7\n"), "dtype='f8', usecols=(-1,)", "--dtype", "f8",
                "--usecols", "-1", "--lenient");
    }

    @Test
    void quotedCsvAndCommentStrings() throws IOException {
        Path csv = text("q.csv", "name,score\n\"Smith, J.\",1.5\n\"say \"\"hi\"\"\",2 # late\n# done\n");
        loadsAsNumpy(csv, "dtype=[('name', 'S12'), ('score', '<f8')], delimiter=',', quotechar='\"', skiprows=1",
                "--dtype", "name:S12,score:f8", "-d", "comma", "--quotechar", "\"", "--skiprows", "1");
        loadsAsNumpy(text("c.txt", "1 2 // x\n# y\n3 4\n"), "dtype='f8', comments=['#', '//']", "--dtype", "f8",
                "--comments", "#", "--comments", "//");
        loadsAsNumpy(text("n.txt", "1 #2\n3 #4\n"), "dtype='S2', comments=None", "--dtype", "S2", "--comments", "none");
        // comments the other spellings cannot give, as a JSON array: "--" (the parser's end of
        // options), a name ("none", "tab"), an option's name; and [] for none
        Path sql = text("sql.txt", "1\t2 -- x\nnone 3\n-h\n3\t4,5\n");
        loadsAsNumpy(sql, "dtype='f8', delimiter='\\t', comments=['--', 'none', '-h', ',']", "--dtype", "f8", "-d", "tab",
                "--comments", "[\"--\", \"none\", \"-h\", \",\"]");
        loadsAsNumpy(text("m.txt", "1 #2\n3 #4\n"), "dtype='S2', comments=None", "--dtype", "S2", "--comments=[]");
        // a value that only looks like JSON is a comment as it is
        loadsAsNumpy(text("b.txt", "1 2\n[x] 3\n4 5 [1]\n"), "dtype='f8', comments=['[', '[1]']", "--dtype", "f8",
                "--comments", "[", "--comments", "[1]");
    }

    @Test
    void shapesAreNumpys() throws IOException {
        String out = loadsAsNumpy(text("one.txt", "1 2 3\n"), "dtype='f8'", "--dtype", "f8");
        assertTrue(out.contains("dtype <f8, shape (3,)"), out);
        out = loadsAsNumpy(text("none.txt", "1 2 3\n"), "dtype='f8', max_rows=0", "--dtype", "f8", "--max-rows", "0");
        assertTrue(out.contains("shape (0,)"), out);
        loadsAsNumpy(text("cr.txt", "1 2\r3 4\r"), "dtype='i4'", "--dtype", "i4");
    }

    @Test
    void optionsNumpyRefusesAreRefused() throws IOException {
        Path a = text("a.txt", "1,2\n");
        String[][] calls = {
                {"--dtype", "f8", "-d", ",", "--comments", ","},
                {"--dtype", "f8", "--comments", "space"},
                {"--dtype", "f8", "-d", ",", "--quotechar", ","},
                {"--dtype", "f8", "--quotechar", "''"},
                {"--dtype", "f8", "-d", ",", "--comments", "#", "--comments", "//", "--quotechar", "\""},
                {"--dtype", "f8", "--max-line-bytes", "1k"},
        };
        for (String[] c : calls) {
            String[] all = new String[c.length + 2];
            all[0] = "load";
            all[1] = a.toString();
            System.arraycopy(c, 0, all, 2, c.length);
            Run r = ferry(all);
            assertNotEquals(0, r.exit(), String.join(" ", c));
            assertTrue(r.err().startsWith("ferry load: ") && !r.err().contains("\tat "), String.join(" ", c) + ": " + r.err());
        }
    }

    @Test
    void aLineLongerThanTheLimit() throws IOException {
        Path f = text("long.txt", "1 2\n3 " + "4".repeat(2 << 20) + "\n");
        Run r = ferry("load", f.toString(), "--dtype", "f8", "--max-line-bytes", "1M");
        assertEquals(1, r.exit(), r.out());
        assertEquals("ferry load: " + f + ":2: line longer than 1048576 bytes (1 MiB, the line limit)",
                r.err().lines().findFirst().orElseThrow());
    }

    /// A name's control characters are escaped where an error prints it: a carriage return at its
    /// end (a list written on Windows) hid itself, and the line read "x.txt: no such file" of a
    /// file that exists; an escape sequence was the terminal's to act on.
    @Test
    void aNamesControlCharactersAreEscapedInAnError() throws IOException {
        Path f = text("x.txt", "1 2\n");
        Run r = ferry("load", f + "\r", "--dtype", "f8");
        assertEquals(1, r.exit(), r.out());
        assertEquals("ferry load: " + f + "\\x0d: no such file", r.err().lines().findFirst().orElseThrow());
        Run esc = ferry("load", f + "\u001b[2J", "--dtype", "f8");
        assertEquals("ferry load: " + f + "\\x1b[2J: no such file", esc.err().lines().findFirst().orElseThrow());
    }

    /// A file of several ranges (4 MiB a thread) parsed by three threads straight into the
    /// `.npy`: numpy's array, with comments, blank lines and every line end between the cuts.
    @Test
    void threeThreadsIntoTheNpyFileGiveNumpysArray() throws IOException {
        StringBuilder t = new StringBuilder("pos value\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        String[] ends = {"\n", "\r\n", "\r"};
        while (t.length() < 13 << 20) {
            switch (random.nextInt(50)) {
                case 0 -> t.append("# a comment");
                case 1 -> t.append("  ");
                default -> t.append(random.nextInt(1 << 30)).append(' ').append(random.nextDouble() * 1e6);
            }
            t.append(ends[random.nextInt(3)]);
        }
        Path f = text("big.txt", t.toString());
        String out = loadsAsNumpy(f, "dtype=[('pos', '<i4'), ('value', '<f8')], skiprows=1",
                "--dtype", "pos:i4,value:f8", "--skiprows", "1", "-w", "3");
        assertTrue(out.contains("wrote "), out);
    }

    /// An error in a later range is the same error, and leaves no output and no temporary file.
    @Test
    void anErrorInALaterRangeLeavesNothing() throws IOException {
        StringBuilder t = new StringBuilder();
        for (int i = 0; t.length() < 9 << 20; i++) {
            t.append(i).append(' ').append(i % 7).append('\n');
        }
        t.append("1 2 3\n4 5\n");
        Path f = text("bad.txt", t.toString());
        Path npy = dir.resolve("bad.npy");
        Run one = ferry("load", f.toString(), "--dtype", "i8", "-w", "1", "-o", npy.toString());
        Run three = ferry("load", f.toString(), "--dtype", "i8", "-w", "3", "-o", npy.toString());
        assertEquals(1, one.exit(), one.out());
        assertEquals(one.exit(), three.exit());
        assertEquals(one.err(), three.err());
        assertTrue(three.err().contains(f + ":"), three.err());
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of(f), files.toList());
        }
    }

    /// A gzip file is parsed by one thread straight into the `.npy` file, which grows as its rows
    /// come (the first guess is a quarter row a compressed byte): numpy's array, whatever the
    /// shape, and a run of lines that inflates a thousand times over grows the file many times.
    @Test
    void aGzipFileGoesIntoTheNpyFileGrowingAsItsRowsCome() throws IOException {
        StringBuilder t = new StringBuilder("# pos pct\n");
        for (int i = 0; i < 20_000; i++) {
            t.append(1000 + i * 7).append('\t').append(i % 3 == 0 ? "50.0" : "12.5").append('\n');
        }
        t.append("17\t1.5\n".repeat(150_000)); // about a thousand times smaller compressed
        Path gz = gzip(text("grows.txt", t.toString()));
        String out = loadsAsNumpy(gz, "dtype=[('pos', 'i8'), ('pct', 'f4')], delimiter='\\t'", "--dtype", "pos:i8,pct:f4", "-d", "tab");
        assertTrue(out.startsWith(gz + ": 170,000 rows"), out);
        loadsAsNumpy(gzip(text("one.txt", "1 2 3\n")), "dtype='f8'", "--dtype", "f8");
        loadsAsNumpy(gzip(text("empty.txt", "# none\n")), "dtype='f8'", "--dtype", "f8");
        try (var files = Files.list(dir)) { // no temporary file is left
            assertEquals(0, files.filter(f -> f.getFileName().toString().contains("ferry-tmp")).count());
        }
    }

    /// A procfs file says its size is 0 and has lines all the same, made as it is read: cut into
    /// ranges by that size it held no row, and the load failed saying it "has more lines than when
    /// it was counted: it changed while it was read". It is read from its start by one thread, as
    /// a gzip file is: numpy's values, into the `.npy` file and into memory. A file truly empty is
    /// still numpy's empty array.
    @Test
    void aFileOfSizeZeroWithLinesIsReadAsAStream() throws IOException {
        Path printk = Path.of("/proc/sys/kernel/printk");   // four numbers on one line, as long as the machine runs
        Path pidMax = Path.of("/proc/sys/kernel/pid_max");
        assertEquals(0, Files.size(printk));
        loadsAsNumpy(printk, "dtype='i8'", "--dtype", "i8");
        loadsAsNumpy(printk, "dtype=[('a', 'i4'), ('b', 'i4'), ('c', 'i4'), ('d', 'i4')]", "--dtype",
                "a:i4,b:i4,c:i4,d:i4", "--workers", "1", "--force");
        loadsAsNumpy(pidMax, "dtype='i8'", "--dtype", "i8");
        Run r = ferry("load", pidMax.toString(), "--dtype", "i8");
        assertEquals(0, r.exit(), r.err());
        try (var in = Files.newInputStream(pidMax)) { // Files.readString reads nothing of a file of size 0
            assertTrue(r.out().contains("shape (1,)\n" + new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip()),
                    r.out());
        }
        loadsAsNumpy(text("empty.txt", ""), "dtype='f8'", "--dtype", "f8");
    }

    /// Field names Latin-1 cannot spell are the names np.loadtxt gives, in a `.npy` of format 3.0
    /// (its header UTF-8): np.load read '?' for them, or refused two ("name already used"). A plain
    /// file goes into the mapped `.npy` by ranges, a gzip file into one that grows; `é` stays 1.0.
    @Test
    void fieldNamesLatin1CannotSpellAreNumpysNames() throws IOException {
        loadsAsNumpy(text("greek.txt", "1.5 2\n-3 4\n"), "dtype=[('\\u03bc', 'f8'), ('b', 'i4')]",
                "--dtype", "μ:f8,b:i4");
        loadsAsNumpy(text("two.txt", "1.5 2\n-3 4\n"), "dtype=[('\\u03bc', 'f8'), ('\\u03bb', 'i4')]",
                "--dtype", "μ:f8,λ:i4", "-w", "2");
        loadsAsNumpy(gzip(text("wide.txt", "1.5 2 3\n")), "dtype=[('\\u540d', 'f4'), ('\\U0001f600', 'i8'), ('\\xe9', 'u1')]",
                "--dtype", "名:f4,😀:i8,é:u1");
        assertEquals("3 1", PythonPeer.run("""
                import sys
                print(*(open(f, 'rb').read(7)[6] for f in sys.argv[1:]))
                """, dir.resolve("two.txt.npy").toString(), load(text("latin.txt", "1\n"), "é:i4").toString()).strip());
    }

    /// The `.npy` of records, of a column and of a table is np.save's of np.loadtxt's array, byte
    /// for byte: the header made room for a 2-D shape, 64 bytes too long for many names.
    @Test
    void theNpyIsNpSavesByteForByte() throws IOException {
        Path table = text("t.txt", "1.5 2\n-3 4\n5 6\n");
        Path column = text("c.txt", "1\n2\n");
        for (String[] c : new String[][]{{"a:f8,b:i4", "[('a', 'f8'), ('b', 'i4')]", "t.txt"},
                {"abcdefghijklmnopq:f8,b:i4", "[('abcdefghijklmnopq', 'f8'), ('b', 'i4')]", "t.txt"},
                {"f8", "'f8'", "t.txt"}, {"i4", "'i4'", "c.txt"}}) {
            Path npy = load(c[2].equals("t.txt") ? table : column, c[0]);
            assertEquals("True", PythonPeer.run("""
                    import io, sys, numpy as np
                    a = np.loadtxt(sys.argv[1], dtype=eval(sys.argv[2]), ndmin=1)
                    b = io.BytesIO(); np.save(b, a)
                    print(open(sys.argv[3], 'rb').read() == b.getvalue())
                    """, dir.resolve(c[2]).toString(), c[1], npy.toString()).strip(), c[0]);
            Files.delete(npy);
        }
    }

    /// {@return the `.npy` `ferry load FILE --dtype DTYPE -o FILE.npy` writes}
    private Path load(Path file, String dtype) {
        Path npy = dir.resolve(file.getFileName() + ".npy");
        Run r = ferry("load", file.toString(), "--dtype", dtype, "-o", npy.toString());
        assertEquals(0, r.exit(), r.err());
        return npy;
    }

    /// A gzip file's error is the loader's, and leaves no output.
    @Test
    void anErrorInAGzipFileLeavesNothing() throws IOException {
        Path gz = gzip(text("bad.txt", "1 2\n".repeat(100_000) + "3 x\n"));
        Path npy = dir.resolve("bad.npy");
        Run r = ferry("load", gz.toString(), "--dtype", "i8", "-o", npy.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.err().startsWith("ferry load: " + gz + ":100001:3: "), r.err());
        assertFalse(Files.exists(npy));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().contains("ferry-tmp")).count());
        }
    }

    /// {@return `text` gzipped}; the text goes, so the folder holds only what the test checks
    private static Path gzip(Path text) throws IOException {
        Path gz = Gzipped.copyOf(text);
        Files.delete(text);
        return gz;
    }
}
