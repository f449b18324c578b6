package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry inspect` on files h5py made, with what h5py writes by default and what Ferry's HDF5
/// cannot read (LZF: h5py ships that filter, the HDF5 C library does not).
@org.junit.jupiter.api.Tag("process")
class InspectAnyFileTest {
    @TempDir
    Path dir;
    Path h5;

    @BeforeEach
    void makeFixture() {
        PythonPeer.require("numpy", "h5py");
        h5 = dir.resolve("any.h5");
        PythonPeer.run("""
                import sys, os, numpy as np, h5py
                d = sys.argv[1]
                for name, n, first in (("a.h5", 10, 0), ("b.h5", 20, 100)):
                    with h5py.File(os.path.join(d, name), "w") as s:
                        s["x"] = np.arange(first, first + n, dtype="<i8")
                with h5py.File(os.path.join(d, "any.h5"), "w") as f:
                    f.attrs["title"] = "made by h5py"
                    g = f.create_group("g")
                    g.attrs["who"] = "h5py"
                    g.attrs["n"] = 3
                    g.create_dataset("d", data=np.arange(250, dtype="<i4"), chunks=(100,), compression="gzip")
                    f["alias"] = f["g/d"]
                    f["soft"] = h5py.SoftLink("/g/d")
                    f["dangling"] = h5py.SoftLink("/nowhere")
                    f["ext"] = h5py.ExternalLink("other.h5", "/data")
                    f.create_dataset("lzf", data=np.arange(100, dtype="<i4"), compression="lzf")
                    f.create_dataset("names", data=["alpha", "béta", "it's"], dtype=h5py.string_dtype())
                    layout = h5py.VirtualLayout(shape=(30,), dtype="<i8")
                    layout[0:10] = h5py.VirtualSource("a.h5", "x", shape=(10,))
                    layout[10:30] = h5py.VirtualSource("b.h5", "x", shape=(20,))
                    f.create_virtual_dataset("v", layout)
                    f["answer"] = 42
                    f["greeting"] = "hello"
                """, dir.toString());
    }

    @Test
    void theWholeFileAsATreeEachObjectOnce() {
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", "--head", "3", h5.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        assertEquals("", r.err());
        String o = r.out();
        List<String> tree = o.lines().skip(1).filter(l -> l.startsWith("/")).toList(); // after the file's name
        assertEquals(List.of("/", "/alias", "/answer", "/dangling", "/ext", "/g", "/g/d", "/greeting", "/lzf", "/names", "/soft", "/v"),
                tree.stream().map(l -> l.split(" +")[0]).toList(), o);
        assertTrue(line(tree, "/alias").endsWith("dataset (250,), chunked, gzip(4), also named /g/d"), o);
        assertTrue(line(tree, "/g/d").endsWith("hard link: the same object as /alias"), o);
        assertTrue(line(tree, "/soft").endsWith("soft link to /g/d"), o);
        assertTrue(line(tree, "/dangling").endsWith("soft link to /nowhere (which does not exist)"), o);
        assertTrue(line(tree, "/ext").endsWith("external link to /data in other.h5 (which is not found)"), o);
        assertTrue(line(tree, "/g").endsWith("group, 2 attributes"), o);
        assertTrue(line(tree, "/v").endsWith("dataset (30,), virtual (2 sources)"), o);
        assertTrue(line(tree, "/lzf").contains("lzf (filter 32000), a filter is not available"), o);
        // a dataset shown once, under its first name
        assertEquals(1, o.lines().filter(l -> l.startsWith("dataset alias")).count(), o);
        assertFalse(o.contains("dataset g/d"), o);
        assertFalse(o.contains("dataset soft"), o);
        assertTrue(o.contains("  also named   /g/d"), o);
        // a group's attributes
        assertTrue(o.contains("group g\n  attributes\n    n    3\n    who  h5py\n"), o);
        assertTrue(o.contains("attributes\n  title  made by h5py\n"), o);
    }

    /// Attribute values as h5py gives them: a float32 0.1 was 0.10000000149011612, a NUL inside a
    /// string ended it (`ab`), and a thousand values filled the screen.
    @Test
    void attributesReadAsH5pyReadsThem() {
        Path at = dir.resolve("attrs.h5");
        PythonPeer.run("""
                import sys, numpy as np, h5py
                with h5py.File(sys.argv[1], "w") as f:
                    f.attrs["f4"] = np.float32(0.1)
                    f.attrs["nul"] = np.bytes_(b"ab\\x00c")
                    f.attrs["many"] = np.arange(1000)
                """, at.toString());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", at.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("  f4    0.1"), r.out());
        assertTrue(lines.contains("  nul   ab\\x00c"), r.out());
        assertTrue(lines.contains("  many  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, … (1,000 values)]"),
                r.out());
    }

    @Test
    void aMissingFilterIsReportedOnItsDatasetAndTheListingGoesOn() {
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", h5.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        String o = r.out();
        String lzf = block(o, "dataset lzf");
        assertTrue(lzf.contains("  filters      lzf (filter 32000)"), lzf);
        assertTrue(lzf.contains("  filter 32000 (lzf) is not available: "), lzf);
        assertTrue(lzf.contains("h5py has LZF built in") && lzf.contains("HDF5_PLUGIN_PATH"), lzf);
        assertFalse(lzf.contains("first"), lzf);
        // what comes after it is listed still, rows and all
        assertTrue(block(o, "dataset names").contains("first 3 of 3 rows:"), o);
        assertTrue(block(o, "dataset v").contains("first 5 of 30 rows:"), o);
    }

    /// A dataset stored in a raw file outside HDF5 (h5py's `external=`) whose file is missing:
    /// reading its rows stopped the whole listing, exit 1, "unable to open external raw data
    /// file", and the datasets after it were never shown.
    @Test
    void aMissingExternalRawFileIsNamedOnItsDatasetAndTheListingGoesOn() {
        Path ext = dir.resolve("ext.h5");
        PythonPeer.run("""
                import sys, os, numpy as np, h5py
                d = sys.argv[1]
                np.arange(4, dtype="<i4").tofile(os.path.join(d, "present.bin"))
                os.mkdir(os.path.join(d, "adir"))
                os.mkfifo(os.path.join(d, "fifo"))
                with h5py.File(os.path.join(d, "ext.h5"), "w") as f:
                    f.create_dataset("a_ext", shape=(4,), dtype="i4", external=[("ferry-test-absent-extraw.bin", 0, 16)])
                    f.create_dataset("in_dir", shape=(4,), dtype="i4", external=[(os.path.join(d, "adir"), 0, 16)])
                    f.create_dataset("in_fifo", shape=(4,), dtype="i4", external=[(os.path.join(d, "fifo"), 0, 16)])
                    f.create_dataset("here", shape=(4,), dtype="i4", external=[(os.path.join(d, "present.bin"), 0, 16)])
                    f["b"] = [1, 2, 3]
                """, dir.toString());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", ext.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        String o = r.out();
        assertTrue(line(o.lines().toList(), "/a_ext").endsWith("contiguous, in 1 external raw file (not readable)"), o);
        String missing = block(o, "dataset a_ext");
        assertTrue(missing.contains("  external     rows in 1 raw file outside HDF5\n"
                + "    bytes 0 to 15 of ferry-test-absent-extraw.bin  (missing: HDF5 cannot open it, so the rows cannot be read)"),
                missing);
        assertFalse(missing.contains("first"), missing);
        // a folder, and a named pipe, which reading would wait on: examined only, and the listing goes on
        for (String name : new String[]{"in_dir", "in_fifo"}) {
            String notRegular = block(o, "dataset " + name);
            assertTrue(notRegular.contains("  (not a regular file, so the rows cannot be read)"), notRegular);
            assertFalse(notRegular.contains("first"), notRegular);
        }
        assertTrue(block(o, "dataset here").contains("first 4 of 4 rows:"), o);
        assertTrue(block(o, "dataset b").contains("first 3 of 3 rows:"), o);
    }

    /// 2,000 nested groups, which h5py and h5ls read: the walk through them used up the reading
    /// thread's stack, HDF5 crashed (SIGSEGV), and inspect and stitch called the file damaged.
    @Test
    void twoThousandNestedGroupsAreReadNotCalledDamaged() {
        Path deep = dir.resolve("deep.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], "w") as f:
                    f.create_group("/".join(["x"] * 2000))["d"] = np.arange(2)
                """, deep.toString());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", deep.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\ndataset " + "x/".repeat(2000) + "d\n"), r.err());
        assertTrue(r.out().contains("  first 2 of 2 rows:\n    0\n    1\n"), r.err());
        r = ShmCommandsTest.ferry("stitch", deep.toString(), "-o", dir.resolve("out.h5").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1 dataset from 1 part, 2 rows"), r.out());
    }

    @Test
    void variableLengthStringsAndTheirFirstRows() {
        String names = block(ShmCommandsTest.ferry("inspect", "--dataset", "names", h5.toString()).out(), "dataset names");
        assertTrue(names.contains("  dtype        str (variable-length UTF-8 strings"), names);
        assertTrue(names.contains("  first 3 of 3 rows:\n    'alpha'\n    'béta'\n    \"it's\"\n"), names);
    }

    /// h5py's ASCII-labelled variable-length strings (`h5py.string_dtype('ascii')`, which it gives
    /// as bytes): they were called UTF-8 strings, h5py's default (a tester found it).
    @Test
    void asciiVariableLengthStringsAreCalledSo() {
        Path ascii = dir.resolve("ascii.h5");
        PythonPeer.run("""
                import sys, h5py
                with h5py.File(sys.argv[1], "w") as f:
                    f.create_dataset("codes", data=[b"x", b"yz"], dtype=h5py.string_dtype("ascii"))
                    f.create_dataset("code", data=b"w", dtype=h5py.string_dtype("ascii"))
                    f.create_dataset("words", data=["x"], dtype=h5py.string_dtype())
                """, ascii.toString());
        String o = ShmCommandsTest.ferry("inspect", ascii.toString()).out();
        assertTrue(block(o, "dataset codes").contains("  dtype        bytes (variable-length ASCII strings,"
                + " h5py.string_dtype('ascii'); np.dtype('O') in numpy)\n"), o);
        assertTrue(block(o, "dataset codes").contains("  first 2 of 2 rows:\n    b'x'\n    b'yz'\n"), o);
        assertTrue(block(o, "dataset code").contains("  value        b'w'\n"), o);
        assertTrue(block(o, "dataset words").contains("  dtype        str (variable-length UTF-8 strings, h5py's default"), o);
        assertTrue(block(o, "dataset words").contains("    'x'\n"), o);
    }

    /// h5py's `f["x"] = 42` and `f["s"] = "hello"`: scalars, shown with their value.
    @Test
    void scalarsWithTheirValue() {
        String o = ShmCommandsTest.ferry("inspect", h5.toString()).out();
        assertTrue(block(o, "dataset answer").contains("  shape        ()  max ()\n"), o);
        assertTrue(block(o, "dataset answer").contains("  value        42\n"), o);
        assertTrue(block(o, "dataset greeting").contains("  value        'hello'\n"), o);
    }

    /// h5py's `h5py.Empty("f")`: a type and a null dataspace, no value. It was shown as a scalar
    /// holding 0.0; a stitch of it now names it too.
    @Test
    void aNullDataspaceHasNoValue() {
        Path empty = dir.resolve("empty.h5");
        PythonPeer.run("""
                import sys, h5py
                with h5py.File(sys.argv[1], "w") as f:
                    f.create_dataset("nothing", data=h5py.Empty("<f4"))
                """, empty.toString());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", empty.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("/nothing  dataset of no value (null dataspace), contiguous"), r.out());
        String d = block(r.out(), "dataset nothing");
        assertTrue(d.contains("  rows         0\n  shape        none: a null dataspace (h5py.Empty), which holds no value\n"), d);
        assertFalse(d.contains("value  "), d);
        ShmCommandsTest.Run s = ShmCommandsTest.ferry("stitch", empty.toString(), "-o", dir.resolve("s.h5").toString());
        assertEquals(1, s.exit(), s.err());
        assertTrue(s.err().contains("dataset 'nothing' holds no value (a null dataspace, h5py.Empty)"), s.err());
    }

    /// A file's names and attributes are anyone's text: an escape sequence in them reached the
    /// terminal (one cleared the screen), and a line break in a name broke the listing.
    @Test
    void controlCharactersInNamesAndAttributesAreShownEscaped() {
        Path odd = dir.resolve("odd.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], "w") as f:
                    f.attrs["esc"] = "\\x1b[2J\\x1b[Hcleared?"
                    f["name\\nwith\\x1b[31m newline"] = np.arange(2)
                """, odd.toString());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", odd.toString());
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.out().contains("\u001b"), r.out());
        assertTrue(r.out().contains("  esc  \\x1b[2J\\x1b[Hcleared?\n"), r.out());
        assertTrue(r.out().contains("/name\\nwith\\x1b[31m newline  dataset (2,)"), r.out());
    }

    /// A source that is nowhere HDF5 looks (a part moved away): h5py reads its rows as the
    /// dataset's fill value without a word; the listing says so, with the value (it said
    /// "zeros", whatever the fill value).
    @Test
    void aMissingSourceIsSaid() throws java.io.IOException {
        PythonPeer.run("""
                import sys, os, h5py
                with h5py.File(os.path.join(sys.argv[1], "filled.h5"), "w") as f:
                    layout = h5py.VirtualLayout(shape=(20,), dtype="<i8")
                    layout[0:20] = h5py.VirtualSource("b.h5", "x", shape=(20,))
                    f.create_virtual_dataset("v", layout, fillvalue=-7)
                """, dir.toString());
        java.nio.file.Files.move(dir.resolve("b.h5"), dir.resolve("b.gone"));
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", "--dataset", "/v", "--head", "0", h5.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("    rows 0 to 9 from a.h5 /x\n"), r.out());
        assertTrue(r.out().contains("    rows 10 to 29 from b.h5 /x  (missing: HDF5 reads these rows as the dataset's fill value, 0)\n"),
                r.out());
        r = ShmCommandsTest.ferry("inspect", "--dataset", "/v", "--head", "1", dir.resolve("filled.h5").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("    rows 0 to 19 from b.h5 /x  (missing: HDF5 reads these rows as the dataset's fill value, -7)\n"),
                r.out());
        assertTrue(r.out().contains("  first 1 of 20 rows:\n    -7\n"), r.out());
    }

    /// One row is a row: the listing said "first 1 of 1 rows:".
    @Test
    void oneRowIsSaidInTheSingular() {
        Path one = dir.resolve("one.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], "w") as f:
                    f["one"] = np.arange(1)
                    f["s"] = np.array(["a"], dtype=h5py.string_dtype())
                """, one.toString());
        String o = ShmCommandsTest.ferry("inspect", one.toString()).out();
        assertTrue(block(o, "dataset one").contains("  first 1 of 1 row:\n    0\n"), o);
        assertTrue(block(o, "dataset s").contains("  first 1 of 1 row:\n    'a'\n"), o);
    }

    /// Attributes and links were read by index, which made HDF5 sort a large (dense) set again
    /// for every one: 5,000 attributes beside a large one took over the minute a read may go
    /// without progress, and the valid file was called damaged. They are read in one pass now.
    @Test
    void manyAttributesAndLinksAreReadInOnePass() {
        Path many = dir.resolve("many.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], "w", libver="latest") as f:
                    f.attrs["big"] = np.zeros(1_000_000)
                    for i in range(5000):
                        f.attrs["a%d" % i] = i
                    g = f.create_group("g")
                    for i in range(5000):
                        g.create_dataset("d%d" % i, data=np.arange(1))
                """, many.toString());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", "--head", "0", many.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  a4999  4999\n"), r.out().substring(0, 300));
        assertTrue(r.out().contains("/g/d4999"), "the last link");
    }

    @Test
    void aVirtualDatasetWithItsSources() {
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", "--dataset", "/v", "--head", "12", h5.toString());
        assertEquals(0, r.exit(), r.err());
        String v = block(r.out(), "dataset v");
        assertTrue(v.contains("  layout       virtual, 2 sources\n    rows 0 to 9 from a.h5 /x\n    rows 10 to 29 from b.h5 /x\n"), v);
        assertTrue(v.contains("  chunks       none (virtual)"), v);
        // the rows come from the sources
        assertTrue(v.contains("first 12 of 30 rows:\n    0\n    1\n    2\n    3\n    4\n    5\n    6\n    7\n    8\n    9\n    100\n    101\n"), v);
    }

    @Test
    void aGroupListsWhatIsUnderItAndAMissingPathIsAClearError() {
        ShmCommandsTest.Run g = ShmCommandsTest.ferry("inspect", "--dataset", "g", h5.toString());
        assertEquals(0, g.exit(), g.err());
        List<String> tree = g.out().lines().skip(1).filter(l -> l.startsWith("/")).toList();
        assertEquals(List.of("/g", "/g/d"), tree.stream().map(l -> l.split(" +")[0]).toList(), g.out());
        assertTrue(g.out().contains("dataset g/d\n"), g.out());

        ShmCommandsTest.Run missing = ShmCommandsTest.ferry("inspect", "--dataset", "nope/x", h5.toString());
        assertEquals(1, missing.exit());
        assertEquals("ferry inspect: " + h5 + ": no dataset or group 'nope/x' in the file\n", missing.err());
        assertEquals("", missing.out(), "the error alone, not after the file's header");
        ShmCommandsTest.Run dangling = ShmCommandsTest.ferry("inspect", "--dataset", "dangling", h5.toString());
        assertEquals(1, dangling.exit());
        assertTrue(dangling.err().startsWith("ferry inspect: " + h5 + ": 'dangling' is a link that leads nowhere"), dangling.err());
        assertEquals(1, dangling.err().lines().count(), dangling.err());
        assertEquals("", dangling.out());
    }

    /// An external link's file is looked for where HDF5 looks (here: beside the file, the test
    /// running in another folder); one not found is flagged in the listing, as a dangling soft
    /// link is, where only `--dataset` said so.
    @Test
    void anExternalLinksFileIsLookedForBesideTheFile() throws java.io.IOException {
        PythonPeer.run("""
                import sys, os, numpy as np, h5py
                with h5py.File(os.path.join(sys.argv[1], "other.h5"), "w") as f:
                    f["data"] = np.arange(3)
                """, dir.toString());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", "--head", "0", h5.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("/ext") && l.endsWith("external link to /data in other.h5")), r.out());
        java.nio.file.Files.delete(dir.resolve("other.h5"));
        r = ShmCommandsTest.ferry("inspect", "--head", "0", h5.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("/ext") && l.endsWith("in other.h5 (which is not found)")), r.out());
    }

    /// An attribute of two or more dimensions is shown nested, as h5py gives it: a 2 × 3 grid was
    /// shown as six values in a row.
    @Test
    void anAttributeOfTwoDimensionsIsShownNested() {
        PythonPeer.run("""
                import sys, os, numpy as np, h5py
                with h5py.File(os.path.join(sys.argv[1], "grid.h5"), "w") as f:
                    d = f.create_dataset("d", data=np.arange(3))
                    d.attrs["grid"] = np.arange(6, dtype="<i4").reshape(2, 3)
                    d.attrs["cube"] = np.arange(8, dtype="<f8").reshape(2, 2, 2)
                    d.attrs["row"] = np.arange(3, dtype="<i4")
                """, dir.toString());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", dir.resolve("grid.h5").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("    cube  [[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]]]\n"), r.out());
        assertTrue(r.out().contains("    grid  [[0, 1, 2], [3, 4, 5]]\n"), r.out());
        assertTrue(r.out().contains("    row   [0, 1, 2]\n"), r.out());
    }

    /// h5py writes a `bytes` name as it is: one that is not UTF-8 cannot be named through Ferry's
    /// UTF-8 names, and was read as damage ("name doesn't exist"). Now inspect and stitch say which
    /// name, where, and how to rename it.
    @Test
    void aNameThatIsNotUtf8IsAClearError() {
        PythonPeer.run("""
                import sys, os, numpy as np, h5py
                with h5py.File(os.path.join(sys.argv[1], "link.h5"), "w") as f:
                    f.create_group("g").create_dataset(b"caf\\xe9", data=np.arange(3))
                with h5py.File(os.path.join(sys.argv[1], "attr.h5"), "w") as f:
                    f.create_dataset("d", data=np.arange(3)).attrs[b"caf\\xe9"] = 1
                """, dir.toString());
        Path link = dir.resolve("link.h5");
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", link.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry inspect: " + link + ": group /g: a link's name is not UTF-8 text (b'caf\\xe9'), and Ferry reads"
                + " HDF5 names in UTF-8 only; rename it (in h5py: f.move(b'caf\\xe9', 'new name'))\n", r.err());
        Path attr = dir.resolve("attr.h5");
        r = ShmCommandsTest.ferry("inspect", attr.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry inspect: " + attr + ": dataset d: an attribute's name is not UTF-8 text (b'caf\\xe9'), and Ferry"
                + " reads HDF5 names in UTF-8 only; rename it\n", r.err());
        Path out = dir.resolve("stitched.h5");
        r = ShmCommandsTest.ferry("stitch", link.toString(), "-o", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("group /g: a link's name is not UTF-8 text (b'caf\\xe9')"), r.err());
        assertFalse(java.nio.file.Files.exists(out));
    }

    /// `ferry stitch`'s output: a virtual dataset over the parts, named relative to the output.
    @Test
    void stitchOutputIsVirtualWithItsParts() throws java.io.IOException {
        Path examples = io.ferry.testing.Checkout.EXAMPLES;
        Path parts = java.nio.file.Files.createDirectory(dir.resolve("parts"));
        for (String part : new String[]{"part1", "part2"}) {
            ShmCommandsTest.Run r = ShmCommandsTest.ferry("convert", examples.resolve("sample1.txt").toString(), "-o",
                    parts.resolve(part + ".h5").toString(), "--dtype", "chr:S10,pos:i4,pct:f4,c:i4,t:i4", "-q");
            assertEquals(0, r.exit(), r.err());
        }
        Path all = parts.resolve("all.h5");
        assertEquals(0, ShmCommandsTest.ferry("stitch", parts.toString(), "-o", all.toString()).exit());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", "--head", "1", all.toString());
        assertEquals(0, r.exit(), r.err());
        String s = block(r.out(), "dataset sample1");
        assertTrue(s.contains("  layout       virtual, 2 sources\n    rows 0 to 2999 from part1.h5 /sample1\n"
                + "    rows 3000 to 5999 from part2.h5 /sample1\n"), s);
        assertTrue(s.contains("first 1 of 6000 rows:"), s);
    }

    /// The README's example: its Python makes the file, and `ferry inspect` prints what it shows.
    @Test
    void theReadmeExampleIsWhatIsPrinted() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(io.ferry.testing.Checkout.ROOT.resolve("README.md"));
        int section = readme.indexOf("## Inspecting any HDF5 file");
        String script = fenced(readme, "```python\n", section);
        String shown = fenced(readme, "```text\n", section);
        Path work = java.nio.file.Files.createDirectory(dir.resolve("readme"));
        PythonPeer.run("import os, sys; os.chdir(sys.argv[1])\n" + script, work.toString());
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("inspect", "--head", "2", work.resolve("any.h5").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(shown, r.out().substring(r.out().indexOf('\n') + 1));
    }

    private static String fenced(String text, String fence, int from) {
        int start = text.indexOf(fence, from) + fence.length();
        return text.substring(start, text.indexOf("```\n", start));
    }

    private static String line(List<String> tree, String path) {
        return tree.stream().filter(l -> l.split(" +")[0].equals(path)).findFirst().orElseThrow();
    }

    /// {@return the block of `out` that starts with the line `header`, up to the next empty line}
    private static String block(String out, String header) {
        int at = out.indexOf("\n" + header + "\n");
        assertTrue(at >= 0, "no '" + header + "' in:\n" + out);
        int end = out.indexOf("\n\n", at + 1);
        return out.substring(at + 1, end < 0 ? out.length() : end + 1);
    }
}
