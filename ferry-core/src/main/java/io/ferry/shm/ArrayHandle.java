package io.ferry.shm;

import io.ferry.dtype.DType;
import io.ferry.dtype.DTypeSpecException;
import io.ferry.json.Json;
import io.ferry.json.JsonException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/// What another process needs to map a [SharedArray]: segment name, shape and dtype, as JSON a
/// Python process uses as it is.
///
/// ```text
/// {"name": "fy1k2j_8c0x3a9z", "shape": [3], "dtype": [["chr", "|S10"], ["pos", "<i4"]]}
/// {"name": "fy1k2j_x0a81bq9", "shape": [24, 180, 360], "dtype": "<f4"}
/// ```
///
/// ```python
/// shm = SharedMemory(name=h["name"])
/// a = np.ndarray(tuple(h["shape"]), dtype=[tuple(f) for f in h["dtype"]], buffer=shm.buf)  # records
/// a = np.ndarray(tuple(h["shape"]), dtype=np.dtype(h["dtype"]), buffer=shm.buf)            # plain
/// ```
///
/// Handles come from other processes, so [#parse] trusts nothing: it wants at most
/// [#MAX_JSON_CHARS] characters, exactly these three keys, a valid segment name, a shape of 1 to
/// 32 non-negative dimensions whose byte size fits in a long, and a dtype numpy reads (a type
/// string, or a list of `[name, type]` pairs).
public final class ArrayHandle {
    /// numpy's limit on dimensions (`NPY_MAXDIMS` of numpy 1.x).
    public static final int MAX_DIMENSIONS = 32;
    /// The longest handle [#parse] reads: 64 Ki characters. A handle is a few hundred bytes; a
    /// record of two thousand fields still fits. A reader of handles (a file, a pipe) reads no
    /// more than this and one byte, so a wrong file or an endless stream is refused at once.
    public static final int MAX_JSON_CHARS = 64 * 1024;
    private static final Set<String> KEYS = Set.of("name", "shape", "dtype");

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final long byteSize;

    private ArrayHandle(String name, DType dtype, long[] shape, long byteSize) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape;
        this.byteSize = byteSize;
    }

    /// {@return a handle for an array of `dtype` and `shape` in segment `name`}
    /// @throws InvalidHandleException for a bad name or shape
    public static ArrayHandle of(String name, DType dtype, long... shape) {
        String n;
        try {
            n = SegmentName.validate(name);
        } catch (InvalidSegmentNameException e) {
            throw new InvalidHandleException("bad shared-array handle: " + e.getMessage());
        }
        Objects.requireNonNull(dtype, "dtype");
        return new ArrayHandle(n, dtype, shape.clone(), byteSize(dtype, shape));
    }

    static long byteSize(DType dtype, long[] shape) {
        if (shape.length == 0 || shape.length > MAX_DIMENSIONS) {
            throw new InvalidHandleException("bad shared-array handle: a shape needs 1 to " + MAX_DIMENSIONS
                    + " dimensions, not " + shape.length);
        }
        long n = dtype.itemSize();
        for (long d : shape) {
            if (d < 0) {
                throw new InvalidHandleException("bad shared-array handle: negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new InvalidHandleException("bad shared-array handle: shape " + Arrays.toString(shape) + " of "
                        + dtype.itemSize() + "-byte elements is larger than any memory (its byte size overflows 64 bits)");
            }
        }
        return n;
    }

    /// {@return the handle `json` describes}
    /// @throws InvalidHandleException saying what is wrong, for anything but a valid handle
    public static ArrayHandle parse(String json) {
        if (json != null && json.length() > MAX_JSON_CHARS) {
            throw new InvalidHandleException("bad shared-array handle: " + json.length() + " characters, more than a handle's "
                    + MAX_JSON_CHARS + " (a handle is a few hundred bytes of JSON: name, shape, dtype)");
        }
        Map<String, Object> m;
        try {
            m = Json.asObject(Json.parse(json), "a shared-array handle");
        } catch (JsonException e) {
            throw new InvalidHandleException("bad shared-array handle: " + e.getMessage(), e);
        }
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) {
                throw new InvalidHandleException("bad shared-array handle: unknown key '" + SegmentName.printable(k)
                        + "' (a handle has exactly name, shape, dtype)");
            }
        }
        for (String k : List.of("name", "shape", "dtype")) {
            if (!m.containsKey(k)) {
                throw new InvalidHandleException("bad shared-array handle: the key '" + k + "' is missing (a handle has name, shape, dtype)");
            }
        }
        try {
            String name = Json.asString(m.get("name"), "the handle's name");
            List<Object> dims = Json.asList(m.get("shape"), "the handle's shape");
            long[] shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                if (dims.get(i) instanceof BigDecimal b) {
                    throw new InvalidHandleException("bad shared-array handle: dimension " + i + " of the shape (" + b
                            + ") does not fit in 64 bits");
                }
                shape[i] = Json.asLong(dims.get(i), "dimension " + i + " of the handle's shape");
            }
            return of(name, dtype(m.get("dtype")), shape);
        } catch (JsonException e) {
            throw new InvalidHandleException("bad shared-array handle: " + e.getMessage(), e);
        }
    }

    private static DType dtype(Object v) {
        try {
            if (v instanceof String s) {
                DType d = DType.parse(s);
                if (d.isStructured()) {
                    throw new InvalidHandleException("bad shared-array handle: dtype string '" + SegmentName.printable(s)
                            + "' is not a numpy type string such as \"<f4\"; write a structured dtype as a list of [name, type] pairs");
                }
                return d;
            }
            List<Object> fields = Json.asList(v, "the handle's dtype");
            if (fields.isEmpty()) {
                throw new InvalidHandleException("bad shared-array handle: the dtype has no fields");
            }
            for (int i = 0; i < fields.size(); i++) {
                List<Object> pair = Json.asList(fields.get(i), "field " + i + " of the handle's dtype");
                if (pair.size() != 2 || !(pair.get(0) instanceof String) || !(pair.get(1) instanceof String)) {
                    throw new InvalidHandleException("bad shared-array handle: field " + i
                            + " of the dtype must be a [name, type] pair of strings, e.g. [\"pos\", \"<i4\"]");
                }
            }
            return DType.parse(Json.write(fields));
        } catch (DTypeSpecException | IllegalArgumentException | IllegalStateException e) {
            throw new InvalidHandleException("bad shared-array handle: bad dtype: " + e.getMessage(), e);
        } catch (JsonException e) {
            throw new InvalidHandleException("bad shared-array handle: " + e.getMessage(), e);
        }
    }

    /// {@return the handle as JSON}, keys in the order name, shape, dtype
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        List<Long> s = new ArrayList<>(shape.length);
        for (long d : shape) {
            s.add(d);
        }
        m.put("shape", s);
        m.put("dtype", new Json.JsonText(dtype.descrJson()));
        return Json.write(m);
    }

    /// {@return the segment name}
    public String name() {
        return name;
    }

    /// {@return the dtype}
    public DType dtype() {
        return dtype;
    }

    /// {@return the shape (a copy)}
    public long[] shape() {
        return shape.clone();
    }

    /// {@return the bytes the array takes: elements times itemsize}
    public long byteSize() {
        return byteSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayHandle h && name.equals(h.name) && dtype.equals(h.dtype) && Arrays.equals(shape, h.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return toJson();
    }
}
