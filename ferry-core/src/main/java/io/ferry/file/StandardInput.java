package io.ferry.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

/// `-` as an input: the process's standard input, as Unix tools read it. A file that is really
/// named `-` is still reachable as `./-`.
///
/// ```java
/// assert StandardInput.is(Path.of("-"));
/// assert !StandardInput.is(Path.of("./-"));
/// ```
///
/// Standard input can be read once only, yet a load may look at its start before it reads it (a
/// plain dtype's columns, a negative `usecols`, are counted in the first data row): readers take
/// it from [#stream()], and what a look ([#peek(Look)]) read is read again by the next reader.
public final class StandardInput {
    /// The path that stands for standard input.
    public static final Path PATH = Path.of("-");
    /// The dataset standard input becomes unless named otherwise.
    public static final String DATASET = "stdin";
    /// How messages name it, where they would name a file.
    public static final String DESCRIPTION = "standard input";

    private static Replayed stream;

    private StandardInput() {
    }

    /// {@return whether `path` stands for standard input}
    public static boolean is(Path path) {
        return PATH.equals(path);
    }

    /// {@return the process's standard input as every reader of `-` reads it}: one stream for the
    /// run, which closing leaves open
    public static synchronized InputStream stream() {
        if (stream == null) {
            stream = new Replayed(System.in);
        }
        return stream;
    }

    /// What a look at the start of standard input makes of it.
    @FunctionalInterface
    public interface Look<T> {
        /// {@return what the look saw}, reading [#stream()]
        /// @throws IOException when standard input cannot be read
        T at() throws IOException;
    }

    /// {@return what `look` makes of the start of standard input}, every byte it read given back
    /// for the next reader of [#stream()]
    /// @throws IOException when standard input cannot be read
    public static <T> T peek(Look<T> look) throws IOException {
        Replayed in = (Replayed) stream();
        in.record();
        try {
            return look.at();
        } finally {
            in.giveBack();
        }
    }

    /// An input whose bytes read while recording are read again after: a look's bytes come first,
    /// then the rest of the source.
    private static final class Replayed extends InputStream {
        private final InputStream source;
        private byte[] again = new byte[0];
        private int at;
        private ByteArrayOutputStream recorded;   // while a look reads

        Replayed(InputStream source) {
            this.source = source;
        }

        synchronized void record() {
            if (recorded != null) {
                throw new IllegalStateException("standard input is being looked at already");
            }
            recorded = new ByteArrayOutputStream();
        }

        synchronized void giveBack() {
            byte[] seen = recorded.toByteArray();
            recorded = null;
            byte[] rest = Arrays.copyOfRange(again, at, again.length);   // given back before, not read again yet
            again = Arrays.copyOf(seen, seen.length + rest.length);
            System.arraycopy(rest, 0, again, seen.length, rest.length);
            at = 0;
        }

        @Override
        public synchronized int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n;
            if (at < again.length) {
                n = Math.min(len, again.length - at);
                System.arraycopy(again, at, b, off, n);
                at += n;
                if (at == again.length) {
                    again = new byte[0];
                    at = 0;
                }
            } else {
                n = source.read(b, off, len);
            }
            if (n > 0 && recorded != null) {
                recorded.write(b, off, n);
            }
            return n;
        }

        @Override
        public void close() {
            // the JVM's standard input stays open for the next reader
        }
    }
}
