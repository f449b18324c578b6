package io.ferry.convert;

import io.ferry.FerryException;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ferry.testing.Checkout.EXAMPLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// [Convert#header(String)]: the fields named by the inputs' header line, as np.genfromtxt(names=True).
@ExtendWith(ShmLeakCheck.class)
class HeaderConvertTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleAndUseColumnsByName() throws Exception {
        Path calls = EXAMPLES.resolve("calls.tsv");
        Path out = dir.resolve("calls.h5");
        Convert.files(List.of(calls)).header("S10,i4,f4,i4,i4").overwrite(true).to(out);
        Path some = dir.resolve("some.h5");
        Convert.files(List.of(calls)).header("f8").useColumns(List.of("t", "pos")).to(some);
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                d = h5py.File(sys.argv[1], 'r')['calls']
                g = np.genfromtxt(sys.argv[3], names=True, dtype=d.dtype, delimiter='\\t')
                assert d[...].tobytes() == g.tobytes()
                s = h5py.File(sys.argv[2], 'r')['calls']
                h = np.genfromtxt(sys.argv[3], names=True, dtype='f8', delimiter='\\t', usecols=('t', 'pos'))
                assert s[...].tobytes() == h.tobytes() and s.dtype == h.dtype, (s.dtype, h.dtype)
                print(d.dtype.names, s.dtype.names, len(d))
                """, out.toString(), some.toString(), calls.toString());
        assertEquals("('chr', 'pos', 'pct', 'c', 't') ('t', 'pos') 8", said.strip());
    }

    @Test
    void typesThatDoNotFitTheHeaderFailBeforeAnyWork() throws Exception {
        Path out = dir.resolve("x.h5");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Convert.files(List.of(EXAMPLES.resolve("calls.tsv"))).header("S10,i4").to(out));
        assertTrue(e.getMessage().contains("gives 2 types for the 5 columns"), e.getMessage());
        Path other = Files.writeString(dir.resolve("other.tsv"), "chr\tpos\n");
        var f = assertThrows(FerryException.class,
                () -> Convert.files(List.of(EXAMPLES.resolve("calls.tsv"), other)).header("f8").to(out));
        assertTrue(f.getMessage().contains("at column 3: nothing here, 'pct' there"), f.getMessage());
        assertTrue(Files.notExists(out));
    }
}
