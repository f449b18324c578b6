package io.ferry.array;

import io.ferry.dtype.DType;
import io.ferry.dtype.DTypeSpecException;
import io.ferry.file.OutputFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/// numpy's `.npy` format, which `np.load` reads and `np.save` writes, structured dtypes included,
/// written byte for byte as `np.save` writes it (numpy 1.24 and 2): its spaces to grow the first
/// dimension into, and the version it picks (`_wrap_header_guess_version` in `numpy/lib/format.py`):
/// 1.0; 2.0 for a header past 64 KiB; 3.0, whose header is UTF-8 rather than Latin-1, for field
/// names Latin-1 cannot spell (`μ`, `名`), which 1.0 wrote as `?`.
///
/// ```text
///  0         6     7     8               10 (1.0) or 12 (2.0, 3.0)                   a multiple of 64
///  +---------+-----+-----+---------------+--------------------------------------------+----------------
///  |\x93NUMPY| maj | min | hlen u16 (1.0)| {'descr': ..., 'fortran_order': False,     | data, C order
///  |         |     |     | u32 (2.0, 3.0)|  'shape': (n,), }  <spaces>\n              |
///  +---------+-----+-----+---------------+--------------------------------------------+----------------
/// ```
///
/// ```java
/// Path file = Files.createTempFile("ferry", ".npy");
/// try (Arena arena = Arena.ofConfined()) {
///     NdArray a = NdArray.allocate(DType.parse("<f8"), arena, 2, 3);
///     a.setDouble(5, 2.5);
///     Npy.write(a, file);
///     assert Npy.read(file, arena).equals(a);
/// } finally {
///     Files.delete(file);
/// }
/// ```
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final long WRITE_STEP = 1L << 30;

    private Npy() {
    }

    /// Writes `array` to `file` atomically: under a temporary name beside it, renamed when complete,
    /// so an error leaves `file` as it was. An existing `file` is replaced (keeping its permission
    /// bits); [OutputFile] refuses what is not a regular file (`/dev/null`, a directory, a pipe).
    /// @throws io.ferry.file.OutputFileException when `file` cannot be an output, saying why
    public static void write(NdArray array, Path file) throws IOException {
        OutputFile out = OutputFile.of(file, true, List.of());
        Path tmp = out.createTemporary();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(header(array.dtype(), array.shape())));
                MemorySegment data = array.segment();
                for (long off = 0; off < data.byteSize(); off += WRITE_STEP) {
                    ByteBuffer b = data.asSlice(off, Math.min(WRITE_STEP, data.byteSize() - off)).asByteBuffer();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
            }
            out.commit();
        } catch (IOException | RuntimeException e) {
            out.discard();
            throw e;
        }
    }

    /// {@return the header bytes (magic to padding) for an array of this dtype and shape}
    public static byte[] header(DType dtype, long[] shape) {
        return header(dtype, shape, 0);
    }

    /// {@return the header bytes for an array of this dtype and shape, padded to at least
    /// `length` bytes}: a header rewritten in place once the shape is known keeps the length the
    /// data's offset was fixed with (`length` a multiple of 64, as numpy aligns it)
    static byte[] header(DType dtype, long[] shape, int length) {
        String dict = dict(dtype, shape);
        boolean latin1 = StandardCharsets.ISO_8859_1.newEncoder().canEncode(dict);
        byte[] text = dict.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        int major = !latin1 ? 3 : Math.max(length, aligned(10, text.length)) - 10 <= 0xFFFF ? 1 : 2;
        int prefix = major == 1 ? 10 : 12;
        int total = Math.max(length, aligned(prefix, text.length));
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        int hlen = total - prefix;
        if (major == 1) {
            b.putShort((short) hlen);
        } else {
            b.putInt(hlen);
        }
        b.put(text);
        while (b.position() < total - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    /// {@return the header's dict as `np.save` writes it}, keys sorted, with its spaces for the
    /// first dimension to grow into (`GROWTH_AXIS_MAX_DIGITS`, 21, less that dimension's digits)
    private static String dict(DType dtype, long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        s.append(shape.length == 1 ? ",)" : ")");
        String descr = dtype.isStructured() ? dtype.descr() : "'" + dtype.descr() + "'";
        String growth = shape.length == 0 ? "" : " ".repeat(Math.max(0, 21 - Long.toString(shape[0]).length()));
        return "{'descr': " + descr + ", 'fortran_order': False, 'shape': " + s + ", }" + growth;
    }

    /// {@return the header's length, magic to newline, for `textBytes` of dict after a `prefix` of
    /// 10 or 12 bytes}: numpy pads with 1 to 64 spaces and a newline to the next multiple of 64, a
    /// whole 64 more where the dict and newline already end on one
    private static int aligned(int prefix, int textBytes) {
        return (prefix + textBytes + 1) / ALIGN * ALIGN + ALIGN;
    }

    /// Reads an `.npy` file into memory from `arena`.
    /// @throws NpyFormatException when the file is not an `.npy` Ferry can read, saying why
    public static NdArray read(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(file, ch);
            long need;
            try {
                need = Math.multiplyExact(h.count(), h.dtype.itemSize());
            } catch (ArithmeticException e) {
                throw new NpyFormatException(file, "has a shape of more bytes than a file can hold");
            }
            if (ch.size() - h.dataOffset < need) {
                throw new NpyFormatException(file, "holds " + (ch.size() - h.dataOffset) + " data bytes, its header says "
                        + need);
            }
            MemorySegment s = arena.allocate(Math.max(1, need), 8);
            long pos = h.dataOffset;
            for (long off = 0; off < need; off += WRITE_STEP) {
                ByteBuffer b = s.asSlice(off, Math.min(WRITE_STEP, need - off)).asByteBuffer();
                while (b.hasRemaining()) {
                    int r = ch.read(b, pos);
                    if (r < 0) {
                        throw new NpyFormatException(file, "ended early");
                    }
                    pos += r;
                }
            }
            return NdArray.wrap(h.dtype, s, h.shape);
        }
    }

    private record Header(DType dtype, long[] shape, long dataOffset) {
        long count() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(pre, 0);
        pre.flip();
        if (pre.remaining() < 10) {
            throw new NpyFormatException(file, "is too short for an .npy header");
        }
        for (byte m : MAGIC) {
            if (pre.get() != m) {
                throw new NpyFormatException(file, "does not start with the .npy magic \\x93NUMPY");
            }
        }
        int major = pre.get();
        pre.get();
        long hlen;
        int prefix;
        if (major == 1) {
            hlen = pre.getShort() & 0xFFFF;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            hlen = pre.getInt() & 0xFFFF_FFFFL;
            prefix = 12;
        } else {
            throw new NpyFormatException(file, "has .npy version " + major + ", which Ferry does not know");
        }
        if (hlen > 1 << 24) {
            throw new NpyFormatException(file, "has an implausible header length " + hlen);
        }
        ByteBuffer hb = ByteBuffer.allocate((int) hlen);
        ch.read(hb, prefix);
        String dict = new String(hb.array(), 0, hb.position(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = dictValue(file, dict, "descr");
        String fortran = dictValue(file, dict, "fortran_order");
        String shape = dictValue(file, dict, "shape");
        if (!fortran.equals("False")) {
            throw new NpyFormatException(file, "is in Fortran order; Ferry reads C order only");
        }
        DType dtype;
        try {
            dtype = DType.parse(descr);
        } catch (DTypeSpecException e) {
            throw new NpyFormatException(file, "has a dtype Ferry cannot read: " + e.getMessage());
        }
        return new Header(dtype, parseShape(file, shape), prefix + hlen);
    }

    /// The text of `key`'s value in a Python dict literal, found by bracket matching.
    private static String dictValue(Path file, String dict, String key) {
        int k = dict.indexOf("'" + key + "'");
        if (k < 0) {
            throw new NpyFormatException(file, "has no '" + key + "' in its header");
        }
        int i = dict.indexOf(':', k) + 1;
        while (i < dict.length() && dict.charAt(i) == ' ') {
            i++;
        }
        int depth = 0;
        char quote = 0;
        int start = i;
        for (; i < dict.length(); i++) {
            char c = dict.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        return dict.substring(start, i).trim();
    }

    private static long[] parseShape(Path file, String text) {
        if (!text.startsWith("(") || !text.endsWith(")")) {
            throw new NpyFormatException(file, "has a shape that is not a tuple: " + text);
        }
        List<Long> dims = new ArrayList<>();
        for (String part : text.substring(1, text.length() - 1).split(",")) {
            String p = part.trim();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.isEmpty()) {
                try {
                    dims.add(Long.parseLong(p));
                } catch (NumberFormatException e) {
                    throw new NpyFormatException(file, "has a bad shape: " + text);
                }
            }
        }
        if (dims.isEmpty()) {
            dims.add(1L); // a 0-d array is read as one element
        }
        // A damaged header's shape was a bare "negative dimension" or "long overflow", naming no file
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new NpyFormatException(file, "has a negative dimension in its shape " + text);
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new NpyFormatException(file, "has a shape " + text + " of more elements than a file can hold");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
