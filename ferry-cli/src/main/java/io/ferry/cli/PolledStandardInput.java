package io.ferry.cli;

import io.ferry.libc.Libc;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/// Standard input for a thread that reads it beside a command's work, to its end (a driver's
/// words, or only the end that says the driver is gone): each read waits for data in polls of
/// [#POLL_MILLIS] rather than in a blocking `read(2)`, and reads only once there is something.
///
/// A thread blocked in `read` is in native code, and the JVM's exit waits up to 300 ms for such
/// threads (HotSpot's `UserThreadWaitAttemptsAtExit`): every `ferry convert --json` that a program
/// drove, whose standard input stays open to the end, exited 0.3 s after its result (a third of
/// `ferry.convert`'s time for the three samples). A thread between polls is waiting in native
/// code for at most [#POLL_MILLIS], and data wakes it at once.
///
/// Where `poll(2)` cannot be called (native access refused), reads block as `System.in`'s do.
final class PolledStandardInput extends InputStream {
    /// The longest one wait in native code lasts.
    static final int POLL_MILLIS = 20;
    private static final int STDIN = 0;

    private final InputStream in = new FileInputStream(FileDescriptor.in);
    private boolean polling = true;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        awaitSomething();
        return in.read(b, off, len);
    }

    private void awaitSomething() throws InterruptedIOException {
        while (polling) {
            try {
                if (Libc.readable(STDIN, POLL_MILLIS)) {
                    return;
                }
            } catch (RuntimeException | LinkageError e) { // no native access: block in read instead
                polling = false;
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for standard input");
            }
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }
}
