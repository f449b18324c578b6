package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.file.FileKind;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// An HDF5 file opened for reading, Ferry's or anyone's (h5py's, say): list its datasets, read a
/// dataset or a range of its rows into an [NdArray].
///
/// ```java
/// try (Hdf5File f = Hdf5File.open(path);
///      Arena arena = Arena.ofConfined()) {
///     for (DatasetInfo d : f.datasets()) {
///         System.out.println(d.name() + " " + d.rows() + " rows");
///     }
///     NdArray all = f.read("sample1", arena);
///     NdArray some = f.read("sample1", 10, 20, arena);    // rows 10 to 19
///     assert some.equals(all.slice(10, 20));
/// }
/// ```
///
/// Reads convert to Ferry's packed layout of the dataset's dtype (HDF5 matches compound members by
/// name), so a compound with padding, as h5py writes for aligned dtypes, reads fine.
public final class Hdf5File implements AutoCloseable {
    private final Path path;
    private final long file;
    private boolean closed;

    private Hdf5File(Path path, long file) {
        this.path = path;
        this.file = file;
    }

    /// Opens `path` read-only.
    ///
    /// The reference HDF5 library trusts what it reads: some damaged files make it crash the JVM
    /// (a SIGSEGV in native code, which no Java code can catch) rather than fail. Read a file that
    /// may be damaged in a child JVM, as `ferry inspect` does.
    ///
    /// @throws Hdf5Exception when the file is missing, unreadable, not a regular file or not HDF5,
    ///                       naming it and saying which
    public static Hdf5File open(Path path) {
        checkReadable(path);
        try {
            return new Hdf5File(path, H5.fileOpenReadOnly(path.toString()));
        } catch (Hdf5Exception e) {
            throw new Hdf5Exception(path + ": not an HDF5 file, or damaged: " + e.getMessage(), e);
        }
    }

    /// Checks, without HDF5, that `path` is a regular file this process can read: what [#open]
    /// checks before it opens.
    ///
    /// @throws Hdf5Exception when it is missing, a directory, a named pipe (HDF5 would wait for a
    ///                       writer), a device or socket, or unreadable, naming it and saying which
    public static void checkReadable(Path path) {
        FileKind kind;
        try {
            kind = FileKind.of(path);
        } catch (IOException e) {
            throw new Hdf5Exception(path + ": cannot be examined: " + e.getMessage(), e);
        }
        switch (kind) {
            case REGULAR -> {
            }
            case MISSING -> throw new Hdf5Exception(path + ": no such file");
            default -> throw new Hdf5Exception(path + ": is " + kind.description() + ", not an HDF5 file");
        }
        if (!Files.isReadable(path)) {
            throw new Hdf5Exception(path + ": permission denied (not readable)");
        }
    }

    /// {@return the path this was opened from}
    public Path path() {
        return path;
    }

    /// {@return the root group's attributes}
    public Map<String, Object> attributes() {
        checkOpen();
        return Attributes.readAll(file);
    }

    /// {@return every dataset in the file, depth first, names in byte order within a group}
    public List<DatasetInfo> datasets() {
        checkOpen();
        List<DatasetInfo> out = new ArrayList<>();
        visit("", out);
        return out;
    }

    private void visit(String group, List<DatasetInfo> out) {
        long g = H5.objectOpen(file, group.isEmpty() ? "/" : group);
        try {
            for (String link : H5.groupLinks(g)) {
                String child = group.isEmpty() ? link : group + "/" + link;
                long o = H5.objectOpen(file, child);
                H5.ObjectKind kind;
                try {
                    kind = H5.objectKind(o);
                } finally {
                    H5.objectClose(o);
                }
                if (kind == H5.ObjectKind.GROUP) {
                    visit(child, out);
                } else if (kind == H5.ObjectKind.DATASET) {
                    out.add(dataset(child));
                }
            }
        } finally {
            H5.objectClose(g);
        }
    }

