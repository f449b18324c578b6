package io.ferry.hdf5.deflate;

import org.junit.jupiter.api.Assumptions;

import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// For tests that deflate: the system libraries as test peers, chunks that compress as records do,
/// and the JDK's zlib to check what was written.
public final class DeflateLibraries {
    private DeflateLibraries() {
    }

    /// libdeflate and ISA-L are test peers like h5py: missing, they fail the test under `CI=true`
    /// (.ci/run installs `libdeflate0` and `libisal2`), else skip it.
    public static void require(DeflateLibrary library) {
        if (!library.available()) {
            String why = library + " cannot be loaded: " + library.problem() + " (.ci/run installs "
                    + (library == DeflateLibrary.ISAL ? "libisal2" : "libdeflate0") + ")";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    /// Records that compress as real ones do: small numbers, repeated strings.
    public static byte[] recordLike(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i % 26 < 4 ? r.nextInt(3) : i % 7);
        }
        return data;
    }

    /// {@return the `size` bytes of the zlib stream `z`}, checking that it ends (Adler-32 included)
    /// with no bytes after it
    public static byte[] inflate(byte[] z, int size) throws DataFormatException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(z);
            byte[] plain = new byte[size + 1];
            int n = inf.inflate(plain);
            assertTrue(inf.finished(), "the zlib stream ends (Adler-32 checked)");
            assertEquals(z.length, z.length - inf.getRemaining(), "no bytes after the stream");
            return java.util.Arrays.copyOf(plain, n);
        } finally {
            inf.end();
        }
    }
}
