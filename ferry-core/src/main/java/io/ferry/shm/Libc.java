package io.ferry.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/// The few C library calls the JDK does not offer, bound through FFM downcalls.
///
/// Only what reserving pages needs: a file descriptor (`open`, `close`) for `posix_fallocate`,
/// which the JDK has no equivalent of (`RandomAccessFile.setLength` makes a sparse file, and a
/// tmpfs then hands out pages lazily, so a full `/dev/shm` would show up later as SIGBUS).
@SuppressWarnings("restricted")   // native access is the point; ./ferry and the tests enable it
final class Libc {
    static final int O_RDWR = 2;          // the same on every Linux and on macOS

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // open is variadic (the mode follows O_CREAT); declaring it so is right on every ABI.
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("open"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("close"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    // Returns the error number itself (it does not set errno).
    private static final MethodHandle POSIX_FALLOCATE = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("posix_fallocate"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("strerror"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    static final int ENOSPC = 28;        // Linux and macOS alike

    private Libc() {
    }

    /// {@return a file descriptor}, or throws [ErrnoException]
    static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, a.allocateFrom(path), flags, 0);
            if (fd < 0) {
                throw new ErrnoException("open", (int) ERRNO.get(state, 0L));
            }
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open(2) downcall failed", t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(2) downcall failed", t);
        }
    }

    /// {@return 0, or the error number}
    static int posixFallocate(int fd, long offset, long length) {
        try {
            return (int) POSIX_FALLOCATE.invokeExact(fd, offset, length);
        } catch (Throwable t) {
            throw new IllegalStateException("posix_fallocate(3) downcall failed", t);
        }
    }

    /// {@return the system's text for an error number}
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? "errno " + errno : s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /// A failed C call: which, and the error number.
    static final class ErrnoException extends RuntimeException {
        final int errno;

        ErrnoException(String call, int errno) {
            super(call + ": " + strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }
    }
}
