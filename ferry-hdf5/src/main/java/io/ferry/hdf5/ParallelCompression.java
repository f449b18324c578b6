package io.ferry.hdf5;

import io.ferry.FerryException;
import io.ferry.dtype.DType;
import io.ferry.hdf5.deflate.DeflateLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/// Shuffles and deflates chunks on a pool of threads, off the HDF5 lock, and gives each dataset
/// its finished chunks back in chunk order, to store with `H5Dwrite_chunk`: what HDF5's filter
/// pipeline (`shuffle → deflate`) does in the writing thread, done by [WriteOptions#threads()]
/// threads at once ([WriteOptions#parallelCompression()]).
///
/// One per file, shared by its datasets; each dataset being written has a [Queue]:
///
/// ```text
///  append(rows) ──► whole chunks ──► a free ChunkCompressor ──► pool: shuffle, deflate ──► in order ──► ChunkStore
///                   (a chunk split over two appends       (the chunk copied in once)                (the dataset's
///                    waits in the queue's staging chunk)                                              H5Dwrite_chunk)
/// ```
///
/// Memory is bounded: a queue holds at most [#maxCompressors(int, int)] compressors (a chunk and
/// its deflated bound each) and one staging chunk; when all of them are in flight, the next chunk
/// waits for the oldest to be stored. [#workingBytes] says the most this comes to.
///
/// Used by one thread at a time, like the writer that owns it.
final class ParallelCompression implements AutoCloseable {
    private static final AtomicInteger POOL_COUNT = new AtomicInteger();
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private final int threads;
    private final DeflateLibrary library;   // resolved: never AUTO
    private final String description;
    private ExecutorService pool;
    private int openQueues;                // opened, not yet finished or discarded

