package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ferry.testing.Checkout.ROOT;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry convert --header`: field names from the inputs' first line, as np.genfromtxt(names=True).
@ExtendWith(ShmLeakCheck.class)
class HeaderCommandTest {
    private static final String HEADER = "# chr\tpos\tpct%\tc\tt\n";

    @TempDir
    Path dir;

    private Path table(String name, String header, int from, int rows) throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("examples/sample3.txt")).subList(from, from + rows);
        return Files.writeString(dir.resolve(name), header + String.join("\n", lines) + "\n");
    }

    @Test
    void typesInOrderOrByNameGiveWhatGenfromtxtReads() throws IOException {
        Path a = table("a.txt", HEADER, 0, 2000);
        Path b = table("b.txt", HEADER, 2000, 3000);
        Path inOrder = dir.resolve("o.h5");
        Path byName = dir.resolve("n.h5");
        var r = ferry("convert", a.toString(), b.toString(), "-o", inOrder.toString(), "--header", "--dtype", "S10,i4,f4,i4,i4",
                "-q", "--isolation", "process", "--workers", "2");
        assertEquals(0, r.exit(), r.err());
        r = ferry("convert", a.toString(), b.toString(), "-o", byName.toString(), "--header", "-q",
                "--dtype", "t:i4,c:i4,pct:f4,pos:i8,chr:S10", "--usecols", "pos,chr,4");
        assertEquals(0, r.exit(), r.err());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                o, n = h5py.File(sys.argv[1], 'r'), h5py.File(sys.argv[2], 'r')
                for p in sys.argv[3:]:
                    k = p.split('/')[-1][0]
                    g = np.genfromtxt(p, names=True, dtype=['S10', 'i4', 'f4', 'i4', 'i4'], delimiter='\\t')
                    assert o[k].dtype == g.dtype and o[k][...].tobytes() == g.tobytes(), k
                    u = np.genfromtxt(p, names=True, dtype=['i8', 'S10', 'i4'], delimiter='\\t', usecols=('pos', 'chr', 4))
                    assert n[k].dtype == u.dtype and n[k][...].tobytes() == u.tobytes(), (k, n[k].dtype, u.dtype)
                    print(k, o[k].dtype.names, n[k].dtype.names, len(g))
                """, inOrder.toString(), byName.toString(), a.toString(), b.toString());
        assertEquals("a ('chr', 'pos', 'pct', 'c', 't') ('pos', 'chr', 't') 2000\n"
                + "b ('chr', 'pos', 'pct', 'c', 't') ('pos', 'chr', 't') 3000", said.strip());
    }

    @Test
    void eachMistakeSaysWhatAndWhere() throws IOException {
        Path a = table("a.txt", HEADER, 0, 10);
        Path b = table("b.txt", "chr pos percent c t\n", 10, 10);
        String out = dir.resolve("x.h5").toString();
        Path bare = Files.writeString(dir.resolve("bare.txt"), HEADER);
        var r = ferry("convert", bare.toString(), "-o", out, "--header", "--dtype", "pos:i8");
        assertEquals(64, r.exit());
        assertEquals("ferry convert: --dtype 'pos:i8' gives no type for chr, pct, c, t: name them (chr:f8,pct:f8,c:f8,t:f8)"
                + " or give every type in order", r.err().strip());
        Files.delete(bare);
        r = ferry("convert", a.toString(), "-o", out, "--header", "--dtype", "S10,i4");
        assertEquals(64, r.exit());
        assertEquals("ferry convert: --dtype 'S10,i4' gives 2 types for the 5 columns of the header (chr, pos, pct, c, t)",
                r.err().strip());
        r = ferry("convert", a.toString(), b.toString(), "-o", out, "--header", "--dtype", "S10,i4,f4,i4,i4");
        assertEquals(1, r.exit());
        assertEquals("ferry convert: " + b + ":1: its header differs from " + a + "'s at column 3: 'percent' here, 'pct' there"
                + " (every input of a run has the same header)", r.err().strip());
        // what cannot be seen is shown as Python's repr shows it: a byte-order mark read "'a' here, 'a' there"
        Path plain = Files.writeString(dir.resolve("p.csv"), "a,b\n1,2\n");
        Path marked = Files.writeString(dir.resolve("m.csv"), "\ufeffa,b\n3,4\n");
        r = ferry("convert", plain.toString(), marked.toString(), "-o", out, "--header", "--dtype", "i4", "-d", "comma");
        assertEquals(1, r.exit());
        assertEquals("ferry convert: " + marked + ":1: its header differs from " + plain + "'s at column 1: '\\ufeffa' here,"
                + " 'a' there (every input of a run has the same header)", r.err().strip());
        // a control character in a name: the file, the line and the column (it said "control character in field name", exit 64)
        Path control = Files.writeString(dir.resolve("c.csv"), "a\u0001b,c\n1,2\n");
        r = ferry("convert", control.toString(), "-o", out, "--header", "--dtype", "i4", "-d", "comma");
        assertEquals(1, r.exit());
        assertEquals("ferry convert: " + control + ":1: column 1 of the header is named 'a\\x01b', with a control character"
                + " (\\x01), which a field name cannot hold; edit the header, or name the fields in --dtype and skip the"
                + " header line (--skiprows 1)", r.err().strip());
        for (Path p : List.of(plain, marked, control)) {
            Files.delete(p);
        }
        r = ferry("convert", a.toString(), "-o", out, "--dtype", "chr:S10,pos:i4", "--usecols", "chr,pos");
        assertEquals(64, r.exit());
        assertEquals("ferry convert: --usecols takes 0-based column numbers, not 'chr' (names need a header line:"
                + " ferry convert --header)", r.err().strip());
        // Without --header the header line is data: the usual error names it
        r = ferry("convert", a.toString(), "-o", out, "--dtype", "chr:S10,pos:i4,pct:f4,c:i4,t:i4", "--skiprows", "0",
                "--comments", "none");
        assertEquals(1, r.exit());
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "only the inputs remain");
        }
    }

    @Test
    void theReadmeExampleRunsAsWritten() throws IOException {
        var example = ReadmeExample.withPython("header example");
        var r = ReadmeExample.runIn(dir, "calls.tsv", example.command());
        assertEquals(0, r.exit(), r.err());
        ReadmeExample.assertPythonPrintsWhatItSays(dir, example.python());
    }
}
