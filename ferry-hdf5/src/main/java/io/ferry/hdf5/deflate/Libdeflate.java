package io.ferry.hdf5.deflate;

import io.ferry.libc.LibraryLoad;
import io.ferry.libc.SystemLibrary;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/// The four calls of the system's libdeflate (Debian's `libdeflate0`) that deflating a chunk needs,
/// bound through FFM downcalls:
///
/// ```c
/// struct libdeflate_compressor *libdeflate_alloc_compressor(int compression_level);
/// size_t libdeflate_zlib_compress(struct libdeflate_compressor *c, const void *in, size_t in_nbytes,
///                                 void *out, size_t out_nbytes_avail);   // 0: did not fit
/// size_t libdeflate_zlib_compress_bound(struct libdeflate_compressor *c, size_t in_nbytes);
/// void libdeflate_free_compressor(struct libdeflate_compressor *c);
/// ```
///
/// The zlib variant, because HDF5's deflate filter stores what zlib's `compress2` writes (RFC 1950:
/// two-byte header, deflate stream, Adler-32); any zlib inflates it. libdeflate compresses a whole
/// buffer in one call, which is all a chunk needs, and does so faster than zlib at the same level.
///
/// Loading is tried once per JVM ([#LOADED]); when the library is missing, that says why, so
/// callers can fall back to `java.util.zip`. A compressor is not thread-safe: each
/// [LibdeflateChunkDeflater] owns one.
@SuppressWarnings("restricted")   // native access is the point; ./ferry and the tests enable it
final class Libdeflate {
    /// Names tried in order: Debian's runtime package ships only the versioned name; a `-dev`
    /// package or a local build adds the plain one; macOS names its dylibs differently.
    static final List<String> NAMES = List.of("libdeflate.so.0", "libdeflate.so", "libdeflate.0.dylib", "libdeflate.dylib");

    /// libdeflate, or why it could not be loaded: tried once per JVM.
    static final LibraryLoad<Libdeflate> LOADED = LibraryLoad.attempt("libdeflate", NAMES, "libdeflate0", Libdeflate::new);

    private final MethodHandle alloc;
    private final MethodHandle zlibCompress;
    private final MethodHandle zlibCompressBound;
    private final MethodHandle free;

    private Libdeflate(SystemLibrary lib) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup = lib.lookup();
        this.alloc = linker.downcallHandle(lookup.findOrThrow("libdeflate_alloc_compressor"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        // Not `critical`: a 1 MiB chunk takes milliseconds, and a critical call would hold off GC that long.
        this.zlibCompress = linker.downcallHandle(lookup.findOrThrow("libdeflate_zlib_compress"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        this.zlibCompressBound = linker.downcallHandle(lookup.findOrThrow("libdeflate_zlib_compress_bound"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                Linker.Option.critical(false));
        this.free = linker.downcallHandle(lookup.findOrThrow("libdeflate_free_compressor"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    /// {@return a new compressor}, to be given back with [#freeCompressor(MemorySegment)]
    /// @throws IllegalArgumentException for a level libdeflate does not have (it has 0 to 12)
    MemorySegment allocCompressor(int level) {
        MemorySegment c;
        try {
            c = (MemorySegment) alloc.invokeExact(level);
        } catch (Throwable t) {
            throw new IllegalStateException("libdeflate_alloc_compressor downcall failed", t);
        }
        if (c.equals(MemorySegment.NULL)) {
            // NULL means a bad level or no memory; Ferry asks for zlib's levels 1 to 9, which libdeflate has.
            throw new IllegalArgumentException("libdeflate_alloc_compressor(" + level + ") failed (bad level or out of memory)");
        }
        return c;
    }

    /// {@return bytes written to `out`}, or 0 when the zlib stream did not fit into `out`
    long zlibCompress(MemorySegment compressor, MemorySegment in, MemorySegment out) {
        try {
            return (long) zlibCompress.invokeExact(compressor, in, in.byteSize(), out, out.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("libdeflate_zlib_compress downcall failed", t);
        }
    }

    /// {@return the most bytes a zlib stream of `n` input bytes can take} with this compressor
    long zlibCompressBound(MemorySegment compressor, long n) {
        try {
            return (long) zlibCompressBound.invokeExact(compressor, n);
        } catch (Throwable t) {
            throw new IllegalStateException("libdeflate_zlib_compress_bound downcall failed", t);
        }
    }

    void freeCompressor(MemorySegment compressor) {
        try {
            free.invokeExact(compressor);
        } catch (Throwable t) {
            throw new IllegalStateException("libdeflate_free_compressor downcall failed", t);
        }
    }
}
