package io.ferry.convert;

import io.ferry.hdf5.Compression;
import io.ferry.pipeline.ConversionException;
import io.ferry.pipeline.ConversionResult;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import io.ferry.text.LoadOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A plain dtype converts each input into a grid, a 2-D dataset rows × columns, that h5py reads
/// equal to `np.loadtxt(file, dtype, ndmin=2)`, byte for byte.
@ExtendWith(ShmLeakCheck.class)
class GridConvertTest {
    @TempDir
    static Path inputs;
    @TempDir
    Path dir;

    static Path wide;     // 3,000 rows × 40 columns
    static Path narrow;   // 500 rows × 3 columns, gzip
    static Path big;      // ~10 MB: cut into parts among workers

    @BeforeAll
    static void makeInputs() throws IOException {
        wide = grid(inputs.resolve("wide.txt"), 3_000, 40, 1, false);
        narrow = grid(inputs.resolve("narrow.txt.gz"), 500, 3, 2, true);
        big = grid(inputs.resolve("big.txt"), 120_000, 8, 3, false);
    }

    /// Writes `rows` lines of `columns` numbers, in the spellings numbers take in such files.
    static Path grid(Path file, int rows, int columns, long seed, boolean gzip) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw;
             Writer w = new java.io.OutputStreamWriter(new java.io.BufferedOutputStream(o, 1 << 16))) {
            w.write("# a grid\n");
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    double v = (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(-3, 7));
                    w.write(c == 0 ? "" : " ");
                    w.write(switch (random.nextInt(4)) {
                        case 0 -> Long.toString((long) v);
                        case 1 -> String.format(Locale.ROOT, "%.4f", v);
                        case 2 -> String.format(Locale.ROOT, "%.6e", v);
                        default -> Double.toString(v);
                    });
                }
                w.write('\n');
            }
        }
        return file;
    }

    /// {@return what h5py says of each dataset}, after asserting that each equals np.loadtxt of its input
    static String numpyCheck(Path h5, String dtype, String loadtxtOptions, List<Path> files) {
        List<String> args = new ArrayList<>(List.of(h5.toString(), dtype, loadtxtOptions));
        files.forEach(f -> args.add(f.toString()));
        return PythonPeer.run("""
                import sys, h5py, numpy as np, warnings
                warnings.simplefilter('ignore')   # numpy warns of an empty file
                with h5py.File(sys.argv[1], 'r') as f:
                    for p in sys.argv[4:]:
                        name = p.split('/')[-1].split('.')[0]
                        d = f[name]
                        a = np.loadtxt(p, dtype=np.dtype(sys.argv[2]), ndmin=2, **eval('dict(' + sys.argv[3] + ')'))
                        assert d.dtype == a.dtype, (name, d.dtype, a.dtype)
                        assert d.shape == a.shape, (name, d.shape, a.shape)
                        assert d.chunks[1:] == a.shape[1:], (name, d.chunks)
                        assert d[...].tobytes() == a.tobytes(), name
                        assert d.attrs['rows'] == a.shape[0], name
                        print(name, d.shape, d.chunks, d.compression, d.shuffle)
                """, args.toArray(String[]::new));
    }

    @Test
    void eachInputIsAGridOfItsOwnColumnsInThreadsAndProcessesAlike() throws Exception {
        List<Path> files = List.of(wide, narrow, big);
        Path threads = dir.resolve("threads.h5");
        ConversionResult r = Convert.files(files).dtype("f8").workers(2).memory(4 << 20).chunkRows(1000)
                .compression(Compression.gzip(4)).shuffle(true).to(threads);
        assertEquals(123_500, r.totalRows());
        String said = numpyCheck(threads, "f8", "", files);
        assertTrue(said.contains("wide (3000, 40) (1000, 40) gzip True"), said);
        assertTrue(said.contains("narrow (500, 3) ("), said); // a chunk of about its estimated rows
        assertTrue(said.contains("big (120000, 8) (1000, 8) gzip True"), said);

        Path processes = dir.resolve("processes.h5");
        Convert.files(files).dtype("f8").workers(2).memory(4 << 20).chunkRows(1000).isolation(Isolation.PROCESS)
                .to(processes);
        assertEquals(said.replace("gzip True", "None False"), numpyCheck(processes, "f8", "", files));
    }

    @Test
    void float32AndIntegersBitForBitAndUsecolsChoosesTheColumns() throws Exception {
        Path out = dir.resolve("f4.h5");
        Convert.files(List.of(wide)).dtype("<f4").to(out);
        assertTrue(numpyCheck(out, "<f4", "", List.of(wide)).contains("wide (3000, 40)"));

        Path ints = Files.writeString(dir.resolve("ints.txt"), "1 2 3\n-4 5 60000\n");
        Path cols = dir.resolve("cols.h5");
        Convert.files(List.of(ints)).dtype(">i4").loadOptions(LoadOptions.builder().useCols(2, 0).build()).to(cols);
        assertTrue(numpyCheck(cols, ">i4", "usecols=(2, 0)", List.of(ints)).startsWith("ints (2, 2) ("));
    }

    @Test
    void oneRowOneColumnAndNoRowsAreShapedAsNdmin2() throws Exception {
        Path row = Files.writeString(dir.resolve("row.txt"), "1.5 2.5 3.5\n");
        Path column = Files.writeString(dir.resolve("column.txt"), "1\n2\n3\n");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "# nothing\n");
        Path out = dir.resolve("shapes.h5");
        Convert.files(List.of(row, column, empty)).dtype("f8").to(out);
        String said = numpyCheck(out, "f8", "", List.of(row, column, empty));
        assertTrue(said.contains("row (1, 3)") && said.contains("column (3, 1)") && said.contains("empty (0, 1)"), said);
        // max_rows=0 reads no row: numpy's (0, 1), not the first row's columns (it was (0, 3))
        Path none = dir.resolve("none.h5");
        Convert.files(List.of(row)).dtype("f8").loadOptions(LoadOptions.builder().maxRows(0).build()).to(none);
        assertTrue(numpyCheck(none, "f8", "max_rows=0", List.of(row)).startsWith("row (0, 1)"));
    }

    @Test
    void aRowOfOtherColumnsIsTheStrictErrorAndLeavesNothing() throws IOException {
        Path ragged = Files.writeString(dir.resolve("ragged.txt"), "1 2 3\n4 5 6\n7 8\n");
        Path out = dir.resolve("ragged.h5");
        ConversionException e = assertThrows(ConversionException.class,
                () -> Convert.files(List.of(wide, ragged)).dtype("f8").to(out));
        assertTrue(e.getMessage().contains("ragged.txt:3:") && e.getMessage().contains("2 fields")
                && e.getMessage().contains("3"), e.getMessage());
        assertFalse(Files.exists(out));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(ragged), left.toList());
        }
    }
}
