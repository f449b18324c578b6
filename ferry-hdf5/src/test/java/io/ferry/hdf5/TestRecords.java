package io.ferry.hdf5;

import io.ferry.array.Column;
import io.ferry.array.NdArray;
import io.ferry.dtype.DType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/// Record arrays that look like real inputs (so they compress as real ones do), and their bytes on disk for Python.
final class TestRecords {
    static final DType METHYLATION = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");

    private TestRecords() {
    }

    /// Methylation calls: a few chromosomes, increasing positions, small read counts.
    static NdArray methylation(Arena arena, long n, long seed) {
        NdArray a = NdArray.allocate(METHYLATION, arena, n);
        SplittableRandom r = new SplittableRandom(seed);
        Column chr = a.column("chr"), pos = a.column("pos"), pct = a.column("pct"), c = a.column("c"), t = a.column("t");
        long perChr = Math.max(1, n / 5);
        long p = 10_000;
        for (long i = 0; i < n; i++) {
            if (i % perChr == 0) {
                p = 10_000 + r.nextInt(1000);
            }
            p += 2 + r.nextInt(60);
            int cs = r.nextInt(25);
            int ts = r.nextInt(25);
            chr.setBytes(i, ("chr" + (1 + i / perChr)).getBytes(StandardCharsets.US_ASCII));
            pos.setLong(i, p);
            c.setLong(i, cs);
            t.setLong(i, ts);
            pct.setDouble(i, cs + ts == 0 ? 0 : 100.0f * cs / (cs + ts));
        }
        return a;
    }

    /// Random bytes in every element; booleans (one-byte fields of kind `b`) kept to 0 or 1.
    static NdArray random(DType dtype, Arena arena, long seed, long... shape) {
        NdArray a = NdArray.allocate(dtype, arena, shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < a.byteSize(); i++) {
            a.segment().set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt(256));
        }
        if (dtype.isStructured()) {
            for (var f : dtype.fields()) {
                if (f.type().kind() == io.ferry.dtype.Kind.BOOL) {
                    Column col = a.column(f);
                    for (long i = 0; i < a.length(); i++) {
                        col.setLong(i, r.nextInt(2));
                    }
                }
            }
        }
        return a;
    }

    /// Writes an array's bytes to `file`, for Python to compare against.
    static Path save(NdArray a, Path file) {
        try {
            Files.write(file, a.segment().toArray(ValueLayout.JAVA_BYTE));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
