package io.ferry.text;

import io.ferry.FerryException;
import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.dtype.FieldTypes;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// Header lines read as `np.genfromtxt(names=True)` reads them; types for their names.
class HeaderTest {
    @TempDir
    Path dir;

    /// {@return genfromtxt's names for `file`, one per line}
    private static List<String> numpyNames(Path file, String delimiter, int skip) {
        return PythonPeer.run("""
                import sys, numpy as np, warnings
                warnings.simplefilter('ignore')
                d = None if sys.argv[2] == 'None' else sys.argv[2]
                a = np.genfromtxt(sys.argv[1], names=True, dtype=None, delimiter=d, skip_header=int(sys.argv[3]), encoding='utf-8', max_rows=1)
                print('\\n'.join(a.dtype.names))
                """, file.toString(), delimiter, Integer.toString(skip)).lines().toList();
    }

    @Test
    void namesAreNumpysWhateverTheSpelling() throws IOException {
        record Case(String text, String delimiter, int skip) {
        }
        for (Case c : List.of(
                new Case("chr pos pct% c t\nchr1 1 2 3 4\n", "None", 0),
                new Case("# chr\tpos\tpct\nchr1\t1\t2\n", "\t", 0),
                new Case("a,b b,a,,c,return\n1,2,3,4,5,6\n", ",", 0),
                new Case("junk\nmore junk\n\n  x  y.z  \n1 2\n", "None", 2),
                new Case("#a #b\n1 2\n", "None", 0))) {
            Path f = Files.writeString(dir.resolve("t.txt"), c.text());
            LoadOptions.Builder o = LoadOptions.builder().skipRows(c.skip());
            if (!c.delimiter().equals("None")) {
                o.delimiter(c.delimiter().charAt(0));
            }
            assertEquals(numpyNames(f, c.delimiter(), c.skip()), Header.read(f, o.build()).names(), c.text());
        }
    }

    @Test
    void theRowsStartAfterTheHeaderAndGzipIsRead() throws IOException {
        Path f = dir.resolve("t.txt.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            o.write("# made by hand\n\nchr pos\nchr1 10\n".getBytes());
        }
        // genfromtxt would take the comment as the header; skiprows 1 passes it
        Header h = Header.read(f, LoadOptions.builder().skipRows(1).build());
        assertEquals(List.of("chr", "pos"), h.names());
        assertEquals(2, h.line());
        assertEquals(3, h.rowOptions(LoadOptions.DEFAULT).skipRows());
    }