    /// {@return what dataset `name` is}
    /// @throws Hdf5Exception when there is no such dataset
    public DatasetInfo dataset(String name) {
        checkOpen();
        long ds = H5.datasetOpen(file, name);
        long type = H5.datasetType(ds);
        long space = H5.datasetSpace(ds);
        long dcpl = H5.datasetCreateList(ds);
        try {
            Optional<DType> dtype;
            String problem = "";
            try {
                dtype = Optional.of(Hdf5Types.toDType(type));
            } catch (UnsupportedTypeException e) {
                dtype = Optional.empty();
                problem = e.getMessage();
            }
            H5.Extent extent = H5.spaceExtent(space);
            long[] dims = extent.dims();
            long[] max = extent.maxDims();
            long[] chunk = H5.chunk(dcpl, dims.length);
            List<String> filters = new ArrayList<>();
            for (H5.Filter f : H5.filters(dcpl)) {
                if (H5.isDeflate(f)) {
                    filters.add("gzip(" + (f.params().length > 0 ? f.params()[0] : 6) + ")");
                } else if (H5.isShuffle(f)) {
                    filters.add("shuffle");
                } else {
                    filters.add(f.name().isEmpty() ? "filter " + f.id() : f.name() + " (filter " + f.id() + ")");
                }
            }
            String shown = name.startsWith("/") ? name.substring(1) : name;
            return new DatasetInfo(shown, dtype, problem, dims, max, chunk, List.copyOf(filters),
                    Attributes.readAll(ds));
        } finally {
            H5.plistClose(dcpl);
            H5.spaceClose(space);
            H5.typeClose(type);
            H5.datasetClose(ds);
        }
    }

    /// {@return all of dataset `name`, in memory from `arena`}
    public NdArray read(String name, Arena arena) {
        return read(name, 0, -1, arena);
    }

    /// {@return rows `from` (inclusive) to `to` (exclusive) of dataset `name`, in memory from `arena`}
    ///
    /// @param to the end row, or -1 for the end of the dataset
    /// @throws UnsupportedTypeException when the dataset's type has no Ferry dtype
    /// @throws IndexOutOfBoundsException for rows outside the dataset
    public NdArray read(String name, long from, long to, Arena arena) {
        checkOpen();
        long ds = H5.datasetOpen(file, name);
        try {
            long fileType = H5.datasetType(ds);
            DType dtype;
            try {
                dtype = Hdf5Types.toDType(fileType);
            } finally {
                H5.typeClose(fileType);
            }
            long space = H5.datasetSpace(ds);
            long[] dims;
            try {
                dims = H5.spaceExtent(space).dims();
            } finally {
                H5.spaceClose(space);
            }
            if (dims.length == 0) {
                throw new UnsupportedTypeException("dataset '" + name + "' is a scalar; Ferry reads arrays of one or more dimensions");
            }
            long end = to < 0 ? dims[0] : to;
            if (from < 0 || from > end || end > dims[0]) {
                throw new IndexOutOfBoundsException("rows " + from + " to " + end + " of dataset '" + name
                        + "', which has " + dims[0] + " rows");
            }
            long[] shape = dims.clone();
            shape[0] = end - from;
            NdArray out = NdArray.allocate(dtype, arena, shape);
            if (out.size() > 0) {
                long[] start = new long[dims.length];
                start[0] = from;
                long memType = Hdf5Types.toHdf5(dtype);
                try {
                    H5.datasetReadBlock(ds, memType, start, shape, out.segment());
                } finally {
                    H5.typeClose(memType);
                }
            }
            return out;
        } finally {
            H5.datasetClose(ds);
        }
    }

    /// Closes the file. Idempotent.
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            H5.fileClose(file);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
    }

    @Override
    public String toString() {
        return "Hdf5File[" + path + "]" + (closed ? " (closed)" : "");
    }
}
