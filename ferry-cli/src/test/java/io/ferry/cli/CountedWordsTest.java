package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.ferry.cli.ShmCommandsTest.Run;
import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Singular and plural right wherever a count is printed: `1 dataset`, `1 row`, `2 rows`.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class CountedWordsTest {
    @TempDir
    Path dir;

    @Test
    void counted() {
        assertEquals("0 rows", Units.counted(0, "row"));
        assertEquals("1 row", Units.counted(1, "row"));
        assertEquals("2 datasets", Units.counted(2, "dataset"));
        assertEquals("1,000 datasets", Units.counted(1000, "dataset"));
        for (long n : new long[]{0, 7, 999, 1000, 65_536, 1_234_567, -1_234_567, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(String.format(java.util.Locale.ROOT, "%,d", n), Units.count(n)); // as "%,d" groups
        }
    }

    @Test
    void oneOfEachThroughTheCommands() throws Exception {
        Path one = Files.writeString(dir.resolve("one.txt"), "chr1\t10\t1.5\t3\t4\n");
        String dtype = "chr:S10,pos:i4,pct:f4,c:i4,t:i4";
        Run load = ferry("load", one.toString(), "--dtype", dtype);
        assertTrue(load.out().startsWith(one + ": 1 row, "), load.out());
        // one row of a plain dtype is numpy's (columns,), and still one row of text; a column is (rows,)
        Path grid = Files.writeString(dir.resolve("grid.txt"), "4 5 6\n");
        Run plainRow = ferry("load", grid.toString(), "--dtype", "f8");
        assertTrue(plainRow.out().startsWith(grid + ": 1 row, ") && plainRow.out().contains("shape (3,)"), plainRow.out());
        Path column = Files.writeString(dir.resolve("column.txt"), "4\n5\n6\n");
        Run plainColumn = ferry("load", column.toString(), "--dtype", "f8");
        assertTrue(plainColumn.out().startsWith(column + ": 3 rows, "), plainColumn.out());
        Path h5 = dir.resolve("one.h5");
        Run convert = ferry("convert", one.toString(), "-o", h5.toString(), "--dtype", dtype);
        assertEquals(0, convert.exit(), convert.err());
        assertTrue(convert.out().contains(h5 + ": 1 dataset, 1 row, "), convert.out());
        Path all = dir.resolve("all.h5");
        Run stitch = ferry("stitch", h5.toString(), "-o", all.toString());
        assertEquals(0, stitch.exit(), stitch.err());
        assertTrue(stitch.out().contains(all + ": 1 dataset from 1 part, 1 row"), stitch.out());
        Run generate = ferry("generate", "-o", dir.resolve("g.txt").toString(), "--lines", "1");
        assertTrue(generate.out().contains(": 1 line, "), generate.out());
        Run two = ferry("load", ferry("generate", "-o", dir.resolve("g2.txt").toString(), "--lines", "2").exit() == 0
                ? dir.resolve("g2.txt").toString() : "", "--dtype", dtype);
        assertTrue(two.out().contains(": 2 rows, "), two.out());
        // and in errors: "rows have 1 fields", "for the 1 fields of"
        Path extra = Files.writeString(dir.resolve("extra.txt"), "1\n2 3\n");
        Run tooMany = ferry("load", extra.toString(), "--dtype", "a:f8");
        assertTrue(tooMany.err().contains("is one field too many: rows have 1 field\n"), tooMany.err());
        Run usecols = ferry("load", column.toString(), "--dtype", "a:f8", "--usecols", "0,1");
        assertTrue(usecols.err().contains("usecols names 2 columns for the 1 field of "), usecols.err());
    }
}
