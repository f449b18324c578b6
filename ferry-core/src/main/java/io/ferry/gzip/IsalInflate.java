package io.ferry.gzip;

import io.ferry.libc.LibraryLoad;
import io.ferry.libc.SystemLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.List;

/// The two calls of Intel's ISA-L (`libisal.so.2`, Debian's `libisal2`) that inflate raw deflate
/// data as it comes, bound through FFM downcalls:
///
/// ```c
/// void isal_inflate_init(struct inflate_state *state);
/// int  isal_inflate(struct inflate_state *state);   // ISAL_DECOMP_OK (0), or < 0 for bad data
/// ```
///
/// `struct inflate_state` is passed by pointer, so Java reads and writes the fields it needs at
/// the offsets of `igzip_lib.h` (IsalInflateLayoutTest compiles a C program against the
/// installed header and checks each one):
///
/// ```text
///  0         8           12          16        24        32         36               ... 21160          21172
///  +---------+-----------+-----------+---------+---------+----------+----------------+ ... +-------------+--------+
///  | next_out| avail_out | total_out | next_in | read_in | avail_in | read_in_length |     | block_state | crc_flag
///  +---------+-----------+-----------+---------+---------+----------+----------------+ ... +-------------+--------+
///  crc_flag 0 after init: raw deflate (ISAL_DEFLATE), the gzip framing is GzipStream's.
///  read_in holds up to 8 bytes read ahead: when the data ends, its whole bytes (read_in_length / 8)
///  are the first of those that follow the data, not consumed.
/// ```
///
/// `block_state` sits behind the Huffman tables, whose sizes are the release's, so loading
/// checks the binding on a small stream (its text, its end, the bytes left after it) and refuses
/// a library that does not give them back exactly: the caller then falls back to the JDK's zlib.
/// The state's private tail gets four times its size in 2.30, [#STATE_BYTES].
@SuppressWarnings("restricted")   // native access is the point; ./ferry and the tests enable it
final class IsalInflate {
    /// The names ferry-hdf5's binding tries, in the same order.
    static final List<String> NAMES = List.of("libisal.so.2", "libisal.so");

    // struct inflate_state (igzip_lib.h, ISA-L 2.30)
    static final long NEXT_OUT = 0;           // uint8_t *
    static final long AVAIL_OUT = 8;          // uint32_t
    static final long NEXT_IN = 16;           // uint8_t *
    static final long AVAIL_IN = 32;          // uint32_t
    static final long READ_IN_LENGTH = 36;    // int32_t: bits ISA-L has read ahead into read_in (at 24)
    static final long BLOCK_STATE = 21160;    // enum isal_block_state
    static final long CRC_FLAG = 21172;       // uint32_t: ISAL_DEFLATE = 0

    /// `sizeof(struct inflate_state)` is 87,368 bytes in ISA-L 2.30; four times that leaves room for growth.
    static final long STATE_BYTES = 4 * 87_368;
    /// `ISAL_BLOCK_FINISH`: the deflate data ended and every byte of it is out.
    static final int BLOCK_FINISH = 5;

    /// ISA-L's inflate, or why it could not be loaded: tried once per JVM.
    static final LibraryLoad<IsalInflate> LOADED = LibraryLoad.attempt("ISA-L", NAMES, "libisal2", IsalInflate::new);

    private final MethodHandle init;
    private final MethodHandle inflate;

    private IsalInflate(SystemLibrary lib) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup = lib.lookup();
        this.init = linker.downcallHandle(lookup.findOrThrow("isal_inflate_init"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), Linker.Option.critical(false));
        // A call inflates at most a few hundred KiB (the decoder's output buffer): under a millisecond.
        this.inflate = linker.downcallHandle(lookup.findOrThrow("isal_inflate"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS), Linker.Option.critical(false));
        selfCheck(lib.name());
    }

    /// Makes `state` ready for new deflate data (raw deflate, no wrapper).
    void init(MemorySegment state) {
        try {
            init.invokeExact(state);
        } catch (Throwable t) {
            throw new IllegalStateException("isal_inflate_init downcall failed", t);
        }
    }

    /// Inflates from `next_in` into `next_out`, as far as either goes. {@return ISA-L's code}
    int inflate(MemorySegment state) {
        try {
            return (int) inflate.invokeExact(state);
        } catch (Throwable t) {
            throw new IllegalStateException("isal_inflate downcall failed", t);
        }
    }

    /// {@return the bytes given and not consumed}: those left in `next_in`, and the whole bytes read
    /// ahead into `read_in`
    static int unconsumed(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, AVAIL_IN) + (state.get(ValueLayout.JAVA_INT, READ_IN_LENGTH) >> 3);
    }

    /// {@return ISA-L's reason for a negative `code`}
    static String reason(int code) {
        return switch (code) {
            case -1 -> "ISA-L: invalid deflate block";
            case -2 -> "ISA-L: invalid deflate symbol";
            case -3 -> "ISA-L: invalid lookback distance";
            default -> "ISA-L: error " + code;
        };
    }

    /// Inflates a known stream followed by 8 other bytes, and checks what comes out, that the
    /// state says it ended, and that exactly the 8 bytes are left.
    /// @throws IllegalStateException when any differs: the binding does not fit this release
    private void selfCheck(String name) {
        byte[] text = SelfCheckStream.TEXT;
        byte[] packed = SelfCheckStream.deflated();
        int n = packed.length;
        int trailing = 8;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE_BYTES, 64);
            MemorySegment in = arena.allocate(n + trailing);
            MemorySegment.copy(packed, 0, in, ValueLayout.JAVA_BYTE, 0, n);
            MemorySegment out = arena.allocate(text.length + 64);
            init(state);
            state.set(ValueLayout.ADDRESS, NEXT_IN, in);
            state.set(ValueLayout.JAVA_INT, AVAIL_IN, n + trailing);
            state.set(ValueLayout.ADDRESS, NEXT_OUT, out);
            state.set(ValueLayout.JAVA_INT, AVAIL_OUT, (int) out.byteSize());
            int rc = inflate(state);
            int produced = (int) out.byteSize() - state.get(ValueLayout.JAVA_INT, AVAIL_OUT);
            byte[] got = out.asSlice(0, Math.max(0, produced)).toArray(ValueLayout.JAVA_BYTE);
            if (rc != 0 || !Arrays.equals(got, text) || state.get(ValueLayout.JAVA_INT, BLOCK_STATE) != BLOCK_FINISH
                    || unconsumed(state) != trailing
                    || state.get(ValueLayout.JAVA_INT, CRC_FLAG) != 0) {
                throw new IllegalStateException(name + " does not inflate as this binding expects (code " + rc
                        + ", " + produced + " of " + text.length + " bytes, block state "
                        + state.get(ValueLayout.JAVA_INT, BLOCK_STATE) + ", " + unconsumed(state)
                        + " bytes left of " + trailing + "): a release whose inflate_state differs from 2.30's");
            }
        }
    }
}
