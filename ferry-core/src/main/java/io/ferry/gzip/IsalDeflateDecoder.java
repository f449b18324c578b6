package io.ferry.gzip;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.DataFormatException;

/// A [DeflateDecoder] that is ISA-L's streaming inflate ([IsalInflate]), two to three times as
/// fast as the JDK's zlib on text. ISA-L reads and writes through pointers kept in its state
/// between calls, so the bytes go through two native buffers of the decoder's own:
///
/// ```text
///  given byte[]  --copy-->  in (64 KiB)  --isal_inflate-->  out (256 KiB)  --copy-->  caller's byte[]
///  [pending, pending + pendingLen): given, not yet copied      in[next_in, next_in + avail_in): copied, not consumed
/// ```
///
/// The copies cost a few percent of the inflating. ISA-L reads up to 8 bytes ahead into its bit
/// buffer; when the deflate data ends, those whole bytes count as [#remaining()] too, so it is
/// exact, as the framing needs to find the trailer. They may be bytes of an earlier input: the
/// framing keeps the last 16 bytes of each input when it refills.
final class IsalDeflateDecoder implements DeflateDecoder {
    static final int IN_BYTES = 1 << 16;
    static final int OUT_BYTES = 1 << 18;

    private final IsalInflate isal;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state;
    private final MemorySegment in;
    private final MemorySegment out;

    private byte[] pending;
    private int pendingOff;
    private int pendingLen;
    /// Whether the last call stopped for want of input: ISA-L may keep a few bytes unconsumed
    /// (in `avail_in`) that it cannot decode before more come.
    private boolean starved;
    private boolean finished;
    private boolean closed;

    IsalDeflateDecoder(IsalInflate isal) {
        this.isal = isal;
        this.state = arena.allocate(IsalInflate.STATE_BYTES, 64);
        this.in = arena.allocate(IN_BYTES, 64);
        this.out = arena.allocate(OUT_BYTES, 64);
        reset();
    }

    @Override
    public void setInput(byte[] b, int off, int len) {
        pending = b;
        pendingOff = off;
        pendingLen = len;
    }

    @Override
    public int inflate(byte[] dst, int off, int len) throws DataFormatException {
        while (!finished) {
            if (pendingLen > 0 && (availIn() == 0 || starved)) {
                refill();
            }
            int room = Math.min(len, OUT_BYTES);
            state.set(ValueLayout.ADDRESS, IsalInflate.NEXT_OUT, out);
            state.set(ValueLayout.JAVA_INT, IsalInflate.AVAIL_OUT, room);
            long before = state.get(ValueLayout.ADDRESS, IsalInflate.NEXT_IN).address();
            int rc = isal.inflate(state);
            if (rc < 0) {
                throw new DataFormatException(IsalInflate.reason(rc));
            }
            int produced = room - state.get(ValueLayout.JAVA_INT, IsalInflate.AVAIL_OUT);
            if (produced > 0) {
                MemorySegment.copy(out, ValueLayout.JAVA_BYTE, 0, dst, off, produced);
            }
            finished = state.get(ValueLayout.JAVA_INT, IsalInflate.BLOCK_STATE) == IsalInflate.BLOCK_FINISH;
            starved = !finished && produced < room;
            if (produced > 0) {
                return produced;
            }
            if (starved && pendingLen == 0) {
                return 0; // needs input
            }
            if (starved && availIn() == IN_BYTES && state.get(ValueLayout.ADDRESS, IsalInflate.NEXT_IN).address() == before) {
                // a full buffer it neither consumes nor inflates: it would loop for ever
                throw new DataFormatException("ISA-L makes no progress on its input");
            }
        }
        return 0;
    }

    /// Moves what ISA-L left unconsumed to the start of `in` and copies given bytes after it.
    private void refill() {
        int left = availIn();
        if (left > 0) {
            long at = state.get(ValueLayout.ADDRESS, IsalInflate.NEXT_IN).address() - in.address();
            MemorySegment.copy(in, at, in, 0, left);
        }
        int n = Math.min(pendingLen, IN_BYTES - left);
        MemorySegment.copy(pending, pendingOff, in, ValueLayout.JAVA_BYTE, left, n);
        pendingOff += n;
        pendingLen -= n;
        state.set(ValueLayout.ADDRESS, IsalInflate.NEXT_IN, in);
        state.set(ValueLayout.JAVA_INT, IsalInflate.AVAIL_IN, left + n);
        starved = false;
    }

    private int availIn() {
        return state.get(ValueLayout.JAVA_INT, IsalInflate.AVAIL_IN);
    }

    @Override
    public boolean needsInput() {
        return !finished && pendingLen == 0 && (availIn() == 0 || starved);
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public int remaining() {
        return pendingLen + IsalInflate.unconsumed(state);
    }

    @Override
    public void reset() {
        isal.init(state);
        state.set(ValueLayout.ADDRESS, IsalInflate.NEXT_IN, in);
        state.set(ValueLayout.JAVA_INT, IsalInflate.AVAIL_IN, 0);
        pending = null;
        pendingLen = 0;
        starved = false;
        finished = false;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
