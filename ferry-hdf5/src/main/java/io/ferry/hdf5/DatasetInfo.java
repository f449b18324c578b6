package io.ferry.hdf5;

import io.ferry.dtype.DType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// What a dataset is, without reading its data: the answer of [Hdf5File#datasets()].
///
/// @param name       its path in the file, without the leading `/` (`data1`, `samples/s1`)
/// @param dtype      its numpy dtype, when Ferry can read it (see [#typeProblem()])
/// @param typeProblem why [#dtype()] is empty (such as "variable-length strings"); empty otherwise
/// @param shape      its current shape (C order)
/// @param maxShape   its maximum shape; -1 along an unlimited axis
/// @param chunk      its chunk shape; empty when the dataset is not chunked
/// @param filters    its filter pipeline in order, e.g. `shuffle`, `gzip(4)`
/// @param attributes its attributes by name: `String`, `Long`, `Double`, or a `List` of them
/// @param nullSpace  whether its dataspace is HDF5's null one (h5py's `h5py.Empty`): a type and
///                   no value, not even a scalar's; its shape is then empty, and it has no rows
public record DatasetInfo(String name, Optional<DType> dtype, String typeProblem, long[] shape, long[] maxShape,
                          long[] chunk, List<String> filters, Map<String, Object> attributes, boolean nullSpace) {

    /// A dataset with a value: a scalar, or an array.
    public DatasetInfo(String name, Optional<DType> dtype, String typeProblem, long[] shape, long[] maxShape,
                       long[] chunk, List<String> filters, Map<String, Object> attributes) {
        this(name, dtype, typeProblem, shape, maxShape, chunk, filters, attributes, false);
    }

    /// {@return the length of the first axis}; 1 for a scalar dataset, 0 for a null dataspace
    public long rows() {
        return nullSpace ? 0 : shape.length == 0 ? 1 : shape[0];
    }

    /// {@return the compression in the filter pipeline}, as [Compression#NONE] or gzip at its level
    public Compression compression() {
        for (String f : filters) {
            if (f.startsWith("gzip(")) {
                return Compression.gzip(Integer.parseInt(f.substring(5, f.length() - 1)));
            }
        }
        return Compression.NONE;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] maxShape() {
        return maxShape.clone();
    }

    @Override
    public long[] chunk() {
        return chunk.clone();
    }

    @Override
    public String toString() {
        return name + ": " + dtype.map(DType::descr).orElse("(" + typeProblem + ")") + " shape " + Arrays.toString(shape)
                + (chunk.length == 0 ? " contiguous" : " chunks " + Arrays.toString(chunk))
                + (filters.isEmpty() ? "" : " " + String.join("+", filters));
    }
}
