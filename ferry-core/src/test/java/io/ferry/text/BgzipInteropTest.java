package io.ferry.text;

import io.ferry.gzip.Gzip;
import io.ferry.sample.MethylationTable;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// BGZF as htslib's `bgzip` writes it (Debian's `tabix`), at its default level, level 1 and with
/// two threads: read in 1 to 7 byte ranges, the rows of the plain file. Under `CI=true` a missing
/// `bgzip` fails the test; elsewhere it skips it.
@org.junit.jupiter.api.Tag("process")
class BgzipInteropTest {
    private static final LoadOptions TAB = LoadOptions.builder().delimiter('\t').build();

    @TempDir
    Path dir;

    @Test
    void bgzipsFilesReadInRangesAsThePlainFile() throws IOException {
        Path plain = dir.resolve("meth.txt");
        MethylationTable.write(plain, 60_000, 8);
        TextLoader loader = TextLoader.of(MethylationTable.DTYPE, TAB);
        byte[] expected = ByteRangeTest.whole(loader, plain);
        for (String options : List.of("", "-l 1", "-@ 2")) {
            Path f = dir.resolve("meth" + options.replaceAll("[^0-9]", "") + ".txt.gz");
            bgzip(plain, f, options);
            assertTrue(Gzip.isBgzf(f), "bgzip " + options + " writes BGZF");
            for (int parts = 1; parts <= 7; parts++) {
                assertArrayEquals(expected, ByteRangeTest.readRanges(loader, f, ByteRange.split(f, parts)), "bgzip " + options + ", " + parts + " parts");
            }
        }
    }

    private static void bgzip(Path in, Path out, String options) throws IOException {
        PythonPeer.Result r;
        try {
            r = PythonPeer.exec(List.of("bash", "-c", "bgzip -c " + options + " < \"$1\" > \"$2\"", "bash", in.toString(),
                    out.toString()), null, 60);
        } catch (IOException e) {
            r = new PythonPeer.Result(127, "", e.getMessage());
        }
        if (r.exit() == 127) {
            String why = "bgzip is not installed (Debian's tabix): " + r.stderr().strip();
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        assertEquals(0, r.exit(), r.toString());
    }
}
