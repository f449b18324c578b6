package io.ferry.shm;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/// An [NdArray] in a named shared-memory segment, with the [ArrayHandle] another process (a JVM,
/// or Python as it is) maps it with.
///
/// Ownership is the segment's ([Ownership]): [#create] gives the owner (closing unlinks),
/// [#attach(String)] a view (closing only unmaps).
///
/// ```java
/// DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
/// try (SharedArray shared = SharedArray.create(dt, 1000)) {
///     shared.array().column("pos").setLong(0, 10469);
///     String handle = shared.handleJson();  // {"name": "fy…", "shape": [1000], "dtype": [["chr", "|S10"], …]}
///     try (SharedArray seen = SharedArray.attach(handle)) {         // what a consumer does
///         shared.unlink();                          // everyone has attached: drop the name
///         assert seen.array().column("pos").getInt(0) == 10469;
///     }
/// }
/// ```
public final class SharedArray implements AutoCloseable {
    private final SharedSegment segment;
    private ArrayHandle handle;
    private NdArray array;

    private SharedArray(SharedSegment segment, ArrayHandle handle) {
        this.segment = segment;
        this.handle = handle;
        this.array = NdArray.wrap(handle.dtype(), segment.memory(), handle.shape());
    }

    /// {@return a new zero-filled shared array of `dtype` and `shape` under a fresh name, owned by the caller}
    public static SharedArray create(DType dtype, long... shape) {
        return create(SegmentRegistry.process(), dtype, shape);
    }

    /// {@return a new zero-filled shared array, owned by the caller and counted in `registry`}
    public static SharedArray create(SegmentRegistry registry, DType dtype, long... shape) {
        return create(registry, dtype, shape, true);
    }

    /// {@return a new zero-filled shared array whose pages come on first touch}: for a writer that
    /// fills it through its file ([SharedSegment#write]) or reserves each part before it fills it
    /// ([SharedSegment#reserve]), several threads at once, where [#create(DType, long...)]
    /// reserves all of it in this thread
    public static SharedArray createOnTouch(DType dtype, long... shape) {
        return create(SegmentRegistry.process(), dtype, shape, false);
    }

    private static SharedArray create(SegmentRegistry registry, DType dtype, long[] shape, boolean reserve) {
        long bytes = ArrayHandle.byteSize(dtype, shape);     // checks the shape before anything is created
        // Python refuses zero-sized segments; an empty array still gets one byte.
        SharedSegment s = reserve ? registry.create(Math.max(1, bytes)) : registry.createOnTouch(Math.max(1, bytes));
        try {
            return new SharedArray(s, ArrayHandle.of(s.name(), dtype, shape));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /// {@return a view of the shared array a JSON handle describes}, without touching its pages
    /// @throws InvalidHandleException for a handle that is not valid JSON of the right form
    /// @throws SegmentNotFoundException, SegmentTooSmallException, ForeignSegmentException naming the segment
    public static SharedArray attach(String handleJson) {
        return attach(ArrayHandle.parse(handleJson), Ownership.VIEW);
    }

    /// {@return the shared array `handle` describes}; with [Ownership#OWNER] the caller takes over unlinking
    public static SharedArray attach(ArrayHandle handle, Ownership ownership) {
        SharedSegment s = SharedSegment.attach(handle.name(), handle.byteSize(), ownership);
        return new SharedArray(s, handle);
    }

    /// Makes the array `rows` rows long, more than it has, for an owner filling it through the
    /// segment's file ([SharedSegment#write(long, MemorySegment)]) with rows whose count was not
    /// known when it was made: the segment grows ([SharedSegment#grow(long)]), what was written
    /// kept. {@return this}
    /// @throws IllegalArgumentException when `rows` is below what the array has
    /// @throws IllegalStateException    when this handle does not own the segment
    /// @throws java.io.IOException when the segment cannot grow
    public SharedArray growTo(long rows) throws java.io.IOException {
        long[] shape = handle.shape();
        if (shape.length == 0 || rows < shape[0]) {
            throw new IllegalArgumentException("cannot grow " + java.util.Arrays.toString(shape) + " to " + rows + " rows");
        }
        long[] larger = shape.clone();
        larger[0] = rows;
        segment.grow(Math.max(1, ArrayHandle.byteSize(handle.dtype(), larger)));
        handle = ArrayHandle.of(segment.name(), handle.dtype(), larger);
        array = NdArray.wrap(handle.dtype(), segment.memory(), larger);
        return this;
    }

    /// Makes the array its first `rows` rows, and cuts the segment to them when this handle owns
    /// it. For filling an array whose length has an upper bound (a text file's lines, or its
    /// bytes) and sharing what was filled: the handle says `rows`, and the segment holds no more.
    /// {@return this}
    /// @throws IllegalArgumentException when `rows` is negative or more than the array has
    public SharedArray shrinkTo(long rows) {
        long[] shape = handle.shape();
        if (shape.length == 0 || rows < 0 || rows > shape[0]) {
            throw new IllegalArgumentException("cannot shrink " + java.util.Arrays.toString(shape) + " to " + rows + " rows");
        }
        long[] smaller = shape.clone();
        smaller[0] = rows;
        if (segment.ownership() == Ownership.OWNER) {
            segment.truncate(Math.max(1, ArrayHandle.byteSize(handle.dtype(), smaller)));
        }
        handle = ArrayHandle.of(segment.name(), handle.dtype(), smaller);
        array = NdArray.wrap(handle.dtype(), segment.memory(), smaller);
        return this;
    }

    /// {@return the array, a view of the shared memory}
    public NdArray array() {
        return array;
    }

    /// {@return the handle}
    public ArrayHandle handle() {
        return handle;
    }

    /// {@return the handle as JSON}
    public String handleJson() {
        return handle.toJson();
    }

    /// {@return the segment underneath}
    public SharedSegment segment() {
        return segment;
    }

    /// {@return the segment name}
    public String name() {
        return segment.name();
    }

    /// Removes the segment's name (see [SharedSegment#unlink()]).
    public void unlink() {
        segment.unlink();
    }

    /// Hands unlinking to another party (see [SharedSegment#disown()]). {@return this}
    public SharedArray disown() {
        segment.disown();
        return this;
    }

    /// Unmaps (and for an owner, unlinks). Idempotent.
    @Override
    public void close() {
        segment.close();
    }

    /// Offers this array to one consumer over a line protocol, as `ferry share` does:
    /// prints the handle JSON on a line of `out`, then reads lines from `in`.
    /// `attached` unlinks the name at once (the consumer has it mapped, so from then on a crash
    /// of either side leaves nothing); `done` or the end of input returns. Other lines are ignored.
    /// The caller closes the array afterwards.
    public void publish(BufferedReader in, PrintStream out) {
        out.println(handleJson());
        out.flush();
        try {
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.strip()) {
                    case "attached" -> unlink();
                    case "done" -> {
                        return;
                    }
                    default -> {
                        // not part of the protocol: leave it to the consumer to say done
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the consumer's reply for shared array " + name(), e);
        }
    }

    @Override
    public String toString() {
        return "SharedArray" + handleJson();
    }
}
