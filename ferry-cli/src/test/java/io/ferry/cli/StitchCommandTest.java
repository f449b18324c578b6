package io.ferry.cli;

import io.ferry.file.NaturalOrder;

import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ferry.testing.Checkout.EXAMPLES;
import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry stitch`: parts converted separately read, through h5py, as the whole input.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class StitchCommandTest {
    @TempDir
    Path dir;

    /// sample1.txt cut into pieces of 1000, 0, 1500 and 500 lines, each converted on its own into
    /// `part2.h5`, `part10.h5`, … (so natural order matters), then stitched from the folder.
    @Test
    void partsStitchedInOrderReadAsTheWholeInput() throws IOException {
        List<String> lines = Files.readAllLines(EXAMPLES.resolve("sample1.txt"));
        int[] cuts = {0, 1000, 1000, 2500, 3000};
        String[] names = {"part2", "part10", "part11", "part100"};   // part11 is named .hdf5, below
        Path parts = Files.createDirectory(dir.resolve("parts"));
        for (int i = 0; i < names.length; i++) {
            Path piece = Files.createDirectories(dir.resolve("pieces" + i)).resolve("sample1.txt");
            Files.write(piece, lines.subList(cuts[i], cuts[i + 1]));
            String suffix = names[i].equals("part11") ? ".hdf5" : ".h5";   // it was left out, without a word
            var r = ferry("convert", piece.toString(), "-o", parts.resolve(names[i] + suffix).toString(), "--dtype", SAMPLE_DTYPE, "-q");
            assertEquals(0, r.exit(), r.err());
        }
        Path all = parts.resolve("all.h5");
        var r = ferry("stitch", parts.toString(), "-o", all.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1 dataset from 4 parts, 3,000 rows"), r.out());
        assertEquals("", r.err(), "Ferry's own attributes of its parts (version, dtype, rows) are no news");

        Path moved = dir.resolve("moved");
        Files.move(parts, moved);   // the output names its parts relative to itself
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as f:
                    d = f['sample1']
                    a = np.loadtxt(sys.argv[2], dtype=d.dtype, ndmin=1)
                    assert d.is_virtual and d.shape == a.shape, (d.is_virtual, d.shape)
                    assert d[...].tobytes() == a.tobytes()
                    print(len(a), d.attrs['parts'])
                """, moved.resolve("all.h5").toString(), EXAMPLES.resolve("sample1.txt").toString());
        assertEquals("3000 4", said.strip());
    }

    /// The attributes of the parts are not stitched: each is named on standard error, where they
    /// went without a word (a conversion's --attr, an h5py dataset's units), exit 0.
    @Test
    void attributesLeftOutAreNamed() throws IOException {
        Path a = dir.resolve("a.h5");
        Path b = dir.resolve("b.h5");
        assertEquals(0, ferry("convert", EXAMPLES.resolve("sample1.txt").toString(), "-o", a.toString(), "--dtype",
                SAMPLE_DTYPE, "--attr", "day=1", "-q").exit());
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'w') as f:
                    f.create_dataset('sample1', data=np.zeros(2, dtype=[('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'),
                                                                       ('c', '<i4'), ('t', '<i4')]))
                    f['sample1'].attrs['units'] = 'm'
                    f['sample1'].attrs['rows'] = 2
                """, b.toString());
        var r = ferry("stitch", a.toString(), b.toString(), "-o", dir.resolve("out.h5").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(a + ": the attribute of '/' (day) was left out (a stitch carries the parts' rows, not their attributes)\n"
                + b + ": the attributes of '/sample1' (rows, units) were left out (a stitch carries the parts' rows, not"
                + " their attributes)\n", r.err());
    }

    /// A name that is a dataset in one part and a group in another is refused naming both parts,
    /// where HDF5's error stack came out.
    @Test
    void aDatasetInOnePartAndAGroupInAnotherIsRefused() throws IOException {
        Path a = dir.resolve("c1.h5");
        Path b = dir.resolve("c2.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'w') as f:
                    f['a'] = np.arange(3)
                with h5py.File(sys.argv[2], 'w') as f:
                    f['a/b'] = np.arange(3)
                """, a.toString(), b.toString());
        Path out = dir.resolve("cc.h5");
        var r = ferry("stitch", a.toString(), b.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry stitch: " + b + ": 'a/b' needs 'a' to be a group, but in " + a + " it is a dataset; a name"
                + " stitches only to one thing\n", r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void partsWithDifferentDtypesForOneNameAreRefused() throws IOException {
        Path a = dir.resolve("a.h5");
        Path b = dir.resolve("b.h5");
        assertEquals(0, ferry("convert", EXAMPLES.resolve("sample1.txt").toString(), "-o", a.toString(), "--dtype", SAMPLE_DTYPE, "-q").exit());
        assertEquals(0, ferry("convert", EXAMPLES.resolve("sample1.txt").toString(), "-o", b.toString(), "--dtype",
                "chr:S10,pos:i8,pct:f4,c:i4,t:i4", "-q").exit());
        Path out = dir.resolve("out.h5");
        var r = ferry("stitch", a.toString(), b.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("b.h5: dataset 'sample1' has dtype") && r.err().contains("'<i8'"), r.err());
        assertFalse(Files.exists(out));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains("ferry-tmp")).toList());
        }
    }

    /// Grids stitch along their first axis, as np.concatenate does: each part's rows were mapped
    /// as its first values (two 10 × 3 grids became 20 values). Rows of another shape are refused.
    @Test
    void gridsStitchRowByRowAndRowsOfAnotherShapeAreRefused() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), grid(0, 10, 3));
        Path b = Files.writeString(dir.resolve("b.txt"), grid(100, 7, 3));
        Path c = Files.writeString(dir.resolve("c.txt"), grid(200, 5, 4));
        Files.writeString(dir.resolve("empty.txt"), "# no rows\n");   // shape (0, 1): it maps nothing
        for (String name : List.of("a", "empty", "b", "c")) {
            var r = ferry("convert", dir.resolve(name + ".txt").toString(), "-o", dir.resolve(name + ".h5").toString(),
                    "--dtype", "f8", "--name", "grid", "-q");
            assertEquals(0, r.exit(), r.err());
        }
        Path ab = dir.resolve("ab.h5");
        var r = ferry("stitch", dir.resolve("a.h5").toString(), dir.resolve("empty.h5").toString(),
                dir.resolve("b.h5").toString(), "-o", ab.toString());
        assertEquals(0, r.exit(), r.err());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as f:
                    whole = np.concatenate([np.loadtxt(sys.argv[2]), np.loadtxt(sys.argv[3])])
                    d = f['grid']
                    assert d.shape == whole.shape == (17, 3), (d.shape, whole.shape)
                    assert d[...].tobytes() == whole.tobytes()
                    print('equal')
                """, ab.toString(), a.toString(), b.toString());
        assertEquals("equal", said.strip());

        Path ac = dir.resolve("ac.h5");
        r = ferry("stitch", dir.resolve("a.h5").toString(), dir.resolve("c.h5").toString(), "-o", ac.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("c.h5: dataset 'grid' has rows of shape (4,), the parts before it (3,)"), r.err());
        assertFalse(Files.exists(ac));
    }

    /// Parts without rows only: the output keeps their row shape, as np.concatenate does (two
    /// empty 3-column grids came out (0,), with exit 0).
    @Test
    void partsWithoutRowsKeepTheirRowShape() throws IOException {
        Files.writeString(dir.resolve("e.txt"), "");
        for (String name : List.of("e1", "e2")) {
            var r = ferry("convert", dir.resolve("e.txt").toString(), "-o", dir.resolve(name + ".h5").toString(),
                    "--dtype", "f8", "--usecols", "0,1,2", "--name", "grid", "-q");
            assertEquals(0, r.exit(), r.err());
        }
        Path out = dir.resolve("ee.h5");
        var r = ferry("stitch", dir.resolve("e1.h5").toString(), dir.resolve("e2.h5").toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as f:
                    parts = [h5py.File(p, 'r')['grid'][...] for p in sys.argv[2:]]
                    print(f['grid'].shape, np.concatenate(parts).shape)
                """, out.toString(), dir.resolve("e1.h5").toString(), dir.resolve("e2.h5").toString());
        assertEquals("(0, 3) (0, 3)", said.strip());
    }

    /// Three ways a stitch read as zeros or twice with exit 0: a part named 50%.h5 (HDF5 reads a
    /// source's name as a pattern), an output folder reached through a symbolic link (the
    /// relative names were made lexically), and an earlier stitch's output among the parts, or a
    /// part given twice (every row twice). The first two now read as the parts; the others are
    /// refused.
    @Test
    void percentNamesSymbolicLinksAndPartsGivenTwice() throws IOException {
        Path parts = Files.createDirectory(dir.resolve("parts"));
        Path a = Files.writeString(dir.resolve("a.txt"), grid(0, 4, 2));
        Path b = Files.writeString(dir.resolve("b.txt"), grid(100, 3, 2));
        for (var e : java.util.Map.of("50%.h5", a, "p%b2.h5", b).entrySet()) {
            var r = ferry("convert", e.getValue().toString(), "-o", parts.resolve(e.getKey()).toString(), "--dtype", "f8",
                    "--name", "grid", "-q");
            assertEquals(0, r.exit(), r.err());
        }
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/deep"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), elsewhere);
        Path out = link.resolve("all.h5");
        var r = ferry("stitch", parts.resolve("50%.h5").toString(), parts.resolve("p%b2.h5").toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                whole = np.concatenate([np.loadtxt(sys.argv[2]), np.loadtxt(sys.argv[3])])
                with h5py.File(sys.argv[1], 'r') as f:
                    assert f['grid'][...].tobytes() == whole.tobytes(), f['grid'][...]
                print('equal')
                """, out.toString(), a.toString(), b.toString());
        assertEquals("equal", said.strip());
        r = ferry("inspect", out.toString());
        assertTrue(r.out().contains("from ../../parts/50%.h5 /grid"), r.out());

        Path again = parts.resolve("50%.h5");
        r = ferry("stitch", again.toString(), parts.toString(), "-o", dir.resolve("twice.h5").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains(": is a part already (as " + again + "); its rows would be stitched twice"), r.err());

        r = ferry("stitch", parts.toString(), "-o", parts.resolve("all.h5").toString());   // left among the parts
        assertEquals(0, r.exit(), r.err());
        r = ferry("stitch", parts.toString(), "-o", parts.resolve("all.h5").toString(), "--force");   // made anew
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1 dataset from 2 parts, 7 rows"), r.out());
        // a part as the output, --force or not: its rows were destroyed (the folder's listing left it out)
        r = ferry("stitch", parts.toString(), "-o", parts.resolve("50%.h5").toString(), "--force");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("50%.h5: is the input"), r.err());
        r = ferry("stitch", parts.toString(), "-o", parts.resolve("v2.h5").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("all.h5: maps the rows of ") && r.err().contains("which is a part too"), r.err());
        assertFalse(Files.exists(parts.resolve("v2.h5")));
    }

    /// A dataset with two names (h5py's `f['b'] = f['a']`, a hard link) came out under its first
    /// name only, "1 dataset", exit 0; the names under a group with two names, and soft links,
    /// were dropped without a word too. Every name is now stitched, a soft link that leads to a
    /// stitched dataset is made again, and the links left out are named on stderr.
    @Test
    void everyNameOfADatasetIsStitchedAndLinksLeftOutAreNamed() throws IOException {
        PythonPeer.run("""
                import sys, h5py, numpy as np
                for i, part in enumerate(sys.argv[1:], 1):
                    with h5py.File(part, 'w') as f:
                        f['a'] = np.arange(3) * i
                        f['b'] = f['a']
                        f['g/x'] = np.arange(2) + i
                        f['g/r'] = h5py.SoftLink('x')
                        f['g2'] = f['g']
                        f['s'] = h5py.SoftLink('/a')
                        f['dangling'] = h5py.SoftLink('/nowhere')
                        f['e'] = h5py.ExternalLink('other.h5', '/z')
                """, dir.resolve("p1.h5").toString(), dir.resolve("p2.h5").toString());
        Path out = dir.resolve("o.h5");
        var r = ferry("stitch", dir.resolve("p1.h5").toString(), dir.resolve("p2.h5").toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("4 datasets from 2 parts, 20 rows"), r.out());
        assertTrue(r.err().contains("p1.h5: '/dangling', a soft link to '/nowhere', was left out: nothing of that name is stitched"),
                r.err());
        assertTrue(r.err().contains("p2.h5: '/e', an external link to '/z' in other.h5, was left out (external links are not followed)"),
                r.err());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                parts = [h5py.File(p, 'r') for p in sys.argv[2:]]
                with h5py.File(sys.argv[1], 'r') as f:
                    for name in ('a', 'b', 's', 'g/x', 'g/r', 'g2/x', 'g2/r'):
                        whole = np.concatenate([p[name][...] for p in parts])
                        assert f[name][...].tobytes() == whole.tobytes(), (name, f[name][...], whole)
                    assert isinstance(f.get('s', getlink=True), h5py.SoftLink)
                    assert 'dangling' not in f and 'e' not in f
                print('equal')
                """, out.toString(), dir.resolve("p1.h5").toString(), dir.resolve("p2.h5").toString());
        assertEquals("equal", said.strip());
    }

    /// A name that is a soft link in one part and a dataset (or a group) in another can be only
    /// one of them.
    @Test
    void aNameThatIsASoftLinkInOnePartAndADatasetInAnotherIsRefused() throws IOException {
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'w') as f:
                    f['a'] = np.arange(3)
                    f['b'] = np.arange(3)
                with h5py.File(sys.argv[2], 'w') as f:
                    f['a'] = np.arange(3)
                    f['b'] = h5py.SoftLink('/a')
                """, dir.resolve("p1.h5").toString(), dir.resolve("p2.h5").toString());
        Path out = dir.resolve("o.h5");
        var r = ferry("stitch", dir.resolve("p1.h5").toString(), dir.resolve("p2.h5").toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("p2.h5: '/b' is a soft link to '/a', in ") && r.err().contains("p1.h5 a dataset"), r.err());
        assertFalse(Files.exists(out));

        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'w') as f:
                    f['a'] = np.arange(3)
                    f['g'] = h5py.SoftLink('/a')
                with h5py.File(sys.argv[2], 'w') as f:
                    f['g/x'] = np.arange(3)
                """, dir.resolve("p3.h5").toString(), dir.resolve("p4.h5").toString());
        r = ferry("stitch", dir.resolve("p3.h5").toString(), dir.resolve("p4.h5").toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("p3.h5: '/g' is a soft link to '/a', in ") && r.err().contains("p4.h5 a group"), r.err());
        assertFalse(Files.exists(out));
    }

    /// {@return `rows` lines of `columns` numbers counting from `first`}
    private static String grid(int first, int rows, int columns) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                s.append(j == 0 ? "" : " ").append(first + i * columns + j).append(".5");
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Test
    void naturalOrderPutsPart2BeforePart10() {
        List<String> sorted = new java.util.ArrayList<>(List.of("part10.h5", "part2.h5", "part1.h5", "part02b.h5", "part100.h5"));
        sorted.sort(NaturalOrder.NATURAL);
        assertEquals(List.of("part1.h5", "part2.h5", "part02b.h5", "part10.h5", "part100.h5"), sorted);
    }
}
