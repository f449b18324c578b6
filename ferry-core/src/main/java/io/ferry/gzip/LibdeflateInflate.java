package io.ferry.gzip;

import io.ferry.libc.LibraryLoad;
import io.ferry.libc.SystemLibrary;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.List;

/// The three calls of the system's libdeflate (Debian's `libdeflate0`) that inflating a BGZF
/// block needs, bound through FFM downcalls:
///
/// ```c
/// struct libdeflate_decompressor *libdeflate_alloc_decompressor(void);
/// enum libdeflate_result libdeflate_deflate_decompress_ex(struct libdeflate_decompressor *d,
///         const void *in, size_t in_nbytes, void *out, size_t out_nbytes_avail,
///         size_t *actual_in_nbytes_ret, size_t *actual_out_nbytes_ret);
/// void libdeflate_free_decompressor(struct libdeflate_decompressor *d);
/// ```
///
/// libdeflate inflates a whole buffer in one call, no streaming: right for BGZF, whose blocks say
/// their size, in and out (at most 64 KiB each). The call is `critical` with heap access: the
/// block goes from the reader's array to the caller's without a copy, and a 64 KiB block takes
/// tens of microseconds, too short to hold off the garbage collector for long.
///
/// Loading is tried once per JVM ([#LOADED]); ferry-hdf5's deflaters load the same library for
/// compressing, each binding its own calls. A decompressor is for one thread at a time.
@SuppressWarnings("restricted")   // native access is the point; ./ferry and the tests enable it
final class LibdeflateInflate {
    /// The names ferry-hdf5's binding tries, in the same order.
    static final List<String> NAMES = List.of("libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib", "libdeflate.dylib");

    /// libdeflate, or why it could not be loaded: tried once per JVM.
    static final LibraryLoad<LibdeflateInflate> LOADED = LibraryLoad.attempt("libdeflate", NAMES, "libdeflate0",
            LibdeflateInflate::new);

    /// `enum libdeflate_result`
    static final int SUCCESS = 0;
    static final int BAD_DATA = 1;
    static final int SHORT_OUTPUT = 2;
    static final int INSUFFICIENT_SPACE = 3;

    private final MethodHandle alloc;
    private final MethodHandle decompress;
    private final MethodHandle free;

    private LibdeflateInflate(SystemLibrary lib) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup = lib.lookup();
        this.alloc = linker.downcallHandle(lookup.findOrThrow("libdeflate_alloc_decompressor"),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
        this.decompress = linker.downcallHandle(lookup.findOrThrow("libdeflate_deflate_decompress_ex"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                Linker.Option.critical(true));
        this.free = linker.downcallHandle(lookup.findOrThrow("libdeflate_free_decompressor"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        selfCheck(lib.name());
    }

    /// Inflates a known stream, and checks the text and the sizes it gives: the binding works, and
    /// its calls are linked before a reader needs them.
    /// @throws IllegalStateException when they differ
    private void selfCheck(String name) {
        byte[] text = SelfCheckStream.TEXT;
        byte[] packed = SelfCheckStream.deflated();
        int n = packed.length;
        byte[] out = new byte[text.length];
        long[] sizes = new long[2];
        MemorySegment decompressor = alloc();
        int rc;
        try {
            rc = inflate(decompressor, MemorySegment.ofArray(packed).asSlice(0, n), MemorySegment.ofArray(out),
                    MemorySegment.ofArray(sizes));
        } finally {
            free(decompressor);
        }
        if (rc != SUCCESS || sizes[0] != n || sizes[1] != text.length || !Arrays.equals(out, text)) {
            throw new IllegalStateException(name + " does not inflate as this binding expects (result " + rc + ", "
                    + sizes[0] + " of " + n + " bytes in, " + sizes[1] + " of " + text.length + " out)");
        }
    }

    /// {@return a new decompressor}, to be given back with [#free(MemorySegment)]
    MemorySegment alloc() {
        MemorySegment d;
        try {
            d = (MemorySegment) alloc.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("libdeflate_alloc_decompressor downcall failed", t);
        }
        if (d.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("libdeflate_alloc_decompressor failed");
        }
        return d;
    }

    /// Inflates the whole deflate stream `in` into `out`. {@return libdeflate's result}; on
    /// [#SUCCESS], `sizes[0]` holds the compressed bytes the stream took and `sizes[1]` the bytes
    /// it inflated to
    ///
    /// @param sizes a `long[2]`, for the two sizes libdeflate returns
    int inflate(MemorySegment decompressor, MemorySegment in, MemorySegment out, MemorySegment sizes) {
        try {
            return (int) decompress.invokeExact(decompressor, in, in.byteSize(), out, out.byteSize(),
                    sizes, sizes.asSlice(Long.BYTES));
        } catch (Throwable t) {
            throw new IllegalStateException("libdeflate_deflate_decompress_ex downcall failed", t);
        }
    }

    void free(MemorySegment decompressor) {
        try {
            free.invokeExact(decompressor);
        } catch (Throwable t) {
            throw new IllegalStateException("libdeflate_free_decompressor downcall failed", t);
        }
    }

    /// {@return libdeflate's reason for `result`}
    static String reason(int result) {
        return switch (result) {
            case BAD_DATA -> "libdeflate: bad data";
            case SHORT_OUTPUT -> "libdeflate: it inflates to fewer bytes than its trailer says";
            case INSUFFICIENT_SPACE -> "libdeflate: it inflates to more bytes than its trailer says";
            default -> "libdeflate: result " + result;
        };
    }
}