    @Test
    void headersThatDifferAreAnErrorNamingBothFilesAndTheColumn() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "chr pos pct\nchr1 1 2\n");
        Path b = Files.writeString(dir.resolve("b.txt"), "chr pos percent\nchr1 1 2\n");
        FerryException e = assertThrows(FerryException.class,
                () -> HeaderLayout.of(List.of(a, b), LoadOptions.DEFAULT, null, FieldTypes.parse("S4,i4,f4")));
        assertEquals(b + ":1: its header differs from " + a + "'s at column 3: 'percent' here, 'pct' there"
                + " (every input of a run has the same header)", e.getMessage());
        Path empty = Files.writeString(dir.resolve("e.txt"), "\n\n");
        e = assertThrows(FerryException.class, () -> Header.read(empty, LoadOptions.DEFAULT));
        assertEquals(empty + ": no header line: the file is empty", e.getMessage());
    }

    /// A header of numbers (pandas' `to_csv` writes `,0,1,2`): usecols 1,2 are positions, as
    /// numpy's ints are; they read the columns named 1 and 2, one to the right, with exit 0.
    /// genfromtxt(names=True) validates the names twice: `a_1 a a b` is `a_1 a a_1_1 b` there, where
    /// one pass made two fields `a_1` (a "duplicate field name" error).
    @Test
    void namesAreValidatedTwiceAsGenfromtxtDoes() throws IOException {
        Path f = Files.writeString(dir.resolve("dup.txt"), "a_1 a a b\n1 2 3 4\n");
        assertEquals(List.of("a_1", "a", "a_1_1", "b"),
                HeaderLayout.of(List.of(f), LoadOptions.DEFAULT, null, FieldTypes.parse("i8")).dtype().names());
        FerryException e = assertThrows(FerryException.class,
                () -> HeaderLayout.of(List.of(f), LoadOptions.DEFAULT, List.of("b", "3"), FieldTypes.parse("i8")));
        assertEquals(f + ":1: usecols names the column b twice; a record has each field once", e.getMessage());
    }

    /// A negative index counts from the header's end, as genfromtxt(names=True) takes it, and the
    /// rows are read by the index it resolves to: it counted from each row's end, and rows longer
    /// than the header gave column 3's values under the name y (exit 0; numpy: 2 and 5).
    @Test
    void aNegativeUsecolsCountsFromTheHeadersEnd() throws IOException {
        Path f = Files.writeString(dir.resolve("wide.txt"), "x y\n1 2 3\n4 5 6\n");
        HeaderLayout h = HeaderLayout.of(List.of(f), LoadOptions.DEFAULT, List.of("-1", "x"), FieldTypes.parse("i8"));
        assertEquals(List.of(1, 0), java.util.Arrays.stream(h.options().useCols()).boxed().toList());
        assertEquals(List.of("y", "x"), h.dtype().names());
        NdArray rows = TextLoader.of(h.dtype(), h.options()).load(f, java.lang.foreign.Arena.ofAuto());
        assertEquals("array([(2, 1), (5, 4)], dtype=[('y', '<i8'), ('x', '<i8')])", rows.toString());
    }

    @Test
    void aNumberInUsecolsIsAPositionEvenWhereAColumnHasThatName() throws IOException {
        Path csv = Files.writeString(dir.resolve("pandas.csv"), ",0,1,2\n0,10,11,12\n1,20,21,22\n");
        LoadOptions comma = LoadOptions.builder().delimiter(',').build();
        HeaderLayout h = HeaderLayout.of(List.of(csv), comma, List.of("1", "2"), FieldTypes.parse("i8"));
        assertEquals(List.of(1, 2), java.util.Arrays.stream(h.options().useCols()).boxed().toList());
        assertEquals(List.of("0", "1"), h.dtype().names());
    }

    @Test
    void typesByPositionByNameOrOneForAllAndUsecolsByName() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "chr pos pct\nchr1 1 2\n");
        List<Path> files = List.of(a);
        assertEquals(DType.parse("chr:S4,pos:i4,pct:f4"),
                HeaderLayout.of(files, LoadOptions.DEFAULT, null, FieldTypes.parse("S4,i4,f4")).dtype());
        assertEquals(DType.parse("chr:f8,pos:f8,pct:f8"), HeaderLayout.of(files, LoadOptions.DEFAULT, null, FieldTypes.parse("f8")).dtype());
        HeaderLayout h = HeaderLayout.of(files, LoadOptions.DEFAULT, List.of("pct", "0"), FieldTypes.parse("pct:f4,chr:S4"));
        assertEquals(DType.parse("pct:f4,chr:S4"), h.dtype());
        assertEquals(List.of(2, 0), java.util.Arrays.stream(h.options().useCols()).boxed().toList());
        assertEquals(1, h.options().skipRows());

        var e = assertThrows(IllegalArgumentException.class,
                () -> HeaderLayout.of(files, LoadOptions.DEFAULT, null, FieldTypes.parse("pos:i8")));
        assertEquals("--dtype 'pos:i8' gives no type for chr, pct: name them (chr:f8,pct:f8) or give every type in order",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> HeaderLayout.of(files, LoadOptions.DEFAULT, null, FieldTypes.parse("S4,i4")));
        assertEquals("--dtype 'S4,i4' gives 2 types for the 3 columns of the header (chr, pos, pct)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> HeaderLayout.of(files, LoadOptions.DEFAULT, null, FieldTypes.parse("position:i8")));
        assertEquals("--dtype 'position:i8' names position, not in the header (chr, pos, pct)", e.getMessage());
        FerryException f = assertThrows(FerryException.class,
                () -> HeaderLayout.of(files, LoadOptions.DEFAULT, List.of("position"), FieldTypes.parse("i8")));
        assertEquals(a + ":1: usecols 'position' is not a column of the header (chr, pos, pct)", f.getMessage());
    }

    /// The doc examples of [Header], [HeaderLayout] and [FieldTypes], as written there.
    @Test
    void docExamples() throws IOException {
        Path calls = Files.writeString(dir.resolve("calls.tsv"), "# chr\tpos\tpct%\tc\tt\nchr1\t10\t66.7\t2\t1\n");
        DType dtype = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
        Header h = Header.read(calls, LoadOptions.DEFAULT);
        assertEquals(List.of("chr", "pos", "pct", "c", "t"), h.names());
        TextLoader rows = TextLoader.of(dtype, h.rowOptions(LoadOptions.DEFAULT));   // the rows after it
        try (TableReader r = rows.open(calls); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            assertEquals(1, r.read(arena.allocate(64), 2));
        }

        List<Path> files = List.of(calls);
        HeaderLayout l = HeaderLayout.of(files, LoadOptions.DEFAULT, List.of("chr", "pos"), FieldTypes.parse("S10,i8"));
        assertEquals(DType.parse("chr:S10,pos:i8"), TextLoader.of(l.dtype(), l.options()).dtype());

        List<String> names = List.of("chr", "pos", "pct");
        assertEquals(DType.parse("chr:S10,pos:i4,pct:f4"), FieldTypes.parse("S10,i4,f4").resolve(names));
        assertEquals(DType.parse("chr:f8,pos:f8,pct:f8"), FieldTypes.parse("f8").resolve(names));
        assertEquals(DType.parse("chr:S10,pos:i8,pct:f4"), FieldTypes.parse("chr:S10,pos:i8,pct:f4").resolve(names));
    }
}
