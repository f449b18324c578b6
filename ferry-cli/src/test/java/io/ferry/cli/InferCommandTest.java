package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ferry.testing.Checkout.ROOT;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry convert --dtype infer`: kinds as np.genfromtxt(dtype=None) chooses them, sizes fixed.
@ExtendWith(ShmLeakCheck.class)
class InferCommandTest {
    @TempDir
    Path dir;

    /// Inputs with no data row (empty, comments only) leave nothing to infer: a clear error, exit
    /// 1, where a Java stack trace was printed.
    @Test
    void nothingToInferIsAClearError() throws IOException {
        Path empty = Files.writeString(dir.resolve("E.txt"), "");
        Path comments = Files.writeString(dir.resolve("C.txt"), "# only a comment\n");
        for (Path in : new Path[]{empty, comments}) {
            var r = ferry("convert", in.toString(), "-o", dir.resolve("x.h5").toString(), "--dtype", "infer", "-q");
            assertEquals(1, r.exit(), r.err());
            assertEquals("ferry convert: --dtype infer found no data rows to infer a dtype from (the inputs are empty,"
                    + " or comments, skipped or header lines only): give the dtype (--dtype)\n", r.err());
        }
        assertFalse(Files.exists(dir.resolve("x.h5")));
    }

    @Test
    void inferredKindsAreGenfromtxtsAndTheValuesToo() {
        Path out = dir.resolve("s.h5");
        Path sample = ROOT.resolve("examples/sample1.txt");
        Path gz = ROOT.resolve("examples/sample4.txt.gz");
        var r = ferry("convert", sample.toString(), gz.toString(), "-o", out.toString(), "--dtype", "infer", "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals("ferry convert: --dtype infer chose [('f0', '|S8'), ('f1', '<i8'), ('f2', '<f8'), ('f3', '<i8'), ('f4', '<i8')]"
                + " from a sample of the inputs; to pin it: --dtype 'f0:|S8,f1:<i8,f2:<f8,f3:<i8,f4:<i8'", r.err().strip());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                f = h5py.File(sys.argv[1], 'r')
                for p, k in ((sys.argv[2], 'sample1'), (sys.argv[3], 'sample4')):
                    g = np.genfromtxt(p, dtype=None, encoding=None)
                    d = f[k][...]
                    # genfromtxt's text is str (U): Ferry's is bytes (S), the same characters
                    assert [d.dtype[i].kind for i in range(5)] == [g.dtype[i].kind.replace('U', 'S') for i in range(5)], (d.dtype, g.dtype)
                    for n in g.dtype.names:
                        e = np.char.encode(g[n], 'latin-1') if g[n].dtype.kind == 'U' else g[n]
                        assert (d[n] == e).all(), n
                    print(k, len(d))
                """, out.toString(), sample.toString(), gz.toString());
        assertEquals("sample1 3000\nsample4 5000", said.strip());
    }

    @Test
    void withAHeaderTheNamesAreTheHeadersAndNamedTypesWin() {
        Path out = dir.resolve("c.h5");
        Path calls = ROOT.resolve("examples/calls.tsv");
        var r = ferry("convert", calls.toString(), "-o", out.toString(), "--header", "--dtype", "pos:i4", "-q");
        assertEquals(0, r.exit(), r.err());
        // the columns not named were typed from a sample: said, with the line that pins them
        assertEquals("ferry convert: --dtype named some of the header's columns, and the others' types came from a sample"
                + " of the inputs: [('chr', '|S8'), ('pos', '<i4'), ('pct', '<f8'), ('c', '<i8'), ('t', '<i8')]; to pin it:"
                + " --header --dtype '|S8,<i4,<f8,<i8,<i8'", r.err().strip());
        r = ferry("convert", calls.toString(), "-o", dir.resolve("d.h5").toString(), "--header", "--dtype", "infer",
                "--infer-size", "12", "-q");
        assertEquals(0, r.exit(), r.err());
        // quoted, as a shell takes it: its | and < were a pipe and a redirection
        assertTrue(r.err().contains("to pin it: --header --dtype '|S12,<i8,<f8,<i8,<i8'"), r.err());
        r = ferry("convert", calls.toString(), "-o", dir.resolve("e.h5").toString(), "--header", "--dtype", "infer",
                "--usecols", "pos,pct", "-q");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().endsWith("to pin it: --header --dtype '<i8,<f8' --usecols 'pos,pct'\n"), r.err());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                g = np.genfromtxt(sys.argv[3], names=True, dtype=None, delimiter='\\t', encoding=None)
                c, d = h5py.File(sys.argv[1], 'r')['calls'], h5py.File(sys.argv[2], 'r')['calls']
                for n in g.dtype.names:
                    e = np.char.encode(g[n], 'latin-1') if g[n].dtype.kind == 'U' else g[n]
                    assert (c[n] == e).all() and (d[n] == e).all(), n
                print([(n, c.dtype[n].str) for n in c.dtype.names])
                print([(n, d.dtype[n].str) for n in d.dtype.names])
                """, out.toString(), dir.resolve("d.h5").toString(), calls.toString());
        assertEquals("[('chr', '|S8'), ('pos', '<i4'), ('pct', '<f8'), ('c', '<i8'), ('t', '<i8')]\n"
                + "[('chr', '|S12'), ('pos', '<i8'), ('pct', '<f8'), ('c', '<i8'), ('t', '<i8')]", said.strip());
    }

    @Test
    void aRowPastTheSampleThatDoesNotFitSaysTheDtypeWasInferred() throws IOException {
        Path f = dir.resolve("late.txt");
        try (Writer w = Files.newBufferedWriter(f)) {
            for (int i = 0; i < 200_000; i++) {
                w.write("a" + (i % 10) + " " + i + "\n");   // 2.3 MB: one sample of its first 1 MiB
            }
            w.write("a1 12.5\n");
        }
        Path out = dir.resolve("late.h5");
        var r = ferry("convert", f.toString(), "-o", out.toString(), "--dtype", "infer", "-q");
        assertEquals(1, r.exit());
        String err = r.err().strip();
        assertTrue(err.contains("late.txt:200001:4: field 'f1' (2 of 2): '12.5' "), err);
        assertTrue(err.endsWith("(the dtype was inferred from a sample of the inputs, [('f0', '|S8'), ('f1', '<i8')]: pin it with"
                + " --dtype 'f0:|S8,f1:<i8', giving this field the type it needs, or widen strings with --infer-size N)"), err);
        assertTrue(Files.notExists(out));
        r = ferry("convert", f.toString(), "-o", out.toString(), "--dtype", "f0:S2,f1:f8", "--infer-size", "3");
        assertEquals(64, r.exit());
        assertEquals("ferry convert: --infer-size is for --dtype infer: give the sizes in --dtype itself", r.err().strip());
    }

    /// Text an `S` field cannot hold (past U+00FF) is no matter of type or width: the inferred
    /// dtype's note sent the user to --dtype and --infer-size, which cannot help.
    @Test
    void textNoSFieldHoldsGetsNoNoteOfTheInferredDtype() throws IOException {
        Path f = Files.writeString(dir.resolve("euro.txt"), "\u20ac 1\n");
        var r = ferry("convert", f.toString(), "-o", dir.resolve("e.h5").toString(), "--dtype", "infer", "-q");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("is not Latin-1 text, which S fields hold"), r.err());
        assertFalse(r.err().contains("infer-size"), r.err());
    }

    @Test
    void theReadmeExampleRunsAsWritten() throws IOException {
        String section = ReadmeExample.section("infer example");
        Matcher sh = Pattern.compile("```sh\\n\\s*(.*?)\\n\\s*```\\n\\s*```\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(sh.find(), "no infer example in the README");
        var r = ReadmeExample.runIn(dir, "calls.tsv", sh.group(1));
        assertEquals(0, r.exit(), r.err());
        assertEquals(sh.group(2).replaceAll("(?m)^  ", "").strip(), r.err().strip());
    }
}
