package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.ferry.cli.ShmCommandsTest.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry convert --dtype f8`: each input a 2-D dataset, as h5py reads it equal to
/// `np.loadtxt(…, ndmin=2)`; the README's grid example run as written.
@ExtendWith(ShmLeakCheck.class)
class GridCommandTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleRunsAsWritten() throws IOException {
        var example = ReadmeExample.withPython("grid example");
        var r = ReadmeExample.runIn(dir, "grid.txt", example.command());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1 dataset, 4 rows"), r.out());
        ReadmeExample.assertPythonPrintsWhatItSays(dir, example.python());
    }

    @Test
    void gridsInThreadsAndProcessesAreIdenticalAndEqualToNumpy() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), rows(2_000, 9, "%d.25"));
        Path b = Files.writeString(dir.resolve("b.csv"), "x,y\n" + rows(300, 2, "%de-3").replace(' ', ','));
        Path threads = dir.resolve("t.h5");
        Path processes = dir.resolve("p.h5");
        for (String[] how : new String[][]{{"thread", threads.toString()}, {"process", processes.toString()}}) {
            var r = ferry("convert", a.toString(), "-o", how[1], "--dtype", "f4", "--isolation", how[0], "--workers", "2",
                    "--chunk-rows", "500", "--shuffle", "--compression", "gzip:1", "-q");
            assertEquals(0, r.exit(), r.err());
        }
        var r = ferry("convert", b.toString(), "-o", dir.resolve("b.h5").toString(), "--dtype", "<f8", "--delimiter", ",",
                "--skiprows", "1", "--usecols", "1", "-q");
        assertEquals(0, r.exit(), r.err());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                t, p, b = (h5py.File(f, 'r') for f in sys.argv[1:4])
                a = np.loadtxt(sys.argv[4], dtype='f4', ndmin=2)
                assert t['a'][...].tobytes() == a.tobytes() == p['a'][...].tobytes()
                assert t['a'].dtype == np.float32 and t['a'].chunks == (500, 9) and t['a'].shuffle
                c = np.loadtxt(sys.argv[5], delimiter=',', skiprows=1, usecols=1, ndmin=2)
                assert b['b'][...].tobytes() == c.tobytes(), (b['b'][...], c)
                print(t['a'].shape, b['b'].shape, t['a'].attrs['dtype'])
                """, threads.toString(), processes.toString(), dir.resolve("b.h5").toString(), a.toString(), b.toString());
        assertEquals("(2000, 9) (300, 1) \"<f4\"", said.strip());
    }

    @Test
    void aRaggedRowOrAnOutOfRangeValueFailsWithFileAndLineAndWritesNothing() throws IOException {
        Path ragged = Files.writeString(dir.resolve("ragged.txt"), "1 2 3\n4 5 6\n7 8 9 10\n");
        Path out = dir.resolve("out.h5");
        var r = ferry("convert", ragged.toString(), "-o", out.toString(), "--dtype", "f8");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("ragged.txt:3:7: column 4: '10' is one field too many: rows have 3 fields"), r.err());

        Path big = Files.writeString(dir.resolve("big.txt"), "1 2\n3 40000\n");
        r = ferry("convert", big.toString(), "-o", out.toString(), "--dtype", "i2");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("big.txt:2:3: column 2 (2 of 2): '40000' is out of range for <i2"), r.err());
        try (var left = Files.list(dir)) {
            assertEquals(2, left.count(), "only the inputs remain");
        }
        assertFalse(Files.exists(out));
    }

    private static String rows(int n, int columns, String format) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < columns; c++) {
                b.append(c == 0 ? "" : " ").append(String.format(format, i * columns + c - 500));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
