package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The examples in the doc comments of `io.ferry.text` and `io.ferry.sample`, as written there
/// (with `assert` made into assertions).
class DocExamplesTest {
    @TempDir
    Path dir;

    @Test
    void loadOptions() {
        LoadOptions tsv = LoadOptions.builder().delimiter('\t').skipRows(1).useCols(0, 1, 4).build();
        assertTrue(tsv.delimiter() == '\t' && tsv.comments().equals(List.of("#")) && tsv.skipRows() == 1);
        LoadOptions csv = LoadOptions.builder().delimiter(',').quoteChar('"').build();
        LoadOptions code = LoadOptions.builder().comments("#", "//").build();
        assertTrue(csv.quoteChar() == '"' && code.comments().size() == 2);
        assertTrue(LoadOptions.DEFAULT.delimiter() == LoadOptions.WHITESPACE && !LoadOptions.DEFAULT.lenient());
    }

    @Test
    void byteRange() {
        List<ByteRange> parts = ByteRange.split(1000, 3);
        assertTrue(parts.equals(List.of(new ByteRange(0, 333), new ByteRange(333, 666), new ByteRange(666, 1000))));
    }

    @Test
    void textLoader() throws IOException {
        Path file = dir.resolve("meth.txt");
        MethylationTable.write(file, 100, 1);
        Path numbers = Files.writeString(dir.resolve("numbers.txt"), "1 2 3\n4 5 6\n");

        DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
        TextLoader loader = TextLoader.of(dt, LoadOptions.builder().delimiter('\t').build());
        try (Arena arena = Arena.ofConfined()) {
            NdArray table = loader.load(file, arena);          // one record per row
            assertTrue(table.column("chr").getString(0).equals("chr1"));

            NdArray grid = TextLoader.of(DType.parse("f8")).load(numbers, arena); // rows x columns
            assertTrue(grid.ndim() == 2);
        }
    }

    @Test
    void tableReader() throws IOException {
        Path file = dir.resolve("meth.txt");
        MethylationTable.write(file, 10_000, 1);

        DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
        TextLoader loader = TextLoader.of(dt, LoadOptions.builder().delimiter('\t').build());
        long total = 0;
        try (Arena arena = Arena.ofConfined(); TableReader r = loader.open(file)) {
            long chunkRows = 4096;
            MemorySegment chunk = arena.allocate(chunkRows * r.rowBytes());
            for (long n; (n = r.read(chunk, chunkRows)) > 0; ) {
                total += n;                    // rows 0..n-1 of chunk are this chunk's records
            }
            assertTrue(total == r.rowsRead());
        }
        assertEquals(10_000, total);
    }

    @Test
    void methylationTable() throws IOException {
        Path file = Files.createTempFile("meth", ".txt");
        try {
            MethylationTable.write(file, 1000, 42);
            assertTrue(Files.readAllLines(file).size() == 1000);
            assertTrue(MethylationTable.DTYPE.itemSize() == 26);
        } finally {
            Files.delete(file);
        }
    }
}
