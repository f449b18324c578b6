package io.ferry.pipeline;

import io.ferry.FerryException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/// Memory that costs nothing until it is used: an anonymous private mapping, whose pages the kernel
/// supplies (zeroed) on first touch.
///
/// `Arena.allocate` zeroes what it returns, touching every page at once: for a slot pool sized by
/// `--memory` that is a quarter of a GiB of page faults before any work, and resident memory for
/// slots a run may never fill (the workers reuse the slots they last released). Here the slots a
/// run fills are the only ones it pays for.
@SuppressWarnings("restricted")   // native access is the point; ./ferry and the tests enable it
final class UntouchedMemory {
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;   // Linux's values
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("mmap"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("munmap"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    static final long PAGE = 4096;

    static {
        // One page mapped and unmapped at once: a downcall's first call links its invoker (a few
        // ms of method-handle classes each), and this class is initialised on the preload thread
        // of `ferry convert` (io.ferry.cli.Preload), beside the reading of the command line,
        // rather than where a conversion allocates its slots and, at its very end, frees them.
        // A failure here is left to the real call, which reports it: a class whose initialiser
        // throws could never be used.
        try {
            unmap(map(PAGE), PAGE);
        } catch (RuntimeException e) {
            // the first real call links it, and says what went wrong
        }
    }

    private UntouchedMemory() {
    }

    /// {@return `bytes` of zeroed memory, unmapped when `arena` closes}
    static MemorySegment allocate(long bytes, Arena arena) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a positive size, not " + bytes);
        }
        MemorySegment address = map(bytes);
        // The cleanup gets a zero-length view of the address: the size is captured here.
        return address.reinterpret(bytes, arena, m -> unmap(m, bytes));
    }

    /// {@return the address of `bytes` newly mapped}
    private static MemorySegment map(long bytes) {
        MemorySegment address;
        try {
            address = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap(2) downcall failed", t);
        }
        if (address.address() == -1L) {     // MAP_FAILED
            throw new FerryException("cannot map " + bytes + " bytes of memory for chunk slots (mmap failed): lower --memory");
        }
        return address;
    }

    private static void unmap(MemorySegment m, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(m, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap(2) downcall failed", t);
        }
    }
}
