package io.ferry.gzip;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/// A stream read ahead on a thread of its own: while the caller parses one chunk, the thread fills
/// the next. For a gzip file read whole, inflating and parsing then overlap on two cores instead of
/// taking turns on one (a plain gzip stream cannot be cut, so this is the parallelism it has).
///
/// ```text
///  reader thread:  in.read ──► [chunk] [chunk] [chunk] [chunk] ──► caller's read
///                              ◄──────── free chunks back ─────────
/// ```
///
/// Four chunks of 256 KiB go round and round. A failure of the stream (a [GzipFormatException],
/// an [IOException]) reaches the caller at the point of the text where it happened, after every
/// byte before it, and again on every later read. [#close()] stops the thread and waits for it
/// before closing the stream, so the stream is never used by two threads at once.
public final class ReadAhead extends BlockReadStream {
    private static final int CHUNK = 1 << 18;
    private static final int CHUNKS = 4;

    /// A chunk of text, the end (`length` -1), or the failure that ended the stream.
    private record Chunk(byte[] bytes, int length, Throwable failure) {
    }

    private static final Chunk END = new Chunk(null, -1, null);

    private final InputStream in;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread thread;
    private volatile boolean closed;

    private Chunk current;
    private int pos;
    private boolean ended;
    private Throwable failure;

    /// Starts reading `in` ahead; `name` names the thread.
    public ReadAhead(InputStream in, String name) {
        this.in = Objects.requireNonNull(in, "in");
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        this.thread = Thread.ofPlatform().daemon().name("ferry-read-ahead " + name).start(this::fill);
    }

    private void fill() {
        try {
            while (!closed) {
                byte[] b = free.take();
                int n = 0;
                Throwable failed = null;
                try {
                    while (n < b.length) {
                        int r = in.read(b, n, b.length - n);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                } catch (Throwable t) {
                    failed = t;
                }
                if (n > 0) {
                    full.put(new Chunk(b, n, null)); // the bytes before a failure first
                }
                if (failed != null || n < b.length) {
                    if (!closed) {
                        full.put(failed != null ? new Chunk(null, 0, failed) : END); // room is kept for it: CHUNKS + 1
                    }
                    return;
                }
            }
        } catch (InterruptedException stop) {
            // closed
        }
    }

    /// Reads what the thread has read. {@return how many bytes, at least 1, or -1 at the end}
    /// @throws IOException what the stream threw (a [GzipFormatException] is unchecked, and thrown
    ///         as it is), or when closed
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("the stream is closed");
        }
        if (len == 0) {
            return 0;
        }
        while (current == null || pos == current.length()) {
            if (current != null) {
                free.offer(current.bytes());
                current = null;
            }
            if (failure != null) {
                throw rethrow(failure);
            }
            if (ended) {
                return -1;
            }
            Chunk c;
            try {
                c = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the stream");
            }
            if (c.failure() != null) {
                failure = c.failure();
            } else if (c == END) {
                ended = true;
            } else {
                current = c;
                pos = 0;
            }
        }
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.bytes(), pos, b, off, n);
        pos += n;
        return n;
    }

    private static IOException rethrow(Throwable t) {
        switch (t) {
            case IOException e -> {
                return e;
            }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new UncheckedIOException(new IOException(t));
        }
    }

    /// Stops the thread, waits for it, and closes the stream; idempotent.
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        in.close();
    }
}
