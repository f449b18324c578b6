package io.ferry.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Optional;

/// The few C library calls the JDK does not offer, bound through FFM downcalls, once for all of
/// Ferry.
///
/// - Reserving pages needs a file descriptor (`open`, `close`) for `posix_fallocate`, which the JDK
///   has no equivalent of (`RandomAccessFile.setLength` makes a sparse file, and a tmpfs then hands
///   out pages lazily, so a full `/dev/shm` would show up later as SIGBUS).
/// - Replacing a file by another in one step without the cost some file systems add to a rename
///   over an existing file needs `renameat2(RENAME_EXCHANGE)` (see `OutputFile#commit`).
/// - Pointing a descriptor the JDK did not open (HDF5's) somewhere else needs `dup2`.
/// - Fitting a progress line to the terminal needs its width, which only `ioctl(TIOCGWINSZ)` knows
///   as it is now (`COLUMNS` is a shell variable, rarely exported, and stale after a resize).
///
/// Failures are [ErrnoException]s carrying the error number; the callers decide what they mean.
@SuppressWarnings("restricted")   // native access is the point; ./ferry and the tests enable it
public final class Libc {
    /// `O_WRONLY`, the same on every Linux and on macOS.
    public static final int O_WRONLY = 1;
    /// `O_RDWR`, the same on every Linux and on macOS.
    public static final int O_RDWR = 2;

    private static final Linker LINKER = Linker.nativeLinker();

    /// Where a call that sets `errno` leaves it: in a holder class too, as its handle takes 7 ms
    /// to make in a fresh JVM and `poll`, the call a `ferry share` waits in, has no use for it.
    private static final class CallState {
        static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    }

    // Each call is linked on its first use, in a holder class of its own: linking a downcall spins
    // classes and keeps the JIT busy (tens of milliseconds for all of them, at start-up), and most
    // runs need one or two (a load into mapped memory only madvise).

