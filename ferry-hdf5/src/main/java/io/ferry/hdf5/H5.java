package io.ferry.hdf5;

import io.ferry.libc.Libc;
import org.bytedeco.hdf5.H5A_info_t;
import org.bytedeco.hdf5.H5A_operator2_t;
import org.bytedeco.hdf5.H5E_error2_t;
import org.bytedeco.hdf5.H5E_walk2_t;
import org.bytedeco.hdf5.H5G_info_t;
import org.bytedeco.hdf5.H5L_info2_t;
import org.bytedeco.hdf5.H5L_iterate2_t;
import org.bytedeco.hdf5.H5O_info2_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import static org.bytedeco.hdf5.global.hdf5.*;

/// The one seam between Ferry and the HDF5 C library: every HDF5 call in Ferry goes through here.
///
/// Today it is the reference library 1.14.3 through bytedeco's JavaCPP preset (natives for
/// linux-x86_64, macosx-x86_64, windows-x86_64). Everything else in the package speaks plain
/// `long` ids (`hid_t`) and [MemorySegment]s, so a system libhdf5 bound through FFM downcalls can
/// replace this class alone (arm64, for one).
///
/// Three rules hold for every method:
///
/// - **One lock.** The preset's build is not thread-safe (`H5is_library_threadsafe` says so), so every call takes
///   [#LOCK]. Work that needs no HDF5 (shuffle, deflate) stays outside it.
/// - **No silent failure.** A negative return becomes an [Hdf5Exception] carrying HDF5's own error
///   stack (walked with `H5Ewalk2`), and the stack is cleared.
/// - **No printing.** HDF5's automatic error printing to stderr is switched off (`H5Eset_auto2`
///   with null), per thread, because a thread-safe build keeps that setting per thread.
///
/// The `H5T_…()` accessors of the preset return `int` and truncate 64-bit ids; only the
/// `H5T_…_g()` variants are used, after `H5open()`.
final class H5 {
    static {
        Hdf5Natives.loadFromFolder(); // first: before anything below touches JavaCPP's classes
    }

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> false);
    private static final StringBuilder STACK = new StringBuilder();   // filled by WALKER, under LOCK
    private static final H5E_walk2_t WALKER;  // held here so the native callback is never collected
    // The names an iteration collects (under LOCK), and the callbacks that collect them: one of
    // each for good (JavaCPP allows few callback objects of a kind, and they must outlive the call).
    private static final List<String> NAMES = new ArrayList<>();
    /// The first name of an iteration that is not UTF-8 (under LOCK), or null: decoded with
    /// replacement characters, it named nothing, and the file looked damaged ("name doesn't exist").
    private static byte[] notUtf8;
    private static final H5A_operator2_t ATTRIBUTE_NAME = new H5A_operator2_t() {
        @Override
        public int call(long location, BytePointer name, H5A_info_t info, Pointer data) {
            collectName(name);
            return 0;
        }
    };
    private static final H5L_iterate2_t LINK_NAME = new H5L_iterate2_t() {
        @Override
        public int call(long group, BytePointer name, H5L_info2_t info, Pointer data) {
            collectName(name);
            return 0;
        }
    };
    private static final int STACK_SHOWN = 3;

    static final long DEFAULT = H5P_DEFAULT;
    static final long UNLIMITED = -1L;        // H5S_UNLIMITED, (hsize_t) -1

    static {
        int rc = H5open();
        if (rc < 0) {
            throw new Hdf5Exception("H5open failed: the HDF5 library could not be initialised");
        }
        WALKER = new H5E_walk2_t() {
            @Override
            public int call(int n, H5E_error2_t err, Pointer data) {
                String func = string(err.func_name());
                String desc = string(err.desc());
                String major = message(err.maj_num());
                String minor = message(err.min_num());
                if (n < STACK_SHOWN) {      // the innermost few say what went wrong; the rest is the call path
                    // One line: the sec2 driver's message holds a ctime() date, newline and all.
                    desc = desc.replace('\n', ' ').strip();
                    STACK.append(n == 0 ? "" : "; ").append(desc.isEmpty() ? minor : desc)
                            .append(" (").append(func).append(": ").append(major).append(" / ").append(minor).append(')');
                }
                return 0;
            }
        };
    }

    private H5() {
    }

    /// Runs `call` under the lock; a negative result becomes an [Hdf5Exception] saying `what`.
    private static long call(String what, LongSupplier call) {
        LOCK.lock();
        try {
            quiet();
            long rc = call.getAsLong();
            if (rc < 0) {
                throw new Hdf5Exception(what + ": " + errorStack());
            }
            return rc;
        } finally {
            LOCK.unlock();
        }
    }

    private static void quiet() {
        if (!QUIET.get()) {
            H5Eset_auto2(H5E_DEFAULT, null, null);
            QUIET.set(true);
        }
    }

    /// {@return HDF5's error stack as one line, innermost last}; clears it. Caller holds the lock.
    private static String errorStack() {
        STACK.setLength(0);
        H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, WALKER, null);
        H5Eclear2(H5E_DEFAULT);
        String s = STACK.toString();
        STACK.setLength(0);
        return s.isEmpty() ? "HDF5 reported an error without a message" : s;
    }

    private static String message(long id) {
        byte[] buf = new byte[256];
        long n = H5Eget_msg(id, (int[]) null, buf, buf.length);
        return n <= 0 ? "?" : new String(buf, 0, (int) Math.min(n, buf.length - 1), StandardCharsets.UTF_8);
    }

    private static String string(BytePointer p) {
        return p == null || p.isNull() ? "" : p.getString(StandardCharsets.UTF_8);
    }

    /// {@return a JavaCPP pointer to the memory of a native segment}
    private static Pointer pointer(MemorySegment s) {
        if (!s.isNative()) {
            throw new IllegalArgumentException("HDF5 needs native memory; got a heap segment");
        }
        long nativeAddress = s.address();     // not "address": inside Pointer that name is the field
        return new Pointer() {
            {
                address = nativeAddress;
            }
        };
    }

    /// {@return "major.minor.release" of the HDF5 library in use}
    static String libraryVersion() {
        int[] a = new int[1], b = new int[1], c = new int[1];
        call("H5get_libversion", () -> H5get_libversion(a, b, c));
        return a[0] + "." + b[0] + "." + c[0];
    }

    // ---- files ------------------------------------------------------------------------------

    /// Loads and initialises the library (this class's static initialiser), which takes a while
    /// the first time: a writer does it before it creates its temporary file, so that a signal in
    /// that while finds no file that no cleanup knows of yet.
    static void load() {
        // the static initialiser has run
    }

    /// Creates an HDF5 file at `path`, truncating the empty file [io.ferry.file.OutputFile] made
    /// there (exclusively, with the mode the output will have).
    static long fileCreate(String path) {
        return call("cannot create HDF5 file " + path,
                () -> H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    }

    static long fileOpenReadWrite(String path) {
        return call("cannot open HDF5 file " + path + " for writing", () -> H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT));
    }

    static long fileOpenReadOnly(String path) {
        return call("cannot open HDF5 file " + path, () -> H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT));
    }

    static void fileClose(long id) {
        call("H5Fclose", () -> H5Fclose(id));
    }

    /// Writes out everything of file `id` that HDF5 holds in memory: its metadata too.
    static void fileFlush(long id) {
        call("H5Fflush", () -> H5Fflush(id, H5F_SCOPE_GLOBAL));
    }

    /// Closes a file that is being thrown away, whatever its state. A file whose writes fail (a
    /// full disk) fails `H5Fclose` too, and HDF5 then keeps it open and flushes it again in its
    /// exit handler, where the failing writes crash the JVM. Its descriptor is pointed at
    /// `/dev/null` first, so that those writes succeed and the file closes now.
    static void fileDiscard(long id) {
        LOCK.lock();
        try {
            quiet();
            PointerPointer handle = new PointerPointer(1);
            if (H5Fget_vfd_handle(id, H5P_DEFAULT, handle) >= 0 && handle.get(0) != null && !handle.get(0).isNull()) {
                pointAtDevNull(new IntPointer(handle.get(0)).get());   // the sec2 driver's handle is an int *
            }
            H5Fclose(id);
            H5Eclear2(H5E_DEFAULT);
        } finally {
            LOCK.unlock();
        }
    }

    /// Makes `fd` write to `/dev/null`, if it can: a file being discarded closes either way.
    private static void pointAtDevNull(int fd) {
        try {
            int nul = Libc.open("/dev/null", Libc.O_WRONLY);
            try {
                Libc.dup2(nul, fd);
            } finally {
                Libc.close(nul);
            }
        } catch (RuntimeException e) {
            // no /dev/null to point at: the file is closed as it is, as it would be without this
        }
    }

    /// Closes `id` with `close` when it was ever opened (ids are positive): for `finally` blocks
    /// that release whatever of several ids got as far as being created.
    static void closeIfValid(long id, java.util.function.LongConsumer close) {
        if (id > 0) {
            close.accept(id);
        }
    }

    // ---- ids of any kind ----------------------------------------------------------------------

    static void typeClose(long id) {
        call("H5Tclose", () -> H5Tclose(id));
    }

    static void spaceClose(long id) {
        call("H5Sclose", () -> H5Sclose(id));
    }

    static void plistClose(long id) {
        call("H5Pclose", () -> H5Pclose(id));
    }

    static void datasetClose(long id) {
        call("H5Dclose", () -> H5Dclose(id));
    }

    static void objectClose(long id) {
        call("H5Oclose", () -> H5Oclose(id));
    }

    // ---- types: building --------------------------------------------------------------------

    /// {@return a copy of a predefined integer type}
    static long typeInteger(int size, boolean signed, ByteOrder order) {
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        return call("H5Tcopy", () -> H5Tcopy(switch (size) {
            case 1 -> signed ? (le ? H5T_STD_I8LE_g() : H5T_STD_I8BE_g()) : (le ? H5T_STD_U8LE_g() : H5T_STD_U8BE_g());
            case 2 -> signed ? (le ? H5T_STD_I16LE_g() : H5T_STD_I16BE_g()) : (le ? H5T_STD_U16LE_g() : H5T_STD_U16BE_g());
            case 4 -> signed ? (le ? H5T_STD_I32LE_g() : H5T_STD_I32BE_g()) : (le ? H5T_STD_U32LE_g() : H5T_STD_U32BE_g());
            case 8 -> signed ? (le ? H5T_STD_I64LE_g() : H5T_STD_I64BE_g()) : (le ? H5T_STD_U64LE_g() : H5T_STD_U64BE_g());
            default -> throw new IllegalArgumentException("integer size " + size);
        }));
    }

    /// {@return a copy of a predefined IEEE float type}
    static long typeFloat(int size, ByteOrder order) {
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        return call("H5Tcopy", () -> H5Tcopy(switch (size) {
            case 4 -> le ? H5T_IEEE_F32LE_g() : H5T_IEEE_F32BE_g();
            case 8 -> le ? H5T_IEEE_F64LE_g() : H5T_IEEE_F64BE_g();
            default -> throw new IllegalArgumentException("float size " + size);
        }));
    }

    /// {@return a fixed-size, NULLPAD, ASCII string of `size` bytes}, as h5py makes for numpy `S<n>`.
    static long typeFixedString(long size) {
        long t = call("H5Tcopy", () -> H5Tcopy(H5T_C_S1_g()));
        call("H5Tset_size", () -> H5Tset_size(t, size));
        call("H5Tset_strpad", () -> H5Tset_strpad(t, H5T_STR_NULLPAD));
        call("H5Tset_cset", () -> H5Tset_cset(t, H5T_CSET_ASCII));
        return t;
    }

    /// {@return a variable-length, NUL-terminated string}, ASCII or UTF-8.
    static long typeVariableString(boolean utf8) {
        long t = call("H5Tcopy", () -> H5Tcopy(H5T_C_S1_g()));
        call("H5Tset_size", () -> H5Tset_size(t, H5T_VARIABLE));
        call("H5Tset_cset", () -> H5Tset_cset(t, utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII));
        return t;
    }

    /// {@return h5py's boolean: an enum over int8 with FALSE = 0 and TRUE = 1}
    static long typeBoolEnum() {
        long t = call("H5Tenum_create", () -> H5Tenum_create(H5T_NATIVE_INT8_g()));
        try (BytePointer v = new BytePointer(1)) {
            v.put(0, (byte) 0);
            call("H5Tenum_insert", () -> H5Tenum_insert(t, "FALSE", v));
            v.put(0, (byte) 1);
            call("H5Tenum_insert", () -> H5Tenum_insert(t, "TRUE", v));
        }
        return t;
    }

    static long typeCompound(long size) {
        return call("H5Tcreate", () -> H5Tcreate(H5T_COMPOUND, size));
    }

    static void typeInsert(long compound, String name, long offset, long member) {
        call("cannot add member '" + name + "'", () -> H5Tinsert(compound, name, offset, member));
    }

    static long typeNativeInt64() {
        return call("H5Tcopy", () -> H5Tcopy(H5T_NATIVE_INT64_g()));
    }

    static long typeNativeUInt64() {
        return call("H5Tcopy", () -> H5Tcopy(H5T_NATIVE_UINT64_g()));
    }

    static long typeNativeDouble() {
        return call("H5Tcopy", () -> H5Tcopy(H5T_NATIVE_DOUBLE_g()));
    }

    // ---- types: inspecting ------------------------------------------------------------------

    /// The classes of HDF5 type Ferry tells apart.
    enum TypeClass { INTEGER, FLOAT, STRING, ENUM, COMPOUND, OTHER }

    static TypeClass typeClass(long t) {
        int c = (int) call("H5Tget_class", () -> H5Tget_class(t));
        if (c == H5T_INTEGER) {
            return TypeClass.INTEGER;
        } else if (c == H5T_FLOAT) {
            return TypeClass.FLOAT;
        } else if (c == H5T_STRING) {
            return TypeClass.STRING;
        } else if (c == H5T_ENUM) {
            return TypeClass.ENUM;
        } else if (c == H5T_COMPOUND) {
            return TypeClass.COMPOUND;
        }
        return TypeClass.OTHER;
    }

    static long typeSize(long t) {
        long size = call("H5Tget_size", () -> {
            long n = H5Tget_size(t);
            return n == 0 ? -1 : n;     // 0 is H5Tget_size's error value
        });
        return size;
    }

    static ByteOrder typeOrder(long t) {
        int o = (int) call("H5Tget_order", () -> H5Tget_order(t));
        return o == H5T_ORDER_BE ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    static boolean typeSigned(long t) {
        return call("H5Tget_sign", () -> H5Tget_sign(t)) == H5T_SGN_2;
    }

    static boolean typeIsUtf8(long t) {
        return call("H5Tget_cset", () -> H5Tget_cset(t)) == H5T_CSET_UTF8;
    }

    static boolean typeIsVariableString(long t) {
        return call("H5Tis_variable_str", () -> H5Tis_variable_str(t)) > 0;
    }

    static int typeMemberCount(long t) {
        return (int) call("H5Tget_nmembers", () -> H5Tget_nmembers(t));
    }

    static String typeMemberName(long t, int i) {
        LOCK.lock();
        try {
            quiet();
            BytePointer p = H5Tget_member_name(t, i);
            if (p == null || p.isNull()) {
                throw new Hdf5Exception("H5Tget_member_name: " + errorStack());
            }
            String s = p.getString(StandardCharsets.UTF_8);
            H5free_memory(p);
            return s;
        } finally {
            LOCK.unlock();
        }
    }

    static long typeMemberOffset(long t, int i) {
        // H5Tget_member_offset returns 0 for errors too; the index comes from typeMemberCount.
        return call("H5Tget_member_offset", () -> H5Tget_member_offset(t, i));
    }

    static long typeMemberType(long t, int i) {
        return call("H5Tget_member_type", () -> H5Tget_member_type(t, i));
    }

    static long typeSuper(long t) {
        return call("H5Tget_super", () -> H5Tget_super(t));
    }

    /// {@return the value of enum member `i`, read as a little long (the enum's base is small)}
    static long enumValue(long t, int i) {
        try (BytePointer v = new BytePointer(8)) {
            v.fill(0);
            call("H5Tget_member_value", () -> H5Tget_member_value(t, i, v));
            long size = typeSize(t);
            long value = 0;
            for (int b = (int) size - 1; b >= 0; b--) {
                value = (value << 8) | (v.get(b) & 0xff);      // native order is little-endian here
            }
            return size < 8 && (v.get(size - 1) & 0x80) != 0 ? value - (1L << (8 * size)) : value;
        }
    }

    // ---- dataspaces ---------------------------------------------------------------------------

    static long spaceSimple(long[] dims, long[] maxDims) {
        return call("H5Screate_simple", () -> H5Screate_simple(dims.length, dims, maxDims));
    }

    static long spaceScalar() {
        return call("H5Screate", () -> H5Screate(H5S_SCALAR));
    }

    /// A simple dataspace's extent: its current and its maximum shape (-1 along an unlimited axis).
    record Extent(long[] dims, long[] maxDims) {
    }

    static Extent spaceExtent(long space) {
        int n = (int) call("H5Sget_simple_extent_ndims", () -> H5Sget_simple_extent_ndims(space));
        long[] dims = new long[n];
        long[] max = new long[n];
        if (n > 0) {
            call("H5Sget_simple_extent_dims", () -> H5Sget_simple_extent_dims(space, dims, max));
        }
        return new Extent(dims, max);
    }

    /// {@return whether `space` is HDF5's null dataspace}: no elements, not even a scalar's one
    static boolean spaceIsNull(long space) {
        return call("H5Sget_simple_extent_type", () -> H5Sget_simple_extent_type(space)) == H5S_NULL;
    }

    static long spacePoints(long space) {
        return call("H5Sget_simple_extent_npoints", () -> H5Sget_simple_extent_npoints(space));
    }

    /// Selects the block starting at `start` with `count` elements per dimension.
    static void spaceSelectBlock(long space, long[] start, long[] count) {
        call("H5Sselect_hyperslab",
                () -> H5Sselect_hyperslab(space, H5S_SELECT_SET, start, null, count, (long[]) null));
    }

    /// Maps the block of `count` elements at `start` of the virtual dataset's space `vspace` to
    /// the whole of dataset `srcDataset` in file `srcFile` (`srcSpace`, all selected).
    static void setVirtual(long dcpl, long vspace, long[] start, long[] count, String srcFile, String srcDataset,
                           long srcSpace) {
        spaceSelectBlock(vspace, start, count);
        call("H5Sselect_all", () -> H5Sselect_all(srcSpace));
        // HDF5 reads a source's names as printf-like patterns (%b: a block's number): a literal %
        // is %%, or every row of a part named 50%.h5 read as zero
        call("H5Pset_virtual " + srcFile + ":" + srcDataset, () -> H5Pset_virtual(dcpl, vspace,
                srcFile.replace("%", "%%"), srcDataset.replace("%", "%%"), srcSpace));
    }

    // ---- property lists ---------------------------------------------------------------------

    static long datasetCreateList() {
        return call("H5Pcreate", () -> H5Pcreate(H5P_CLS_DATASET_CREATE_ID_g()));
    }

    static long datasetAccessList() {
        return call("H5Pcreate", () -> H5Pcreate(H5P_CLS_DATASET_ACCESS_ID_g()));
    }

    static long linkCreateListWithParents() {
        long l = call("H5Pcreate", () -> H5Pcreate(H5P_CLS_LINK_CREATE_ID_g()));
        call("H5Pset_create_intermediate_group", () -> H5Pset_create_intermediate_group(l, 1));
        return l;
    }

    static void setChunk(long dcpl, long[] chunk) {
        call("H5Pset_chunk", () -> H5Pset_chunk(dcpl, chunk.length, chunk));
    }

    /// Never write fill values: every row up to the extent is written by the appends.
    static void setNoFill(long dcpl) {
        call("H5Pset_fill_time", () -> H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER));
    }

    static void setShuffle(long dcpl) {
        call("H5Pset_shuffle", () -> H5Pset_shuffle(dcpl));
    }

    static void setDeflate(long dcpl, int level) {
        call("H5Pset_deflate", () -> H5Pset_deflate(dcpl, level));
    }

    static void setChunkCache(long dapl, long bytes) {
        call("H5Pset_chunk_cache", () -> H5Pset_chunk_cache(dapl, 12421, bytes, 1.0));
    }

    /// {@return the chunk shape of a dataset creation list, or an empty array if not chunked}
    static long[] chunk(long dcpl, int rank) {
        long[] dims = new long[rank];
        LOCK.lock();
        try {
            quiet();
            int n = H5Pget_chunk(dcpl, rank, dims);
            if (n < 0) {
                H5Eclear2(H5E_DEFAULT);     // not chunked: contiguous or compact layout
                return new long[0];
            }
            return dims;
        } finally {
            LOCK.unlock();
        }
    }

    /// A filter of a dataset's pipeline: HDF5's id, its name, its parameters.
    record Filter(int id, String name, int[] params) {
    }

    /// A file that holds a dataset's rows outside HDF5 (external storage, h5py's `external=`).
    ///
    /// @param name   the file, as the dataset names it
    /// @param offset where the rows start in it
    /// @param size   how many bytes of it hold rows; -1 for all to its end
    record External(String name, long offset, long size) {
    }

    static List<External> externalFiles(long dcpl) {
        int n = (int) call("H5Pget_external_count", () -> H5Pget_external_count(dcpl));
        List<External> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            byte[] name = new byte[4096];
            long[] size = new long[1];
            try (SizeTPointer offset = new SizeTPointer(1)) {   // HDF5's off_t *offset, hsize_t *size
                call("H5Pget_external", () -> H5Pget_external(dcpl, index, name.length, name, offset, size));
                int len = 0;
                while (len < name.length && name[len] != 0) {
                    len++;
                }
                out.add(new External(new String(name, 0, len, StandardCharsets.UTF_8), offset.get(), size[0]));
            }
        }
        return out;
    }

    static List<Filter> filters(long dcpl) {
        int n = (int) call("H5Pget_nfilters", () -> H5Pget_nfilters(dcpl));
        List<Filter> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            int[] flags = new int[1];
            int[] values = new int[8];
            byte[] name = new byte[128];
            int[] config = new int[1];
            try (SizeTPointer count = new SizeTPointer(1)) {
                count.put(values.length);
                int id = (int) call("H5Pget_filter2",
                        () -> H5Pget_filter2(dcpl, index, flags, count, values, name.length, name, config));
                int len = 0;
                while (len < name.length && name[len] != 0) {
                    len++;
                }
                int[] params = java.util.Arrays.copyOf(values, (int) Math.min(count.get(), values.length));
                out.add(new Filter(id, new String(name, 0, len, StandardCharsets.UTF_8), params));
            }
        }
        return out;
    }

    static boolean isDeflate(Filter f) {
        return f.id() == H5Z_FILTER_DEFLATE;
    }

    static boolean isShuffle(Filter f) {
        return f.id() == H5Z_FILTER_SHUFFLE;
    }

    // ---- datasets ---------------------------------------------------------------------------

    static long datasetCreate(long loc, String name, long type, long space, long lcpl, long dcpl, long dapl) {
        return call("cannot create dataset '" + name + "'",
                () -> H5Dcreate2(loc, name, type, space, lcpl, dcpl, dapl));
    }

    static long datasetOpen(long loc, String name) {
        return call("cannot open dataset '" + name + "'", () -> H5Dopen2(loc, name, H5P_DEFAULT));
    }

    static long datasetType(long ds) {
        return call("H5Dget_type", () -> H5Dget_type(ds));
    }

    static long datasetSpace(long ds) {
        return call("H5Dget_space", () -> H5Dget_space(ds));
    }

    static long datasetCreateList(long ds) {
        return call("H5Dget_create_plist", () -> H5Dget_create_plist(ds));
    }

    static void datasetSetExtent(long ds, long[] dims) {
        call("H5Dset_extent", () -> H5Dset_extent(ds, dims));
    }

    /// Writes `data` into the block of the dataset at `start` of shape `count` (one memory copy by HDF5, no conversion
    /// when `memType` equals the file type).
    static void datasetWriteBlock(long ds, long memType, long[] start, long[] count, MemorySegment data) {
        onBlock(ds, start, count, (mem, file) -> {
            Pointer p = pointer(data);
            call("H5Dwrite", () -> H5Dwrite(ds, memType, mem, file, H5P_DEFAULT, p));
        });
    }

    /// Reads the block at `start` of shape `count` into `data`, converted to `memType`.
    static void datasetReadBlock(long ds, long memType, long[] start, long[] count, MemorySegment data) {
        onBlock(ds, start, count, (mem, file) -> {
            Pointer p = pointer(data);
            call("H5Dread", () -> H5Dread(ds, memType, mem, file, H5P_DEFAULT, p));
        });
    }

    /// A transfer between memory of a block's shape and that block of a dataset.
    private interface BlockTransfer {
        void run(long memSpace, long fileSpace);
    }

    /// Runs `transfer`, under the lock, with a memory space of shape `count` and the dataset's file
    /// space with the block at `start` selected; closes both spaces after.
    private static void onBlock(long ds, long[] start, long[] count, BlockTransfer transfer) {
        LOCK.lock();
        try {
            long file = datasetSpace(ds);
            long mem = spaceSimple(count, null);
            try {
                spaceSelectBlock(file, start, count);
                transfer.run(mem, file);
            } finally {
                spaceClose(mem);
                spaceClose(file);
            }
        } finally {
            LOCK.unlock();
        }
    }

    /// Writes one chunk as it will be stored (already filtered), at the element offset `offset`.
    ///
    /// @param filterMask bit i set means filter i of the pipeline was skipped; 0 means all applied
    static void datasetWriteChunk(long ds, long[] offset, int filterMask, MemorySegment bytes) {
        Pointer p = pointer(bytes);
        call("H5Dwrite_chunk", () -> H5Dwrite_chunk(ds, H5P_DEFAULT, filterMask, offset, bytes.byteSize(), p));
    }

    // ---- groups and objects ------------------------------------------------------------------

    /// What an object in a file is: OTHER is a named datatype (h5py's `f['t'] = np.dtype('i4')`),
    /// the one other kind a file holds.
    enum ObjectKind { GROUP, DATASET, OTHER }

    static long objectOpen(long loc, String path) {
        return call("cannot open '" + path + "'", () -> H5Oopen(loc, path, H5P_DEFAULT));
    }

    /// {@return whether `path` (relative, `a/b/c`) names something}; H5Lexists needs each parent to exist.
    static boolean linkExists(long loc, String path) {
        String prefix = "";
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            prefix = prefix.isEmpty() ? part : prefix + "/" + part;
            String p = prefix;
            if (call("H5Lexists '" + p + "'", () -> H5Lexists(loc, p, H5P_DEFAULT)) <= 0) {
                return false;
            }
        }
        return !prefix.isEmpty();
    }

    /// Makes `path` (relative, its missing groups made) a soft link holding `target`, resolved when followed.
    static void linkCreateSoft(long loc, String path, String target) {
        long lcpl = linkCreateListWithParents();
        try {
            call("H5Lcreate_soft '" + path + "'", () -> H5Lcreate_soft(target, loc, path, lcpl, H5P_DEFAULT));
        } finally {
            plistClose(lcpl);
        }
    }

    /// Removes the link `path` (the object goes once nothing refers to it; its space is not reclaimed).
    static void linkDelete(long loc, String path) {
        call("H5Ldelete '" + path + "'", () -> H5Ldelete(loc, path, H5P_DEFAULT));
    }

    /// {@return the names of the links in group `group`, by name}, in one pass: asking for them
    /// by index made HDF5 sort a large group's links again for every one (20,000 datasets in one
    /// group made a valid file look damaged: no progress for a minute)
    /// @throws NameNotUtf8Exception when a link's name is not UTF-8 text
    static List<String> groupLinks(long group) {
        LOCK.lock();
        try {
            NAMES.clear();
            notUtf8 = null;
            call("H5Literate2", () -> H5Literate2(group, H5_INDEX_NAME, H5_ITER_INC, (long[]) null, LINK_NAME, null));
            if (notUtf8 != null) {
                throw new NameNotUtf8Exception("link", notUtf8);
            }
            return List.copyOf(NAMES);
        } finally {
            NAMES.clear();
            notUtf8 = null;
            LOCK.unlock();
        }
    }

    /// Adds `name` to [#NAMES], or notes it in [#notUtf8] when it is not UTF-8 (under LOCK).
    private static void collectName(BytePointer name) {
        byte[] bytes = name.getStringBytes();
        try {
            NAMES.add(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            if (notUtf8 == null) {
                notUtf8 = bytes;
            }
        }
    }

    // ---- links and what they lead to (reading a file's structure) --------------------------

    /// What a link is: a name of an object in this file (hard), a path resolved when followed
    /// (soft), a file and a path in it (external), or a kind a plugin defines.
    enum LinkKind { HARD, SOFT, EXTERNAL, OTHER }

    /// A link of a group, as stored.
    ///
    /// @param kind   what it is
    /// @param target the path a soft link holds, or the object path of an external link; empty else
    /// @param file   the file an external link names; empty else
    record Link(LinkKind kind, String target, String file) {
    }

    /// {@return link `name` of group `group`}, not followed
    static Link link(long group, String name) {
        LOCK.lock();
        try (H5L_info2_t info = new H5L_info2_t()) {
            call("cannot read link '" + name + "'", () -> H5Lget_info2(group, name, info, H5P_DEFAULT));
            int type = info.type();
            if (type != H5L_TYPE_SOFT && type != H5L_TYPE_EXTERNAL) {
                return new Link(type == H5L_TYPE_HARD ? LinkKind.HARD : LinkKind.OTHER, "", "");
            }
            long size = info.u_val_size();
            try (BytePointer buf = new BytePointer(Math.max(1, size))) {
                call("cannot read link '" + name + "'", () -> H5Lget_val(group, name, buf, size, H5P_DEFAULT));
                if (type == H5L_TYPE_SOFT) {
                    byte[] bytes = new byte[(int) size];
                    buf.get(bytes);
                    return new Link(LinkKind.SOFT, cString(bytes), "");
                }
                try (PointerPointer<BytePointer> file = new PointerPointer<>(1);
                     PointerPointer<BytePointer> object = new PointerPointer<>(1);
                     IntPointer flags = new IntPointer(1)) {
                    call("cannot unpack external link '" + name + "'", () -> H5Lunpack_elink_val(buf, size, flags, file, object));
                    return new Link(LinkKind.EXTERNAL, object.get(BytePointer.class, 0).getString(StandardCharsets.UTF_8),
                            file.get(BytePointer.class, 0).getString(StandardCharsets.UTF_8));
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    /// An object, as a hard link leads to it.
    ///
    /// @param kind       a group, a dataset, or something else (a named datatype)
    /// @param address    the object's token in hex: equal for two links to the same object
    /// @param links      how many hard links lead to it
    /// @param attributes how many attributes it has
    record ObjectInfo(ObjectKind kind, String address, int links, int attributes) {
    }

    /// {@return what `path` (from `loc`, links followed) leads to}
    static ObjectInfo objectInfo(long loc, String path) {
        LOCK.lock();
        try (H5O_info2_t info = new H5O_info2_t()) {
            call("cannot open '" + path + "'", () -> H5Oget_info_by_name3(loc, path, info, H5O_INFO_BASIC | H5O_INFO_NUM_ATTRS, H5P_DEFAULT));
            StringBuilder token = new StringBuilder();
            org.bytedeco.hdf5.H5O_token_t t = info.token();
            for (int i = 0; i < 16; i++) {
                token.append(String.format("%02x", t.__data(i) & 0xff));
            }
            ObjectKind kind = info.type() == H5O_TYPE_GROUP ? ObjectKind.GROUP
                    : info.type() == H5O_TYPE_DATASET ? ObjectKind.DATASET : ObjectKind.OTHER;
            return new ObjectInfo(kind, token.toString(), info.rc(), (int) info.num_attrs());
        } finally {
            LOCK.unlock();
        }
    }

    /// {@return whether this HDF5 library can apply filter `id` (built in, or a plugin it found)}
    static boolean filterAvailable(int id) {
        return call("H5Zfilter_avail", () -> H5Zfilter_avail(id)) > 0;
    }

    /// How a dataset's data is stored.
    enum Layout { COMPACT, CONTIGUOUS, CHUNKED, VIRTUAL, OTHER }

    static Layout layout(long dcpl) {
        int l = (int) call("H5Pget_layout", () -> H5Pget_layout(dcpl));
        return l == H5D_COMPACT ? Layout.COMPACT : l == H5D_CONTIGUOUS ? Layout.CONTIGUOUS
                : l == H5D_CHUNKED ? Layout.CHUNKED : l == H5D_VIRTUAL ? Layout.VIRTUAL : Layout.OTHER;
    }

    /// A mapping of a virtual dataset: where its rows `first` to `first + rows` come from.
    record VirtualMapping(String file, String dataset, long first, long rows) {
    }

    /// {@return the mappings of virtual dataset creation list `dcpl`, in order}
    static List<VirtualMapping> virtualMappings(long dcpl) {
        LOCK.lock();
        try (SizeTPointer count = new SizeTPointer(1)) {
            call("H5Pget_virtual_count", () -> H5Pget_virtual_count(dcpl, count));
            List<VirtualMapping> out = new ArrayList<>();
            for (long i = 0; i < count.get(); i++) {
                long index = i;
                long n = call("H5Pget_virtual_filename", () -> H5Pget_virtual_filename(dcpl, index, (byte[]) null, 0));
                byte[] file = new byte[(int) n + 1];
                call("H5Pget_virtual_filename", () -> H5Pget_virtual_filename(dcpl, index, file, file.length));
                n = call("H5Pget_virtual_dsetname", () -> H5Pget_virtual_dsetname(dcpl, index, (byte[]) null, 0));
                byte[] dataset = new byte[(int) n + 1];
                call("H5Pget_virtual_dsetname", () -> H5Pget_virtual_dsetname(dcpl, index, dataset, dataset.length));
                long vspace = call("H5Pget_virtual_vspace", () -> H5Pget_virtual_vspace(dcpl, index));
                try {
                    int rank = (int) call("H5Sget_simple_extent_ndims", () -> H5Sget_simple_extent_ndims(vspace));
                    long[] start = new long[Math.max(1, rank)];
                    long[] end = new long[Math.max(1, rank)];
                    call("H5Sget_select_bounds", () -> H5Sget_select_bounds(vspace, start, end));
                    out.add(new VirtualMapping(cString(file).replace("%%", "%"), cString(dataset).replace("%%", "%"),
                            start[0], end[0] - start[0] + 1));
                } finally {
                    spaceClose(vspace);
                }
            }
            return out;
        } finally {
            LOCK.unlock();
        }
    }

    private static String cString(byte[] b) {
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    /// Writes the fill value of dataset creation list `dcpl` into `data`, as `memType`.
    /// {@return false when the list defines none}
    static boolean fillValue(long dcpl, long memType, MemorySegment data) {
        int[] status = new int[1];
        call("H5Pfill_value_defined", () -> H5Pfill_value_defined(dcpl, status));
        if (status[0] == H5D_FILL_VALUE_UNDEFINED) {
            return false;
        }
        Pointer p = pointer(data);
        call("H5Pget_fill_value", () -> H5Pget_fill_value(dcpl, memType, p));
        return true;
    }

    /// Reads all of dataset `ds` (a scalar's one element) into `data`, converted to `memType`.
    static void datasetReadAll(long ds, long memType, MemorySegment data) {
        Pointer p = pointer(data);
        call("H5Dread", () -> H5Dread(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, p));
    }

    /// {@return the first `n` of HDF5's variable-length strings in `ptrs`, UTF-8 decoded; a null one as ""}
    private static List<String> variableStrings(PointerPointer<BytePointer> ptrs, long n) {
        List<String> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            BytePointer s = ptrs.get(BytePointer.class, i);
            out.add(s == null || s.isNull() ? "" : s.getString(StandardCharsets.UTF_8));
        }
        return out;
    }

    /// Reads the one string of a scalar dataset of a variable-length string, and frees HDF5's copy.
    static String datasetReadVariableString(long ds, long fileType) {
        return locked(() -> {
            long space = datasetSpace(ds);
            try {
                return readVariableStrings(fileType, 1, space, "H5Dread",
                        (mem, ptrs) -> H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs)).getFirst();
            } finally {
                spaceClose(space);
            }
        });
    }

    /// Reads rows `from` to `from + count` of a one-dimensional dataset of variable-length strings
    /// (h5py's default string type), and frees HDF5's copies.
    static List<String> datasetReadVariableStrings(long ds, long fileType, long from, long count) {
        List<String> out = new ArrayList<>();
        onBlock(ds, new long[]{from}, new long[]{count}, (memSpace, fileSpace) -> out.addAll(readVariableStrings(
                fileType, count, memSpace, "H5Dread", (mem, ptrs) -> H5Dread(ds, mem, memSpace, fileSpace, H5P_DEFAULT, ptrs))));
        return out;
    }

    /// A read of variable-length strings into HDF5's pointers to them, as `memType`.
    private interface VariableStringRead {
        int into(long memType, PointerPointer<BytePointer> ptrs);
    }

    /// {@return the `n` variable-length strings `read` reads (`what`, for its error), of a file type
    /// `fileType` and as many elements as `space` selects}, UTF-8 decoded; HDF5's copies are freed.
    private static List<String> readVariableStrings(long fileType, long n, long space, String what, VariableStringRead read) {
        LOCK.lock();
        try (PointerPointer<BytePointer> ptrs = new PointerPointer<>(Math.max(1, n))) {
            long mem = call("H5Tcopy", () -> H5Tcopy(fileType));
            try {
                call(what, () -> read.into(mem, ptrs));
                List<String> out = variableStrings(ptrs, n);
                call("H5Treclaim", () -> H5Treclaim(mem, space, H5P_DEFAULT, ptrs));
                return out;
            } finally {
                typeClose(mem);
            }
        } finally {
            LOCK.unlock();
        }
    }

    // ---- attributes -------------------------------------------------------------------------

    /// {@return whether `obj` has an attribute `name`}
    static boolean attributeExists(long obj, String name) {
        return call("H5Aexists", () -> H5Aexists(obj, name)) > 0;
    }

    /// Writes (or replaces) a scalar attribute of type `type` from the bytes at `value`.
    static void attributeWrite(long obj, String name, long type, MemorySegment value) {
        LOCK.lock();
        try {
            if (call("H5Aexists", () -> H5Aexists(obj, name)) > 0) {
                call("H5Adelete", () -> H5Adelete(obj, name));
            }
            long space = spaceScalar();
            try {
                long a = call("cannot create attribute '" + name + "'",
                        () -> H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT));
                try {
                    Pointer p = pointer(value);
                    call("cannot write attribute '" + name + "'", () -> H5Awrite(a, type, p));
                } finally {
                    call("H5Aclose", () -> H5Aclose(a));
                }
            } finally {
                spaceClose(space);
            }
        } finally {
            LOCK.unlock();
        }
    }

    /// {@return the names of `obj`'s attributes, by name}, in one pass: opening them by index made
    /// HDF5 sort them again for every one (5,000 attributes took 56 s)
    /// @throws NameNotUtf8Exception when an attribute's name is not UTF-8 text
    static List<String> attributeNames(long obj) {
        LOCK.lock();
        try {
            NAMES.clear();
            notUtf8 = null;
            call("H5Aiterate2", () -> H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_INC, (long[]) null, ATTRIBUTE_NAME, null));
            if (notUtf8 != null) {
                throw new NameNotUtf8Exception("attribute", notUtf8);
            }
            return List.copyOf(NAMES);
        } finally {
            NAMES.clear();
            notUtf8 = null;
            LOCK.unlock();
        }
    }

    static long attributeOpen(long obj, String name) {
        return call("H5Aopen '" + name + "'", () -> H5Aopen(obj, name, H5P_DEFAULT));
    }


    static long attributeType(long attr) {
        return call("H5Aget_type", () -> H5Aget_type(attr));
    }

    static long attributeSpace(long attr) {
        return call("H5Aget_space", () -> H5Aget_space(attr));
    }

    static void attributeRead(long attr, long memType, MemorySegment into) {
        Pointer p = pointer(into);
        call("H5Aread", () -> H5Aread(attr, memType, p));
    }

    /// Reads a variable-length string attribute of `points` elements and frees HDF5's copies.
    static List<String> attributeReadVariableStrings(long attr, long fileType, long points) {
        return locked(() -> {
            long space = attributeSpace(attr);
            try {
                return readVariableStrings(fileType, points, space, "H5Aread", (mem, ptrs) -> H5Aread(attr, mem, ptrs));
            } finally {
                spaceClose(space);
            }
        });
    }

    static void attributeClose(long attr) {
        call("H5Aclose", () -> H5Aclose(attr));
    }

    /// Anything that must happen with no other HDF5 call in between (several calls as one step).
    static <T> T locked(java.util.function.Supplier<T> work) {
        LOCK.lock();
        try {
            return work.get();
        } finally {
            LOCK.unlock();
        }
    }
}
