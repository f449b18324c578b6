package io.ferry;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/// Daemon platform threads named `prefix1`, `prefix2`, and so on: what
/// `Thread.ofPlatform().daemon().name(prefix, 1).factory()` makes, numbered here by an
/// [AtomicInteger]. The builder numbers its threads through a var handle, whose first use in a
/// JVM spins six method-handle classes that the JVM's start-up cache does not keep: a few
/// milliseconds on the way to every `ferry share` and `ferry load`'s first rows.
///
/// ```java
/// ExecutorService pool = Executors.newFixedThreadPool(2, new DaemonThreads("ferry-load-"));
/// ```
public final class DaemonThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger made = new AtomicInteger();

    /// Threads named `prefix` and their number, from 1.
    public DaemonThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        return Thread.ofPlatform().daemon().name(prefix + made.incrementAndGet()).unstarted(task);
    }
}