    /// {@return the downcall to the C library's `name`}
    private static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), descriptor, options);
    }

    private static final class Open {
        // open is variadic (the mode follows O_CREAT); declaring it so is right on every ABI.
        static final MethodHandle OPEN = link("open",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    }

    private static final class Renameat2 {
        static final MethodHandle RENAMEAT2 = link("renameat2",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
        static final int RENAME_EXCHANGE = 2; // Linux
    }

    private static final class Dup2 {
        static final MethodHandle DUP2 = link("dup2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
    }

    private static final class Poll {
        static final MethodHandle POLL = link("poll", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        static final short POLLIN = 1;
        /// `events` POLLIN and `revents` 0, as the int they share in memory
        static final int EVENTS_AND_REVENTS = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? POLLIN : POLLIN << 16;
    }

    private static final class Close {
        static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class Fallocate {
        // Returns the error number itself (it does not set errno).
        static final MethodHandle POSIX_FALLOCATE = link("posix_fallocate",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    }

    private static final class Ioctl {
        // ioctl is variadic (its third argument depends on the request).
        static final MethodHandle IOCTL = link("ioctl",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                Linker.Option.firstVariadicArg(2));
    }

    private static final class Strerror {
        static final MethodHandle STRERROR = link("strerror", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /// `ENOSPC`, Linux's and macOS's.
    public static final int ENOSPC = 28;
    /// `EEXIST`, Linux's and macOS's.
    public static final int EEXIST = 17;
    private static final int AT_FDCWD = -100;             // Linux
    /// `TIOCGWINSZ`: Linux's on the architectures whose value Ferry knows, macOS's; 0 elsewhere.
    private static final long TIOCGWINSZ = System.getProperty("os.name", "").startsWith("Mac") ? 0x40087468L
            : switch (System.getProperty("os.arch", "")) {
                case "amd64", "x86_64", "aarch64", "riscv64" -> 0x5413;
                default -> 0;
            };

    private Libc() {
    }

    /// The size of a terminal, in characters.
    /// @param rows    lines
    /// @param columns characters a line
    public record WindowSize(int rows, int columns) {
    }

    /// {@return the size of the terminal `fd` is open on}, or empty when `fd` is no terminal (or
    /// the terminal does not know its size)
    public static Optional<WindowSize> windowSize(int fd) {
        if (TIOCGWINSZ == 0) {
            return Optional.empty();
        }
        // struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8, 2);
            int r = (int) Ioctl.IOCTL.invokeExact(fd, TIOCGWINSZ, ws);
            int rows = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 0));
            int columns = Short.toUnsignedInt(ws.get(ValueLayout.JAVA_SHORT, 2));
            return r == 0 && columns > 0 ? Optional.of(new WindowSize(rows, columns)) : Optional.empty();
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl(2) downcall failed", t);
        }
    }

    /// {@return a file descriptor}, or throws [ErrnoException]
    public static int open(String path, int flags) {
        return open(path, flags, 0);
    }

    /// {@return a file descriptor}, or throws [ErrnoException]; `mode` for a file it creates
    public static int open(String path, int flags, int mode) {
        return (int) checked("open", (state, a) -> (int) Open.OPEN.invokeExact(state, a.allocateFrom(path), flags, mode));
    }

    /// Swaps the files (or whatever they are) named `a` and `b` in one step, both of which must
    /// exist: Linux's `renameat2(RENAME_EXCHANGE)`, 3.15 and later. Throws [ErrnoException]:
    /// [#EINVAL] or [#ENOSYS] where the kernel or the file system cannot.
    public static void exchange(String a, String b) {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            throw new ErrnoException("renameat2", ENOSYS);
        }
        checked("renameat2", (state, arena) -> (int) Renameat2.RENAMEAT2.invokeExact(state, AT_FDCWD, arena.allocateFrom(a),
                AT_FDCWD, arena.allocateFrom(b), Renameat2.RENAME_EXCHANGE));
    }

    /// Makes `target` a copy of `fd`: what was open as `target` is closed, and `target` now
    /// refers to what `fd` does. {@return `target`}, or throws [ErrnoException]
    public static int dup2(int fd, int target) {
        return (int) checked("dup2", (state, a) -> (int) Dup2.DUP2.invokeExact(state, fd, target));
    }

    /// A downcall that sets `errno` on failure, given the memory its state is captured in and an
    /// arena for its arguments.
    @FunctionalInterface
    private interface ErrnoCall {
        long call(MemorySegment state, Arena arena) throws Throwable;
    }

    /// {@return what `call` returned}, or throws [ErrnoException] with `errno` when that is negative
    private static long checked(String name, ErrnoCall call) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CallState.LAYOUT);
            long r = call.call(state, a);
            if (r < 0) {
                throw new ErrnoException(name, (int) CallState.ERRNO.get(state, 0L));
            }
            return r;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + "(2) downcall failed", t);
        }
    }

    /// Waits up to `millis` milliseconds for `fd` to have something for `read(2)`: data, its end
    /// (the writer gone), or an error, any of which `read` returns at once. A thread that waits
    /// so, a short time after another, is in native code only while it waits, where one blocked in
    /// `read` would stay there: the JVM's exit waits 300 ms for such a thread.
    /// {@return whether `fd` has something to read}; false when the time passed or a signal came
    public static boolean readable(int fd, int millis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pollfd = a.allocate(8, 4); // struct pollfd: int fd; short events, revents
            // Copied in from an array, not set through the layouts' var handles: their first use
            // takes 9 ms in a fresh JVM, on the way to a driver's first word.
            pollfd.copyFrom(MemorySegment.ofArray(new int[]{fd, Poll.EVENTS_AND_REVENTS}));
            int n = (int) Poll.POLL.invokeExact(pollfd, 1L, millis);
            return n > 0; // revents: POLLIN, or POLLHUP, POLLERR, POLLNVAL, each an answer for read
        } catch (Throwable t) {
            throw new IllegalStateException("poll(2) downcall failed", t);
        }
    }

    /// Closes `fd`; its error, if any, is ignored (after `close` the descriptor is gone either way).
    public static void close(int fd) {
        try {
            int ignored = (int) Close.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(2) downcall failed", t);
        }
    }

    /// {@return 0, or the error number}
    public static int posixFallocate(int fd, long offset, long length) {
        try {
            return (int) Fallocate.POSIX_FALLOCATE.invokeExact(fd, offset, length);
        } catch (Throwable t) {
            throw new IllegalStateException("posix_fallocate(3) downcall failed", t);
        }
    }

    /// Faults in every page of `memory` (mapped memory) writable in one call, as writing to each
    /// would, without touching the bytes: Linux's `MADV_POPULATE_WRITE` (5.14 and later).
    /// Thousands of page faults, each a trip into the kernel and, for a file, a block reserved,
    /// become one call; for shared memory, a page tmpfs cannot supply is this call's error
    /// instead of a SIGBUS in whoever touches it first.
    /// {@return 0, or the error number}: [#EFAULT] or [#ENOMEM] when a page could not be had,
    /// [#EINVAL] where the kernel cannot do this (then pages fault in as they are written)
    public static int populateWrite(MemorySegment memory) {
        if (memory.byteSize() == 0) {
            return 0;
        }
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return EINVAL;
        }
        // A mapping begins on a page; a segment of it past a file's header may not: start there.
        long address = memory.address();
        long start = address & -Madvise.PAGE;
        MemorySegment pages = MemorySegment.ofAddress(start).reinterpret(memory.byteSize() + address - start);
        try {
            checked("madvise", (state, arena) -> (int) Madvise.MADVISE.invokeExact(state, pages, pages.byteSize(),
                    Madvise.MADV_POPULATE_WRITE));
            return 0;
        } catch (ErrnoException e) {
            return e.errno();
        }
    }

    /// `EINVAL`, `EFAULT` and `ENOMEM`, Linux's.
    public static final int EINVAL = 22, EFAULT = 14, ENOMEM = 12;
    /// `ENOSYS`, Linux's: no such call.
    public static final int ENOSYS = 38;

    private static final class Madvise {
        static final int MADV_POPULATE_WRITE = 23;
        static final long PAGE = 4096;
        static final MethodHandle MADVISE = link("madvise",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
    }

    /// {@return the system's text for an error number}
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) Strerror.STRERROR.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? "errno " + errno : s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /// A failed C call: which, and the error number.
    public static final class ErrnoException extends RuntimeException {
        private final int errno;

        ErrnoException(String call, int errno) {
            super(call + ": " + strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }

        /// {@return the error number}, such as [#EEXIST]
        public int errno() {
            return errno;
        }
    }
}
