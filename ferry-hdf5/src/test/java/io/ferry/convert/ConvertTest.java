package io.ferry.convert;

import io.ferry.hdf5.Compression;
import io.ferry.hdf5.TargetExistsException;
import io.ferry.pipeline.ConversionException;
import io.ferry.pipeline.ConversionResult;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.ferry.testing.Checkout.EXAMPLES;
import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The library call behind `ferry convert`, with its doc example run as written there.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class ConvertTest {
    @TempDir
    Path dir;

    private static String numpyCheck(Path h5, List<Path> files) {
        List<String> args = new ArrayList<>(List.of(h5.toString()));
        files.forEach(f -> args.add(f.toString()));
        return PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as f:
                    for p in sys.argv[2:]:
                        name = p.split('/')[-1].split('.')[0]
                        d = f[name]
                        a = np.loadtxt(p, dtype=d.dtype, ndmin=1)
                        assert d[...].tobytes() == a.tobytes(), name
                        print(name, len(a), d.compression)
                """, args.toArray(String[]::new));
    }

    @Test
    void theDocExampleWritesWhatNumpyReads() throws Exception {
        Path samples = dir.resolve("samples.h5");
        List<Path> files = List.of(EXAMPLES.resolve("sample1.txt"), EXAMPLES.resolve("sample2.txt"));
        ConversionResult r = Convert.files(files)
                .dtype("chr:S10,pos:i4,pct:f4,c:i4,t:i4")
                .compression(Compression.gzip(4)).shuffle(true)
                .isolation(Isolation.PROCESS)
                .to(samples);
        assertEquals(7000, r.totalRows());
        String said = numpyCheck(samples, files);
        assertTrue(said.contains("sample1 3000 gzip") && said.contains("sample2 4000 gzip"), said);
    }

    @Test
    void anExistingOutputIsRefusedUnlessOverwriting() throws Exception {
        Path out = Files.writeString(dir.resolve("out.h5"), "keep me");
        Convert c = Convert.files(List.of(EXAMPLES.resolve("sample1.txt"))).dtype(SAMPLE_DTYPE);
        assertThrows(TargetExistsException.class, () -> c.to(out));
        assertEquals("keep me", Files.readString(out));
        AtomicBoolean started = new AtomicBoolean();
        ConversionResult r = c.overwrite(true).onStart(conversion -> started.set(true)).to(out);
        assertEquals(3000, r.totalRows());
        assertTrue(started.get());
    }

    @Test
    void aBadFileFailsTheRunOrIsLeftOutWhenKeepingGoing() throws IOException, InterruptedException {
        Path bad = Files.writeString(dir.resolve("bad.txt"), "chr1\t10\t5.0\t1\t2\nchr1\tten\t5.0\t1\t2\n");
        List<Path> files = List.of(EXAMPLES.resolve("sample1.txt"), bad);
        Path out = dir.resolve("out.h5");
        ConversionException e = assertThrows(ConversionException.class, () -> Convert.files(files).dtype(SAMPLE_DTYPE).to(out));
        assertTrue(e.getMessage().contains("bad.txt:2:"), e.getMessage());
        assertFalse(Files.exists(out));

        ConversionResult r = Convert.files(files).dtype(SAMPLE_DTYPE).keepGoing(true).to(out);
        assertEquals(1, r.failures().size());
        assertEquals(3000, r.totalRows());
        assertEquals("sample1 3000 None", numpyCheck(out, List.of(files.get(0))).strip());
    }
}
