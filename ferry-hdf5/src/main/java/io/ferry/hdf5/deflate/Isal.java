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

/// The two calls of Intel's ISA-L (`libisal.so.2`, Debian's `libisal2`) that deflating a chunk in
/// one shot needs, bound through FFM downcalls:
///
/// ```c
/// void isal_deflate_stateless_init(struct isal_zstream *stream);
/// int  isal_deflate_stateless(struct isal_zstream *stream);   // COMP_OK (0), or < 0
/// ```
///
/// ISA-L's level 1 is the fastest deflate Ferry has, for `gzip:fast` ([DeflateLibrary#ISAL]). The
/// stream is zlib's format (`gzip_flag = IGZIP_ZLIB`: header, deflate stream, Adler-32), the one
/// HDF5's deflate filter stores.
///
/// `struct isal_zstream` is passed by pointer, so Java writes its public fields at the offsets of
/// `igzip_lib.h` (IsalLayoutTest compiles a C program against the installed header and checks each
/// one). Loading refuses a release without zlib output (no `isal_write_zlib_header`). The
/// struct's private tail (82 KiB in 2.30) gets four times its size, [#STREAM_BYTES], so a later
/// release with a larger state still fits.
@SuppressWarnings("restricted")   // native access is the point; ./ferry and the tests enable it
final class Isal {
    /// Names tried in order: Debian's runtime package ships only the versioned name.
    static final List<String> NAMES = List.of("libisal.so.2", "libisal.so");

    // struct isal_zstream, public part (igzip_lib.h)
    static final long NEXT_IN = 0;            // uint8_t *
    static final long AVAIL_IN = 8;           // uint32_t
    static final long NEXT_OUT = 16;          // uint8_t *
    static final long AVAIL_OUT = 24;         // uint32_t
    static final long TOTAL_OUT = 28;         // uint32_t
    static final long LEVEL = 40;             // uint32_t
    static final long LEVEL_BUF_SIZE = 44;    // uint32_t
    static final long LEVEL_BUF = 48;         // uint8_t *
    static final long END_OF_STREAM = 56;     // uint16_t
    static final long FLUSH = 58;             // uint16_t: NO_FLUSH = 0
    static final long GZIP_FLAG = 60;         // uint16_t: IGZIP_ZLIB = 3

    /// `sizeof(struct isal_zstream)` is 82,384 bytes in ISA-L 2.30; four times that leaves room for growth.
    static final long STREAM_BYTES = 4 * 82_384;
    /// `ISAL_DEF_LVL1_DEFAULT`: the level-1 working buffer ISA-L's own tools use (276 KiB).
    static final int LEVEL1_BUF_BYTES = 282_624;
    static final short IGZIP_ZLIB = 3;
    static final int STATELESS_OVERFLOW = -1;

    /// ISA-L, or why it could not be loaded: tried once per JVM.
    static final LibraryLoad<Isal> LOADED = LibraryLoad.attempt("ISA-L", NAMES, "libisal2", Isal::new);

    private final MethodHandle init;
    private final MethodHandle deflate;

    private Isal(SystemLibrary lib) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup = lib.lookup();
        if (lookup.find("isal_write_zlib_header").isEmpty()) {
            throw new IllegalStateException(lib.name() + " has no isal_write_zlib_header: an ISA-L too old to write zlib streams");
        }
        this.init = linker.downcallHandle(lookup.findOrThrow("isal_deflate_stateless_init"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), Linker.Option.critical(false));
        // Not `critical`: a 1 MiB chunk takes about a millisecond, and a critical call would hold off GC that long.
        this.deflate = linker.downcallHandle(lookup.findOrThrow("isal_deflate_stateless"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }

    /// Deflates all of `in` into `out` as one zlib stream at ISA-L's level 1.
    ///
    /// @param stream   [#STREAM_BYTES] of native memory, reused from call to call (one thread at a time)
    /// @param levelBuf [#LEVEL1_BUF_BYTES] of native memory, likewise
    /// @return the stream's length, or -1 when it did not fit into `out`
    long zlibCompressLevel1(MemorySegment stream, MemorySegment levelBuf, MemorySegment in, MemorySegment out) {
        if (in.byteSize() > 0xFFFF_FFFFL || out.byteSize() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ISA-L takes at most 4 GiB per call, not " + Math.max(in.byteSize(), out.byteSize()));
        }
        int rc;
        try {
            init.invokeExact(stream);
            stream.set(ValueLayout.ADDRESS, NEXT_IN, in);
            stream.set(ValueLayout.JAVA_INT, AVAIL_IN, (int) in.byteSize());
            stream.set(ValueLayout.ADDRESS, NEXT_OUT, out);
            stream.set(ValueLayout.JAVA_INT, AVAIL_OUT, (int) out.byteSize());
            stream.set(ValueLayout.JAVA_INT, LEVEL, 1);
            stream.set(ValueLayout.JAVA_INT, LEVEL_BUF_SIZE, (int) levelBuf.byteSize());
            stream.set(ValueLayout.ADDRESS, LEVEL_BUF, levelBuf);
            stream.set(ValueLayout.JAVA_SHORT, END_OF_STREAM, (short) 1);
            stream.set(ValueLayout.JAVA_SHORT, FLUSH, (short) 0);
            stream.set(ValueLayout.JAVA_SHORT, GZIP_FLAG, IGZIP_ZLIB);
            rc = (int) deflate.invokeExact(stream);
        } catch (Throwable t) {
            throw new IllegalStateException("isal_deflate_stateless downcall failed", t);
        }
        if (rc == STATELESS_OVERFLOW) {
            return -1;
        }
        if (rc != 0) {
            throw new IllegalStateException("isal_deflate_stateless returned " + rc + " (igzip_lib.h's error codes)");
        }
        return Integer.toUnsignedLong(stream.get(ValueLayout.JAVA_INT, TOTAL_OUT));
    }
}
