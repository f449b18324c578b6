package io.ferry.hdf5;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/// Points a file descriptor at `/dev/null` (`open`, `dup2`, `close` through FFM), for a file being
/// thrown away whose writes fail: see [H5#fileDiscard(long)].
@SuppressWarnings("restricted")   // native access is the point; ./ferry and the tests enable it
final class DevNull {
    private static final int O_WRONLY = 1;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("open"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle DUP2 = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("dup2"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("close"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private DevNull() {
    }

    /// {@return whether `fd` now writes to `/dev/null`}
    static boolean redirect(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int nul = (int) OPEN.invokeExact(a.allocateFrom("/dev/null"), O_WRONLY, 0);
            if (nul < 0) {
                return false;
            }
            int rc = (int) DUP2.invokeExact(nul, fd);
            int ignored = (int) CLOSE.invokeExact(nul);
            return rc == fd;
        } catch (Throwable t) {
            return false;
        }
    }
}
