package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.file.FileKind;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
        try {
            return Attributes.readAll(file);
        } catch (NameNotUtf8Exception e) {
            throw e.at("group", "/");
        }
    }

    /// {@return every dataset in the file, depth first, names in byte order within a group}: each
    /// once, under its first name (see [#entries(String)])
    public List<DatasetInfo> datasets() {
        return entries("/").stream().map(e -> e instanceof FileEntry.Dataset d ? d.info() : null)
                .filter(Objects::nonNull).toList();
    }

    /// {@return what is at `path` and, for a group, everything under it}: in the order `h5ls -r`
    /// lists them (depth first, names in byte order within a group), each object once under its
    /// first name, its other names as [FileEntry.HardLink]s; soft and external links as links
    /// (external links are not followed)
    ///
    /// @param path `/` (or empty) for the whole file, else a group's or a dataset's path, with or
    ///             without its leading `/`
    /// @throws Hdf5Exception when nothing is at `path`, or a link there leads nowhere, naming the file
    public List<FileEntry> entries(String path) {
        checkOpen();
        String p = path.isEmpty() || path.equals("/") ? "/" : path.startsWith("/") ? path : "/" + path;
        String rel = p.substring(1);
        if (!rel.isEmpty() && !H5.linkExists(file, rel)) {
            throw new Hdf5Exception(this.path + ": no dataset or group '" + rel + "' in the file");
        }
        H5.ObjectInfo top;
        try {
            top = H5.objectInfo(file, p);
        } catch (Hdf5Exception e) {
            throw new Hdf5Exception(this.path + ": '" + rel + "' is a link that leads nowhere: " + e.getMessage(), e);
        }
        Walk walk = new Walk();
        walk.object(p, top);
        return walk.finish();
    }

    /// Gathers the entries of a walk through the file, and the other names of what it found.
    ///
    /// The walk keeps the names still to visit on a stack of its own, not the thread's: walked by
    /// recursion, 2,000 nested groups (which h5py and h5ls read) used up the reading thread's
    /// stack, and HDF5 crashed in the next call (SIGSEGV), the file called damaged.
    private final class Walk {
        final List<FileEntry> entries = new ArrayList<>();
        final Map<String, String> firstName = new HashMap<>();         // by address
        final Map<String, List<String>> otherNames = new HashMap<>();  // by first name
        final Deque<Object> pending = new ArrayDeque<>();              // a FileEntry, or a Hard to visit

        /// A hard link not yet visited: the object's first name, or another name of it.
        record Hard(String path, H5.ObjectInfo object) {
        }

        void object(String p, H5.ObjectInfo o) {
            pending.push(new Hard(p, o));
            while (!pending.isEmpty()) {
                switch (pending.pop()) {
                    case FileEntry e -> entries.add(e);
                    case Hard(String path, H5.ObjectInfo info) -> visit(path, info);
                    default -> throw new IllegalStateException();
                }
            }
        }

        private void visit(String p, H5.ObjectInfo o) {
            String first = firstName.get(o.address());
            if (first != null) {
                entries.add(new FileEntry.HardLink(p, first));
                otherNames.computeIfAbsent(first, k -> new ArrayList<>()).add(p);
                return;
            }
            firstName.put(o.address(), p);
            switch (o.kind()) {
                case GROUP -> group(p);
                case DATASET -> entries.add(new FileEntry.Dataset(p, dataset(p), storage(p), List.of()));
                case OTHER -> entries.add(new FileEntry.Other(p, "named datatype"));
            }
        }

        /// Lists group `p` and puts its links on the stack, to be visited in name order before
        /// what was there already (depth first, as `h5ls -r`).
        void group(String p) {
            long g = H5.objectOpen(file, p);
            List<Object> children = new ArrayList<>();
            try {
                List<String> names;
                try {
                    entries.add(new FileEntry.Group(p, Attributes.readAll(g), List.of()));
                    names = H5.groupLinks(g);
                } catch (NameNotUtf8Exception e) {
                    throw e.at("group", p);
                }
                for (String name : names) {
                    String child = p.equals("/") ? "/" + name : p + "/" + name;
                    H5.Link link = H5.link(g, name);
                    children.add(switch (link.kind()) {
                        case SOFT -> new FileEntry.SoftLink(child, link.target(), !resolves(child));
                        case EXTERNAL -> new FileEntry.ExternalLink(child, link.file(), link.target());
                        case OTHER -> new FileEntry.Other(child, "link of a kind a plugin defines");
                        case HARD -> new Hard(child, H5.objectInfo(g, name));
                    });
                }
            } finally {
                H5.objectClose(g);
            }
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
        }

        boolean resolves(String p) {
            try {
                H5.objectInfo(file, p);
                return true;
            } catch (Hdf5Exception e) {
                return false;
            }
        }

        List<FileEntry> finish() {
            return entries.stream().map(e -> switch (e) {
                case FileEntry.Group g when otherNames.containsKey(g.path()) ->
                        new FileEntry.Group(g.path(), g.attributes(), otherNames.get(g.path()));
                case FileEntry.Dataset d when otherNames.containsKey(d.path()) ->
                        new FileEntry.Dataset(d.path(), d.info(), d.storage(), otherNames.get(d.path()));
                default -> e;
            }).toList();
        }
    }

    /// {@return how dataset `name` is stored}: its layout, a virtual dataset's sources, the
    /// filters of its pipeline this HDF5 library lacks
    /// @throws Hdf5Exception when there is no such dataset
    public DatasetStorage storage(String name) {
        checkOpen();
        long ds = H5.datasetOpen(file, name);
        long dcpl = H5.datasetCreateList(ds);
        try {
            DatasetStorage.Layout layout = DatasetStorage.Layout.valueOf(H5.layout(dcpl).name());
            List<VirtualSource> sources = new ArrayList<>();
            if (layout == DatasetStorage.Layout.VIRTUAL) {
                for (H5.VirtualMapping m : H5.virtualMappings(dcpl)) {
                    sources.add(new VirtualSource(Path.of(m.file()), m.dataset(), m.rows()));
                }
            }
            List<String> missing = new ArrayList<>();
            for (H5.Filter f : H5.filters(dcpl)) {
                if (!H5.filterAvailable(f.id())) {
                    missing.add(DatasetStorage.missing(f.id(), f.name()));
                }
            }
            List<DatasetStorage.ExternalFile> external = new ArrayList<>();
            for (H5.External x : H5.externalFiles(dcpl)) {
                external.add(new DatasetStorage.ExternalFile(Path.of(x.name()), x.offset(), x.size()));
            }
            return new DatasetStorage(layout, sources, missing, external);
        } finally {
            H5.plistClose(dcpl);
            H5.datasetClose(ds);
        }
    }

    /// {@return the Ferry dtype of open dataset `ds`'s type}
    /// @throws UnsupportedTypeException when the type has no Ferry dtype
    private static DType dtypeOf(long ds) {
        long fileType = H5.datasetType(ds);
        try {
            return Hdf5Types.toDType(fileType);
        } finally {
            H5.typeClose(fileType);
        }
    }

    /// {@return the fill value of dataset `name`, as an array of one element}: what HDF5 reads
    /// where nothing was written, and where a virtual dataset's source is missing. Empty when
    /// the dataset's type has no Ferry dtype, or it defines no fill value
    public Optional<NdArray> fillValue(String name, Arena arena) {
        checkOpen();
        long ds = H5.datasetOpen(file, name);
        long dcpl = H5.datasetCreateList(ds);
        try {
            DType dtype;
            try {
                dtype = dtypeOf(ds);
            } catch (UnsupportedTypeException e) {
                return Optional.empty();
            }
            NdArray out = NdArray.allocate(dtype, arena, 1);
            long memType = Hdf5Types.toHdf5(dtype);
            try {
                return H5.fillValue(dcpl, memType, out.segment()) ? Optional.of(out) : Optional.empty();
            } finally {
                H5.typeClose(memType);
            }
        } finally {
            H5.plistClose(dcpl);
            H5.datasetClose(ds);
        }
    }

    /// {@return the value of `name`, a scalar dataset (`h5py`'s `f["x"] = 3`), as an array of one element}
    /// @throws UnsupportedTypeException when the dataset's type has no Ferry dtype, or it is no scalar
    public NdArray readScalar(String name, Arena arena) {
        checkOpen();
        long ds = H5.datasetOpen(file, name);
        try {
            DType dtype = dtypeOf(ds);
            long space = H5.datasetSpace(ds);
            try {
                if (H5.spaceExtent(space).dims().length != 0) {
                    throw new UnsupportedTypeException("dataset '" + name + "' is not a scalar");
                }
                if (H5.spaceIsNull(space)) {
                    throw new UnsupportedTypeException("dataset '" + name + "' has no value (a null dataspace, h5py.Empty)");
                }
            } finally {
                H5.spaceClose(space);
            }
            NdArray out = NdArray.allocate(dtype, arena, 1);
            long memType = Hdf5Types.toHdf5(dtype);
            try {
                H5.datasetReadAll(ds, memType, out.segment());
            } finally {
                H5.typeClose(memType);
            }
            return out;
        } finally {
            H5.datasetClose(ds);
        }
    }

    /// {@return whether dataset `name` holds variable-length strings (h5py's default string type)}
    public boolean holdsVariableStrings(String name) {
        return variableStringCharset(name).isPresent();
    }

    /// {@return the character set dataset `name`'s variable-length strings are labelled with}:
    /// UTF-8 (h5py's default, `h5py.string_dtype()`, which h5py types as `str`) or US-ASCII
    /// (`h5py.string_dtype('ascii')`, typed as `bytes`); empty when it holds anything else
    public Optional<Charset> variableStringCharset(String name) {
        checkOpen();
        long ds = H5.datasetOpen(file, name);
        long type = H5.datasetType(ds);
        try {
            if (!H5.typeIsVariableString(type)) {
                return Optional.empty();
            }
            return Optional.of(H5.typeIsUtf8(type) ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII);
        } finally {
            H5.typeClose(type);
            H5.datasetClose(ds);
        }
    }

    /// {@return rows `from` (inclusive) to `to` (exclusive) of `name`, a one-dimensional dataset of
    /// variable-length strings (h5py's default string type), decoded as UTF-8}; a scalar one has one row
    /// @throws UnsupportedTypeException when the dataset holds something else
    /// @throws IndexOutOfBoundsException for rows outside the dataset
    public List<String> readStrings(String name, long from, long to) {
        checkOpen();
        long ds = H5.datasetOpen(file, name);
        long type = H5.datasetType(ds);
        long space = H5.datasetSpace(ds);
        try {
            long[] dims = H5.spaceExtent(space).dims();
            if (!H5.typeIsVariableString(type) || dims.length > 1) {
                throw new UnsupportedTypeException("dataset '" + name + "' is not a one-dimensional array of variable-length strings");
            }
            if (dims.length == 0) {     // a scalar: one row, as DatasetInfo counts it
                if (from < 0 || from > to || to > 1) {
                    throw new IndexOutOfBoundsException("rows " + from + " to " + to + " of dataset '" + name + "', a scalar");
                }
                return to == from ? List.of() : List.of(H5.datasetReadVariableString(ds, type));
            }
            if (from < 0 || from > to || to > dims[0]) {
                throw new IndexOutOfBoundsException("rows " + from + " to " + to + " of dataset '" + name
                        + "', which has " + dims[0] + " rows");
            }
            return to == from ? List.of() : H5.datasetReadVariableStrings(ds, type, from, to - from);
        } finally {
            H5.spaceClose(space);
            H5.typeClose(type);
            H5.datasetClose(ds);
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
            Map<String, Object> attributes;
            try {
                attributes = Attributes.readAll(ds);
            } catch (NameNotUtf8Exception e) {
                throw e.at("dataset", shown);
            }
            return new DatasetInfo(shown, dtype, problem, dims, max, chunk, List.copyOf(filters), attributes,
                    H5.spaceIsNull(space));
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
            DType dtype = dtypeOf(ds);
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
