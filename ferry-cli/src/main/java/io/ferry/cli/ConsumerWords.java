package io.ferry.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/// The lines a consumer writes to `ferry share`'s standard input, read on a thread of their own so
/// that the command can wait for them, for its loading and for a deadline at once.
final class ConsumerWords {
    /// What [#next(long)] returns once the input has ended (and every time after).
    static final String END = "\u0000end of input";

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile boolean ended;
    private boolean endReturned;

    private ConsumerWords() {
    }

    /// {@return words that never come}: for a share whose table is standard input, where no
    /// consumer can speak (and whose end says nothing of one)
    static ConsumerWords none() {
        return new ConsumerWords();
    }

    /// {@return the words of `in`}, read from now on by a daemon thread
    static ConsumerWords listen(InputStream in) {
        ConsumerWords w = new ConsumerWords();
        Thread.ofPlatform().daemon().name("ferry-share-stdin").start(() -> w.read(in));
        return w;
    }

    private void read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line.strip());
            }
        } catch (IOException e) {
            // a closed or broken standard input is its end
        } finally {
            ended = true;
            lines.add(END);
        }
    }

    /// {@return the next line, stripped, or [#END] (then every time after, each call taking
    /// `millis`), or null when none came within `millis`}
    String next(long millis) throws InterruptedException {
        if (endReturned) {
            Thread.sleep(millis);
            return END;
        }
        String line = lines.poll(millis, TimeUnit.MILLISECONDS);
        endReturned = line == END;
        return line;
    }

    /// {@return whether the input has ended with no line left before its end}: a driver that said
    /// `done` and went has still said it
    boolean drained() {
        return endReturned || ended && lines.peek() == END;
    }
}
