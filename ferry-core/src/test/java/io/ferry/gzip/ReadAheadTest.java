package io.ferry.gzip;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// [ReadAhead] gives the stream's bytes as they are, its failure after the bytes before it (and
/// again on every later read), and stops its thread on close, however far ahead it got.
class ReadAheadTest {
    @Test
    void theSameBytesInPiecesOfAnySize() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        for (int round = 0; round < 20; round++) {
            byte[] data = new byte[r.nextInt(round < 5 ? 10 : 3_000_000)];
            r.nextBytes(data);
            int piece = 1 + r.nextInt(r.nextBoolean() ? 10 : 600_000);
            try (ReadAhead in = new ReadAhead(new Trickle(data, r.nextInt(1, 100_000), null), "t")) {
                assertArrayEquals(data, readAll(in, piece));
                assertEquals(-1, in.read(new byte[3]), "stays at the end");
            }
        }
    }

    @Test
    void theFailureAfterTheBytesBeforeIt() throws IOException {
        byte[] data = new byte[1_500_000];
        new SplittableRandom(2).nextBytes(data);
        GzipFormatException failure = new GzipFormatException(GzipFormatException.Problem.BAD_CRC, "x.gz", 2, 99, "bad");
        ReadAhead in = new ReadAhead(new Trickle(data, 70_000, failure), "t");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] b = new byte[10_000];
        GzipFormatException e = assertThrows(GzipFormatException.class, () -> {
            for (int n; (n = in.read(b, 0, b.length)) >= 0; ) {
                got.write(b, 0, n);
            }
        });
        assertSame(failure, e);
        assertArrayEquals(data, got.toByteArray(), "every byte before the failure");
        assertSame(failure, assertThrows(GzipFormatException.class, () -> in.read(b, 0, 1)));
        in.close();
        in.close();
        assertThrows(IOException.class, in::read);
    }

    @Test
    void closeStopsTheThreadAndClosesTheStream() {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            byte[] data = new byte[20_000_000];
            Trickle source = new Trickle(data, 1 << 16, null);
            ReadAhead in = new ReadAhead(source, "t");
            assertTrue(in.read(new byte[100]) > 0);
            Thread.sleep(50); // the thread fills every chunk and waits
            in.close();
            assertTrue(source.closed.get());
            assertTrue(source.served < data.length, "it stopped reading ahead");
        });
    }

    private static byte[] readAll(InputStream in, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[piece];
        for (int n; (n = in.read(b, 0, piece)) >= 0; ) {
            assertTrue(n > 0);
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    /// `data` in reads of at most `most` bytes, then `failure` (if any) instead of the end.
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream in;
        private final int most;
        private final RuntimeException failure;
        final AtomicBoolean closed = new AtomicBoolean();
        volatile int served;

        Trickle(byte[] data, int most, RuntimeException failure) {
            this.in = new ByteArrayInputStream(data);
            this.most = most;
            this.failure = failure;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = in.read(b, off, Math.min(len, most));
            if (n < 0 && failure != null) {
                throw failure;
            }
            served += Math.max(0, n);
            return n;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