    /// The logger, found at its first use: finding it (the JDK's logger finder, its service
    /// lookup) took 4 ms of every conversion's start, compressed or not.
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ParallelCompression.class.getName());
    }

    private ParallelCompression(int threads, DeflateLibrary library, String description) {
        this.threads = threads;
        this.library = library;
        this.description = description;
    }

    /// {@return the compression of a file written with `options`}, its deflate library loaded
    /// (no thread starts before the first chunk)
    /// @throws io.ferry.hdf5.deflate.LibraryUnavailableException when the library `options` ask
    ///                                  for cannot be loaded
    /// @throws IllegalArgumentException when ISA-L is asked for gzip at a zlib level
    static ParallelCompression of(WriteOptions options) {
        boolean deflating = options.compression().filterLevel() > 0 && options.parallelCompression();
        DeflateLibrary library = !deflating ? DeflateLibrary.JAVA
                : options.compression() == Compression.GZIP_FAST ? options.deflateLibrary().resolveFastest()
                : options.deflateLibrary().resolve();
        return new ParallelCompression(options.threads(), library, describe(options, library));
    }

    private static String describe(WriteOptions options, DeflateLibrary library) {
        int level = options.compression().filterLevel();
        if (level == 0) {
            return "none";
        }
        if (!options.parallelCompression()) {
            return "HDF5's deflate filter (zlib), in the writing thread, level " + level;
        }
        String line = library.description() + " on " + options.threads() + " thread" + (options.threads() == 1 ? "" : "s") + ", level " + level;
        boolean chosenFreely = options.deflateLibrary() == DeflateLibrary.AUTO && System.getProperty(DeflateLibrary.PROPERTY) == null;
        boolean fast = options.compression() == Compression.GZIP_FAST;
        if (chosenFreely && (library == DeflateLibrary.JAVA || fast && library != DeflateLibrary.ISAL)) {
            // A fallback is slower (see DeflateLibrary): worth one line, once per JVM.
            line += fast && library != DeflateLibrary.ISAL ? "; ISA-L unavailable: " + DeflateLibrary.ISAL.problem() : "";
            line += library == DeflateLibrary.JAVA ? "; libdeflate unavailable: " + DeflateLibrary.LIBDEFLATE.problem() : "";
            if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                Log.LOG.log(System.Logger.Level.INFO, "ferry: deflating with " + line);
            }
        } else {
            Log.LOG.log(System.Logger.Level.DEBUG, "ferry: deflating with " + line);
        }
        return line;
    }

    /// {@return one line saying what deflates the chunks}: see [Hdf5Writer#deflater()]
    String description() {
        return description;
    }

    /// {@return the library that deflates}, never [DeflateLibrary#AUTO] (JAVA, unused, when
    /// chunks are not deflated here)
    DeflateLibrary library() {
        return library;
    }

    /// Where a queue's chunks go once filtered, one at a time and in chunk order.
    @FunctionalInterface
    interface ChunkStore {
        /// Stores chunk `index`, whose first `rows` rows are data (the rest of a last chunk is zero
        /// padding), filtered into `bytes` (valid during the call only).
        void store(long index, long rows, MemorySegment bytes);
    }

    /// {@return a queue for the chunks of dataset `dataset`}: `chunkRows` rows of `rowBytes` bytes
    /// each (under 2 GiB in all: a compressor's buffers are indexed by `int`), elements of
    /// `elementSize` bytes (what shuffle transposes by), filtered as `options` say (shuffle,
    /// deflate level); finished chunks go to `store`
    Queue queue(String dataset, WriteOptions options, long chunkRows, long rowBytes, int elementSize, ChunkStore store) {
        return new Queue(dataset, options, chunkRows, rowBytes, elementSize, store);
    }

    /// {@return how many compressors a queue may hold while `open` queues are being written}: two
    /// of its own, so it always has one to fill while the other is stored, and its share of the
    /// `threads` that compress. Buffers then grow with datasets plus threads, not their product; a
    /// dataset written alone still keeps every thread busy.
    static int maxCompressors(int threads, int open) {
        return 2 + Math.ceilDiv(threads, Math.max(1, open));
    }

    /// {@return the most native memory `datasets` datasets of rows of `rowBytes` bytes hold while
    /// written at once with `options`}, besides the rows they are given: with parallel
    /// compression, each holds up to [#maxCompressors(int, int)] compressors (a chunk and its
    /// deflated bound each) and a staging chunk; nothing without filters.
    static long workingBytes(WriteOptions options, long rowBytes, int datasets) {
        if (!(options.filtered() && options.parallelCompression())) {
            return 0;
        }
        long chunk = options.rowsPerChunk(rowBytes) * Math.max(1, rowBytes);
        long deflated = options.compression().filterLevel() > 0 ? chunk + chunk / 64 + 1024 : 0;
        int n = Math.max(1, datasets);
        long most = 0; // k datasets open and all being written, for the k up to n that needs most
        for (int k = 1; k <= n; k++) {
            most = Math.max(most, (long) k * maxCompressors(options.threads(), k));
        }
        return most * (chunk + deflated) + n * chunk;
    }

    /// Stops the pool; the queues must be finished or discarded first. Idempotent.
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
    }

    /// {@return the pool}, started on first use
    private ExecutorService pool() {
        if (pool == null) {
            int id = POOL_COUNT.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "ferry-deflate-" + id + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /// One dataset's chunks: rows in, filtered chunks out to its [ChunkStore] in order.
    /// [#append] returns once the caller's memory is no longer read, so a chunk slot can be
    /// recycled straight away.
    final class Queue {
        private final String dataset;
        private final boolean shuffle;
        private final int gzipLevel;
        private final long chunkRows;
        private final long rowBytes;
        private final int elementSize;
        private final ChunkStore store;
        private final Arena arena = Arena.ofShared();
        private MemorySegment staging;  // rows of a chunk not yet complete
        private long staged;
        private long nextChunk;         // index of the next chunk handed to the pool
        private final ArrayDeque<ChunkCompressor> idle = new ArrayDeque<>();
        private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
        private int compressors;
        private boolean closed;

        /// A chunk handed to the pool: `done` gives its filtered bytes; `rows` of its rows are data.
        private record Pending(long index, long rows, ChunkCompressor compressor, Future<MemorySegment> done) {
        }

        private Queue(String dataset, WriteOptions options, long chunkRows, long rowBytes, int elementSize, ChunkStore store) {
            this.dataset = dataset;
            this.shuffle = options.shuffle();
            this.gzipLevel = options.compression().filterLevel();
            this.chunkRows = chunkRows;
            this.rowBytes = rowBytes;
            this.elementSize = elementSize;
            this.store = store;
            openQueues++;
        }

        /// Takes `n` rows from `data`: whole chunks go to the pool, the rest waits in the staging
        /// chunk for the next rows; chunks already filtered are stored.
        void append(MemorySegment data, long n) {
            long off = 0;
            while (off < n) {
                if (staged > 0 || n - off < chunkRows) {
                    long take = Math.min(chunkRows - staged, n - off);
                    if (staging == null) {
                        staging = arena.allocate(chunkRows * rowBytes, 16);
                    }
                    MemorySegment.copy(data, off * rowBytes, staging, staged * rowBytes, take * rowBytes);
                    staged += take;
                    off += take;
                    if (staged == chunkRows) {
                        submit(staging, chunkRows);
                        staged = 0;
                    }
                } else {
                    submit(data.asSlice(off * rowBytes, chunkRows * rowBytes), chunkRows);
                    off += chunkRows;
                }
                storeFinished(false);
            }
        }

        /// Submits the staged rows as the last chunk, zero-padded (HDF5 stores whole chunks),
        /// stores every chunk in flight, and frees the buffers.
        void finish() {
            if (staged > 0) {
                staging.asSlice(staged * rowBytes).fill((byte) 0);
                submit(staging, staged);
                staged = 0;
            }
            storeFinished(true);
            close();
        }

        /// Frees the buffers without storing anything, once no thread works on them. Idempotent.
        void discard() {
            if (closed) {
                return;
            }
            for (Pending p : inFlight) {
                try {
                    p.done().get();     // not cancelled: a running task would still hold its compressor
                } catch (Exception ignored) {
                    // being discarded: only wait until no thread touches the compressor any more
                }
            }
            close();
        }

        /// {@return the compressors this queue holds}, in flight and idle
        int compressors() {
            return compressors;
        }

        /// Copies a whole chunk into a free compressor, on this thread (the caller's memory may be
        /// confined to it, and is free again at once), and hands it to the pool.
        private void submit(MemorySegment chunk, long rows) {
            ChunkCompressor c = idle.poll();
            while (c == null) {
                // None idle means all are in flight: make one more while within the share, else
                // store the oldest, which frees its compressor (or closes it, when this queue holds
                // more than its share since more queues opened).
                if (compressors < maxCompressors(threads, openQueues)) {
                    c = new ChunkCompressor((int) (chunkRows * rowBytes), elementSize, shuffle, gzipLevel, library);
                    compressors++;
                } else {
                    storeOldest();
                    c = idle.poll();
                }
            }
            ChunkCompressor compressor = c;
            compressor.load(chunk);
            inFlight.add(new Pending(nextChunk++, rows, compressor, pool().submit(compressor::compress)));
        }

        /// Stores finished chunks in order: those already done, or (with `all`) every one in flight.
        private void storeFinished(boolean all) {
            while (!inFlight.isEmpty() && (all || inFlight.peek().done().isDone())) {
                storeOldest();
            }
        }

        private void storeOldest() {
            Pending p = inFlight.peek();  // stays in flight if unfinished: discard() waits for it
            MemorySegment bytes;
            try {
                bytes = p.done().get();
            } catch (ExecutionException e) {
                throw new FerryException("compressing chunk " + p.index() + " of '" + dataset + "' failed: " + e.getCause(),
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException("interrupted while writing '" + dataset + "'", e);
            }
            inFlight.poll();
            try {
                store.store(p.index(), p.rows(), bytes);
            } finally {
                if (compressors > maxCompressors(threads, openQueues)) {
                    p.compressor().close(); // more queues opened since it was made: give its share back
                    compressors--;
                } else {
                    idle.add(p.compressor());
                }
            }
        }

        private void close() {
            closed = true;
            openQueues--;
            for (Pending p : inFlight) {
                idle.add(p.compressor());
            }
            inFlight.clear();
            idle.forEach(ChunkCompressor::close);
            idle.clear();
            arena.close();
        }
    }
}
