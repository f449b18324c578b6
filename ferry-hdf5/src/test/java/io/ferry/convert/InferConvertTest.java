package io.ferry.convert;

import io.ferry.dtype.DType;
import io.ferry.pipeline.ConversionException;
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

/// [Convert#inferDtype()]: one dtype chosen from a sample of every input.
@ExtendWith(ShmLeakCheck.class)
class InferConvertTest {
    @TempDir
    Path dir;

    @Test
    void oneDtypeForAllInputsAndAGridWhenEveryColumnIsOneNumberType() throws Exception {
        Path out = dir.resolve("s.h5");
        Convert c = Convert.files(List.of(EXAMPLES.resolve("sample1.txt"), EXAMPLES.resolve("sample4.txt.gz"))).inferDtype();
        assertEquals(DType.parse("f0:S8,f1:i8,f2:f8,f3:i8,f4:i8"), c.dtype(out));
        assertEquals(8000, c.to(out).totalRows());
        Path grid = dir.resolve("g.h5");
        Convert g = Convert.files(List.of(EXAMPLES.resolve("grid.txt"))).inferDtype();
        assertEquals(DType.parse("f8"), g.dtype(grid));
        g.to(grid);
        assertEquals("(4, 6) float64", PythonPeer.run("""
                import sys, h5py
                d = h5py.File(sys.argv[1], 'r')['grid']
                print(d.shape, d.dtype)
                """, grid.toString()).strip());
    }

    @Test
    void aValuePastTheSampleIsTheLoadersError() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 200_000; i++) { // 1.3 MB: past the 1 MiB sample
            b.append(i).append('\n');
        }
        Path f = Files.writeString(dir.resolve("n.txt"), b + "1.5\n");
        Path out = dir.resolve("n.h5");
        ConversionException e = assertThrows(ConversionException.class, () -> Convert.files(List.of(f)).inferDtype().to(out));
        assertTrue(e.getMessage().contains("n.txt:200001:"), e.getMessage());
        assertTrue(Files.notExists(out));
    }
}
