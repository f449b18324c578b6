package io.ferry.hdf5;

import io.ferry.dtype.DType;
import io.ferry.dtype.Field;
import io.ferry.dtype.Kind;
import io.ferry.dtype.ScalarType;

import java.nio.ByteOrder;

/// numpy dtypes to HDF5 types and back, the way h5py maps them, so that
/// `h5py.File(f)[name].dtype == np.dtype(descr)` holds exactly.
///
/// | numpy            | HDF5                                                    |
/// |------------------|---------------------------------------------------------|
/// | `<i4`, `>u2`, …  | `H5T_STD_I32LE`, `H5T_STD_U16BE`, … (order kept)        |
/// | `<f4`, `>f8`     | `H5T_IEEE_F32LE`, `H5T_IEEE_F64BE`                      |
/// | `\|S10`          | fixed string of 10 bytes, `H5T_STR_NULLPAD`, ASCII      |
/// | `\|b1` (bool)    | enum over int8: `FALSE` = 0, `TRUE` = 1 (h5py's choice) |
/// | record           | compound of those, members at numpy's packed offsets    |
final class Hdf5Types {
    private Hdf5Types() {
    }

    /// {@return a new HDF5 type id for `dtype`}; the caller closes it.
    static long toHdf5(DType dtype) {
        if (!dtype.isStructured()) {
            return toHdf5(dtype.scalar());
        }
        long compound = H5.typeCompound(dtype.itemSize());
        try {
            for (Field f : dtype.fields()) {
                long member = toHdf5(f.type());
                try {
                    H5.typeInsert(compound, f.name(), f.offset(), member);
                } finally {
                    H5.typeClose(member);
                }
            }
            return compound;
        } catch (RuntimeException e) {
            H5.typeClose(compound);
            throw e;
        }
    }

    /// {@return `e`, HDF5's refusal to create dataset `name` of `dtype`, said in words when it is
    /// the datatype's size}: HDF5 keeps a dataset's datatype in one message of its object header,
    /// at most 64 KiB, and a compound of many fields (3,000 `f8`s) is larger. HDF5 said only
    /// "object header message is too large"; else `e` itself.
    static Hdf5Exception datasetRefused(String name, DType dtype, Hdf5Exception e) {
        if (!String.valueOf(e.getMessage()).contains("object header message is too large")) {
            return e;
        }
        String what = dtype.isStructured() ? "its dtype of " + dtype.fields().size() + " fields" : "its dtype " + dtype;
        return new Hdf5Exception("cannot create dataset '" + name + "': " + what + " is too large for HDF5, which keeps"
                + " a dataset's datatype in one object header message of at most 64 KiB (h5py is refused the same, in"
                + " any file format; 1,000 f8 fields of short names fit). Give each dataset fewer fields: split the"
                + " columns among datasets, or, when they all have one type, write a 2-D grid of that type (ferry"
                + " convert --dtype f8), which holds any number of columns. HDF5 said: " + e.getMessage(), e);
    }

    static long toHdf5(ScalarType t) {
        return switch (t.kind()) {
            case BOOL -> H5.typeBoolEnum();
            case INT -> H5.typeInteger(t.size(), true, t.order());
            case UINT -> H5.typeInteger(t.size(), false, t.order());
            case FLOAT -> H5.typeFloat(t.size(), t.order());
            case BYTES -> H5.typeFixedString(t.size());
        };
    }

    /// {@return the numpy dtype h5py would give for HDF5 type `type`}
    /// @throws UnsupportedTypeException for what Ferry's dtypes cannot hold (variable-length
    ///         strings, nested compounds, arrays, references, ...), naming it
    static DType toDType(long type) {
        if (H5.typeClass(type) != H5.TypeClass.COMPOUND) {
            return DType.of(scalar(type, "the dataset"));
        }
        DType.Builder b = DType.builder();
        int n = H5.typeMemberCount(type);
        for (int i = 0; i < n; i++) {
            String name = H5.typeMemberName(type, i);
            long member = H5.typeMemberType(type, i);
            try {
                b.add(name, scalar(member, "member '" + name + "'"));
            } finally {
                H5.typeClose(member);
            }
        }
        return b.build();
    }

    private static ScalarType scalar(long type, String what) {
        H5.TypeClass c = H5.typeClass(type);
        int size = (int) H5.typeSize(type);
        return switch (c) {
            case INTEGER -> new ScalarType(H5.typeSigned(type) ? Kind.INT : Kind.UINT, size, H5.typeOrder(type));
            case FLOAT -> {
                if (size != 4 && size != 8) {
                    throw new UnsupportedTypeException(what + " is a " + size + "-byte float; Ferry reads f4 and f8");
                }
                yield new ScalarType(Kind.FLOAT, size, H5.typeOrder(type));
            }
            case STRING -> {
                if (H5.typeIsVariableString(type)) {
                    throw new UnsupportedTypeException(what + " holds variable-length strings; Ferry reads fixed-size ones (S<n>)");
                }
                // HDF5 converts no UTF-8 string to the ASCII one S<n> is: reading it failed, and a
                // stitched file of such parts was one nobody could read
                if (H5.typeIsUtf8(type)) {
                    throw new UnsupportedTypeException(what + " holds fixed-size UTF-8 strings (h5py's string_dtype('utf-8', "
                            + size + ")); Ferry reads fixed-size bytes (S<n>, HDF5's ASCII strings)");
                }
                yield new ScalarType(Kind.BYTES, size, ByteOrder.nativeOrder());
            }
            case ENUM -> {
                if (isBoolEnum(type)) {
                    yield ScalarType.of(Kind.BOOL, 1);
                }
                throw new UnsupportedTypeException(what + " is an enum other than h5py's boolean (FALSE=0, TRUE=1)");
            }
            case COMPOUND -> throw new UnsupportedTypeException(what + " is a nested compound; Ferry reads flat records");
            case OTHER -> throw new UnsupportedTypeException(what + " has an HDF5 type class Ferry does not read"
                    + " (array, reference, opaque, bitfield, time or variable-length)");
        };
    }

    private static boolean isBoolEnum(long type) {
        if (H5.typeSize(type) != 1 || H5.typeMemberCount(type) != 2) {
            return false;
        }
        boolean falseZero = false;
        boolean trueOne = false;
        for (int i = 0; i < 2; i++) {
            String name = H5.typeMemberName(type, i);
            long v = H5.enumValue(type, i);
            falseZero |= name.equals("FALSE") && v == 0;
            trueOne |= name.equals("TRUE") && v == 1;
        }
        return falseZero && trueOne;
    }
}
