package io.ferry.gzip;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// [IsalDeflateDecoder] gives the bytes [JdkDeflateDecoder] gives, and leaves the same bytes
/// after the deflate data, on random data and text at every level, fed and drained in pieces of
/// any size; and refuses what zlib refuses.
class IsalDeflateDecoderTest {
    @BeforeEach
    void isal() {
        if (!IsalInflate.LOADED.available()) {
            String why = "ISA-L cannot be loaded: " + IsalInflate.LOADED.problemOrEmpty();
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    @Test
    void theSameBytesAsTheJdksOnRandomDataAndText() throws DataFormatException {
        SplittableRandom r = new SplittableRandom(42);
        for (int round = 0; round < 120; round++) {
            byte[] data = sample(r, r.nextInt(round < 10 ? 10 : 600_000));
            int level = new int[] {0, 1, 6, 9}[r.nextInt(4)];
            byte[] packed = deflate(data, level, r.nextBoolean());
            byte[] trailing = new byte[r.nextInt(20)];
            r.nextBytes(trailing);
            byte[] input = GzipStreamTest.concat(packed, trailing);
            int inPiece = 1 + r.nextInt(r.nextBoolean() ? 100 : 200_000);
            int outPiece = 1 + r.nextInt(r.nextBoolean() ? 100 : 300_000);
            Result jdk;
            Result isal;
            try (DeflateDecoder j = new JdkDeflateDecoder(); DeflateDecoder i = DeflateDecoder.streaming()) {
                assertTrue(i instanceof IsalDeflateDecoder);
                jdk = run(j, input, inPiece, outPiece);
                isal = run(i, input, inPiece, outPiece);
            }
            String what = "round " + round + ": " + data.length + " bytes, level " + level + ", pieces " + inPiece + "/" + outPiece;
            assertArrayEquals(data, jdk.text(), what);
            assertArrayEquals(data, isal.text(), what);
            assertEquals(trailing.length, jdk.left(), what);
            assertEquals(trailing.length, isal.left(), what);
        }
    }

    @Test
    void resetForTheNextStream() throws DataFormatException {
        SplittableRandom r = new SplittableRandom(7);
        try (DeflateDecoder d = DeflateDecoder.streaming()) {
            for (int k = 0; k < 20; k++) {
                byte[] data = sample(r, r.nextInt(100_000));
                d.reset();
                assertArrayEquals(data, run(d, deflate(data, 6, false), 4096, 65536).text());
            }
        }
    }

    @Test
    void invalidDataIsRefused() {
        byte[] bad = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00, 0x12}; // block type 3: reserved
        try (DeflateDecoder d = DeflateDecoder.streaming()) {
            assertThrows(DataFormatException.class, () -> run(d, bad, 5, 100));
        }
        try (DeflateDecoder d = new JdkDeflateDecoder()) {
            assertThrows(DataFormatException.class, () -> run(d, bad, 5, 100));
        }
    }

    record Result(byte[] text, int left) {
    }

    /// Inflates `input` fed `inPiece` bytes at a time into `outPiece`-byte reads, as GzipStream does.
    static Result run(DeflateDecoder d, byte[] input, int inPiece, int outPiece) throws DataFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[outPiece];
        int fed = Math.min(inPiece, input.length);
        d.setInput(input, 0, fed);
        int lastGiven = fed;
        while (true) {
            int n = d.inflate(b, 0, b.length);
            out.write(b, 0, n);
            if (n > 0) {
                continue;
            }
            if (d.finished()) {
                int left = d.remaining() + (input.length - fed);
                assertTrue(d.remaining() <= lastGiven, "left within the last input");
                return new Result(out.toByteArray(), left);
            }
            assertTrue(d.needsInput(), "neither output nor a need of input");
            if (fed == input.length) {
                throw new AssertionError("the deflate data did not end");
            }
            int n2 = Math.min(inPiece, input.length - fed);
            d.setInput(input, fed, n2);
            fed += n2;
            lastGiven = n2;
        }
    }

    private static byte[] deflate(byte[] data, int level, boolean flushes) {
        Deflater def = new Deflater(level, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[65536];
        int half = data.length / 2;
        def.setInput(data, 0, flushes ? half : data.length);
        if (flushes) {
            for (int n; (n = def.deflate(b, 0, b.length, Deflater.FULL_FLUSH)) > 0; ) {
                out.write(b, 0, n);
            }
            def.setInput(data, half, data.length - half);
        }
        def.finish();
        while (!def.finished()) {
            out.write(b, 0, def.deflate(b));
        }
        def.end();
        return out.toByteArray();
    }

    /// Random bytes, or text with repeats (lines of a table), or runs: what deflate meets.
    private static byte[] sample(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        switch (r.nextInt(3)) {
            case 0 -> r.nextBytes(b);
            case 1 -> {
                StringBuilder s = new StringBuilder();
                while (s.length() < n) {
                    s.append("chr").append(r.nextInt(1, 23)).append('\t').append(r.nextInt(1_000_000)).append('\t')
                            .append(r.nextInt(101)).append('\t').append(r.nextInt(40)).append('\t').append(r.nextInt(40)).append('\n');
                }
                System.arraycopy(s.toString().getBytes(StandardCharsets.US_ASCII), 0, b, 0, n);
            }
            default -> {
                for (int i = 0; i < n; ) {
                    int run = Math.min(n - i, 1 + r.nextInt(300));
                    java.util.Arrays.fill(b, i, i + run, (byte) r.nextInt(4));
                    i += run;
                }
            }
        }
        return b;
    }
}
