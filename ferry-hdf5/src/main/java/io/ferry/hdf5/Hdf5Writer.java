package io.ferry.hdf5;

import io.ferry.FerryException;
import io.ferry.FerryVersion;
import io.ferry.dtype.DType;
import io.ferry.file.FileErrors;
import io.ferry.file.OutputFile;
import io.ferry.file.OutputFileException;
import io.ferry.hdf5.deflate.DeflateLibrary;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/// One HDF5 output file, written atomically: everything goes to a temporary file beside the target,
/// which [#commit()] renames into place. [#close()] without commit, or any failure, deletes it, so
/// the target is either the complete new file or untouched. A writer killed outright leaves its
/// temporary file; the next writer of the same target removes it (see [#create]).
///
/// ```java
/// DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
/// WriteOptions options = WriteOptions.builder().compression(Compression.gzip(4)).shuffle(true).build();
/// try (Hdf5Writer writer = Hdf5Writer.create(target, options);
///      Arena arena = Arena.ofConfined()) {
///     DatasetWriter w = writer.dataset("sample1", "/data/sample1.txt", dt);
///     NdArray chunk = NdArray.allocate(dt, arena, 1000);
///     // ... fill chunk, then, as often as there are chunks:
///     w.append(chunk);
///     w.attribute("genome", "hg38");
///     writer.commit();                 // the file appears at `target` only now
/// }
/// ```
///
/// Files carry, on the root, `ferry_version` and `created` (ISO-8601, UTC); on each dataset
/// `ferry_version`, `dtype` (numpy's descr as JSON), `rows`, and `source` when given.
///
/// A writer and its dataset writers are used by one thread at a time. HDF5 calls are serialised
/// inside Ferry; chunks are compressed on the writer's own pool of [WriteOptions#threads()] threads.
public final class Hdf5Writer implements AutoCloseable {
    private final OutputFile output;
    private final WriteOptions options;
    private final ParallelCompression compression;
    private final long file;
    private final Map<String, DatasetWriter> writers = new LinkedHashMap<>();
    /// For each dataset, the groups its creation made ([#missingGroups]), for [#remove].
    private final Map<String, List<String>> groupsMadeFor = new HashMap<>();
    private boolean fileOpen;
    private boolean committed;
    private boolean closed;

    private final boolean appending;

    private Hdf5Writer(OutputFile output, WriteOptions options, ParallelCompression compression, boolean appending) {
        this.output = output;
        this.options = options;
        this.compression = compression;
        this.appending = appending;
        this.file = appending ? H5.fileOpenReadWrite(output.temporary().toString()) : H5.fileCreate(output.temporary().toString());
        this.fileOpen = true;
        if (appending) {
            return; // the file's own attributes stay as they are
        }
        try {
            Attributes.writeString(file, "ferry_version", FerryVersion.get());
            Attributes.writeString(file, "created", OffsetDateTime.now(ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.MILLIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } catch (RuntimeException e) {
            abort(e);
            throw e;
        }
    }

    /// Starts writing a new file that will appear at `target` on [#commit()]: first to
    /// `.TARGET.HOST-PID-RANDOM.ferry-tmp` beside it, after removing such files of `target` that
    /// processes of this host no longer running left there (a writer killed with `kill -9`).
    /// `target` is checked as [OutputFile] checks every output: it must not be anything but a
    /// regular file (a directory, `/dev/null`, a named pipe, a socket are refused even with
    /// overwriting on); a symbolic link to a file is written through; a replaced file's
    /// permission bits pass to the new one.
    ///
    /// @throws TargetExistsException if `target` exists and `options` do not allow overwriting;
    ///                               nothing has been written then
    /// @throws OutputFileException   if `target` cannot be written for another reason (see
    ///                               [OutputFile#of]); nothing has been written then
    /// @throws Hdf5Exception         if the temporary file cannot be created (with HDF5's reason)
    /// @throws io.ferry.hdf5.deflate.LibraryUnavailableException if a deflate library asked for
    ///                               ([WriteOptions#deflateLibrary()]) cannot be loaded; nothing has been written then
    /// @throws IllegalArgumentException if ISA-L is asked for gzip at a zlib level
    public static Hdf5Writer create(Path target, WriteOptions options) {
        // Before anything is written, so a forced library that is missing leaves no trace.
        ParallelCompression compression = ParallelCompression.of(options);
        OutputFile output = checkTarget(target, options.overwrite(), List.of());
        H5.load();
        try {
            output.createTemporary(); // after removing what a killed writer of this target left
        } catch (IOException e) {
            throw new Hdf5Exception("cannot create the temporary file for " + target + " in " + output.target().getParent()
                    + ": " + describe(e), e);
        }
        return open(output, options, compression, false);
    }

    /// Starts adding datasets to the existing HDF5 file `target` (Ferry's or any other writer's),
    /// without touching it until [#commit()]: the writer works on a copy beside it
    /// (`.TARGET.…ferry-tmp`, as [#create] names its file), which the commit makes durable (synced
    /// to disk) and renames over `target`. A failure, a [#close()] without commit, or a kill
    /// (`kill -9`, a crash of the machine) leaves `target` as it was; the copy a killed writer
    /// leaves is removed by the next writer of `target`. The copy costs the file's size in disk
    /// space and time (less where the file system shares blocks on copy). Datasets are added with
    /// [#dataset] as in a new file; names that exist in `target` are refused
    /// ([#checkAppend] says so before any work). The file's attributes are left as they are.
    ///
    /// ```java
    /// try (Hdf5Writer writer = Hdf5Writer.append(target, WriteOptions.DEFAULT);
    ///      Arena arena = Arena.ofConfined()) {
    ///     writer.dataset("later/sample9", dt).append(NdArray.allocate(dt, arena, 10));
    ///     writer.commit();                 // target has its old datasets and /later/sample9
    /// }
    /// ```
    ///
    /// @throws OutputFileException when `target` is missing or not a regular file, or its
    ///                             directory is not writable
    /// @throws Hdf5Exception       when `target` is not an HDF5 file or cannot be copied
    public static Hdf5Writer append(Path target, WriteOptions options) {
        ParallelCompression compression = ParallelCompression.of(options);
        OutputFile output = checkAppendTarget(target, List.of());
        H5.load();
        try {
            output.createTemporaryCopy();
        } catch (IOException e) {
            throw new Hdf5Exception("cannot copy " + target + " to append to it, in " + output.target().getParent()
                    + ": " + describe(e), e);
        }
        return open(output, options, compression, true);
    }

    private static OutputFile checkAppendTarget(Path target, Collection<Path> inputs) {
        java.nio.file.LinkOption[] follow = {};
        if (!java.nio.file.Files.exists(target, follow)) {
            throw new OutputFileException(OutputFileException.Problem.NOT_A_REGULAR_FILE, target,
                    target + ": no such file to append to; leave appending off to create it");
        }
        // Appending copies the file and renames the copy over it, which its folder allows: a file
        // its owner made read-only (chmod 444) was changed all the same, where h5py's 'a' is refused.
        if (java.nio.file.Files.isRegularFile(target) && !java.nio.file.Files.isWritable(target)) {
            throw new OutputFileException(OutputFileException.Problem.NOT_WRITABLE, target, target
                    + (onReadOnlyFileSystem(target)
                    ? ": cannot be appended to: it is on a read-only file system (mounted read-only: chmod cannot help);"
                    + " copy it somewhere writable, or remount it read-write"
                    : ": cannot be appended to: it is read-only (no write permission); make it writable first (chmod u+w)"));
        }
        return OutputFile.of(target, true, inputs);
    }

    /// {@return whether `file` is on a file system mounted read-only}; false when that cannot be told
    private static boolean onReadOnlyFileSystem(Path file) {
        try {
            return java.nio.file.Files.getFileStore(file).isReadOnly();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /// Checks, before any work, that datasets `names` (those of `inputs`, in order; paths such as
    /// `calls/s1`) can be added to the existing file `target`: it is a regular HDF5 file, none of
    /// the names is there already, and every group a name needs is a group there or missing.
    ///
    /// @throws OutputFileException as [#append] does, and when `target` is one of `inputs`
    /// @throws FerryException      naming the input, its dataset and what is in the way
    public static void checkAppend(Path target, List<Path> inputs, List<String> names) {
        checkAppend(target, inputs, names, List.of());
    }

    /// As [#checkAppend(Path, List, List)], and that the file has none of the root attributes
    /// `attributes` (`--attr`): appending never replaces what the file holds (an array attribute
    /// of the file became the string given, exit 0).
    ///
    /// @throws FerryException naming the attribute in the way, and as [#checkAppend(Path, List, List)]
    public static void checkAppend(Path target, List<Path> inputs, List<String> names, Collection<String> attributes) {
        checkAppendTarget(target, inputs);
        H5.load();
        long f;
        try {
            f = H5.fileOpenReadOnly(target.toString());
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("unable to lock file")) {   // an HDF5 file, held by a writer
                throw new Hdf5Exception(target + ": cannot be appended to now: another program has it open for writing"
                        + " (HDF5's file lock is held); close it there, then append", e);
            }
            throw new Hdf5Exception(target + ": cannot be appended to: it is not an HDF5 file HDF5 can open ("
                    + e.getMessage() + ")", e);
        }
        try {
            for (String key : attributes) {
                if (H5.attributeExists(f, key)) {
                    throw new FerryException("--attr " + key + ": " + target + " has a root attribute " + key + " already;"
                            + " appending adds, it never replaces one: give another name");
                }
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i).startsWith("/") ? names.get(i).substring(1) : names.get(i);
                String prefix = "";
                for (String part : name.split("/")) {
                    prefix = prefix.isEmpty() ? part : prefix + "/" + part;
                    if (!H5.linkExists(f, prefix)) {
                        break;
                    }
                    if (prefix.equals(name)) {
                        // what is there: a group there was called a dataset
                        String there = H5.link(f, prefix).kind() != H5.LinkKind.HARD ? "a link"
                                : described(H5.objectInfo(f, prefix).kind());
                        throw new FerryException("input " + inputs.get(i) + ": /" + name + " exists already in " + target
                                + " (" + there + "); appending adds datasets, it never replaces anything: give the input"
                                + " another name");
                    }
                    // Only through groups of the file itself: HDF5 follows an external link into
                    // the other file and writes there, in place (the copy that keeps a failed
                    // append harmless is of this file only), and a soft link may lead there too.
                    H5.Link link = H5.link(f, prefix);
                    if (link.kind() != H5.LinkKind.HARD) {
                        throw new FerryException("input " + inputs.get(i) + ": dataset /" + name + " would go through /"
                                + prefix + ", which in " + target + " is " + switch (link.kind()) {
                                    case SOFT -> "a soft link to " + link.target();
                                    case EXTERNAL -> "an external link to " + link.target() + " in " + link.file();
                                    default -> "a link of another kind";
                                } + "; appending writes in this file's own groups only: give another --group or --name");
                    }
                    H5.ObjectKind kind = H5.objectInfo(f, prefix).kind();
                    if (kind != H5.ObjectKind.GROUP) {
                        // not always a dataset: h5py's f['t'] = np.dtype('i4') is a named datatype
                        throw new FerryException("input " + inputs.get(i) + ": dataset /" + name + " needs /" + prefix
                                + " to be a group, but in " + target + " it is " + described(kind));
                    }
                }
            }
        } finally {
            H5.fileClose(f);
        }
    }

    /// {@return what an object of `kind` is, for a message}: "a group", "a dataset", "a named datatype"
    private static String described(H5.ObjectKind kind) {
        return switch (kind) {
            case GROUP -> "a group";
            case DATASET -> "a dataset";
            case OTHER -> "a named datatype";   // the one other kind of object HDF5 has
        };
    }

    private static Hdf5Writer open(OutputFile output, WriteOptions options, ParallelCompression compression, boolean appending) {
        try {
            return new Hdf5Writer(output, options, compression, appending);
        } catch (RuntimeException e) {
            try {
                output.discard();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /// Checks that `target` may be written by a job that reads `inputs`, before any work: the
    /// rules of [OutputFile#of], with an existing target reported as a [TargetExistsException].
    /// {@return the output, for a writer}
    ///
    /// @throws TargetExistsException if `target` exists and `overwrite` is off
    /// @throws OutputFileException   if `target` is one of `inputs` (through a link too), is not a
    ///                               regular file, or its directory is missing or not writable
    public static OutputFile checkTarget(Path target, boolean overwrite, Collection<Path> inputs) {
        try {
            return OutputFile.of(target, overwrite, inputs);
        } catch (OutputFileException e) {
            throw e.problem() == OutputFileException.Problem.EXISTS ? new TargetExistsException(target) : e;
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
    }

    /// {@return one line saying what deflates this file's chunks}, such as
    /// `libdeflate (libdeflate.so.0) on 2 threads, level 4`, `java.util.zip on 2 threads, level 4`
    /// (with why when libdeflate could not be loaded), `HDF5's deflate filter …` or `none`
    public String deflater() {
        return compression.description();
    }

    /// {@return the library the compressors deflate with}, never [DeflateLibrary#AUTO]
    /// (JAVA, unused, when chunks are not deflated here)
    DeflateLibrary deflateLibrary() {
        return compression.library();
    }

    /// {@return a writer for a new dataset `name` of records of `dtype`}, each row of shape `innerShape`
    /// (none for a table of records; `lat, lon` for a grid over time). Rows are appended with
    /// [DatasetWriter#append(io.ferry.array.NdArray)]; the length need not be known.
    ///
    /// @param name a dataset path such as `"data1"` or `"samples/s1"` (groups are created)
    /// @throws IllegalArgumentException when `name` (or a `source`) holds a NUL, which HDF5 would
    ///                                  end it at ([CStrings]), or exists already
    public DatasetWriter dataset(String name, DType dtype, long... innerShape) {
        return dataset(name, null, dtype, innerShape);
    }

    /// As [#dataset(String, DType, long...)], recording `source` (the input's path) in the
    /// dataset's `source` attribute.
    public DatasetWriter dataset(String name, String source, DType dtype, long... innerShape) {
        return dataset(name, source, dtype, options, innerShape);
    }

    /// As [#dataset(String, String, DType, long...)], with this dataset's own chunking (such as
    /// chunks no larger than a small input) and filters, from `options`; the threads that
    /// compress and the deflate library are the file's.
    public DatasetWriter dataset(String name, String source, DType dtype, WriteOptions options, long... innerShape) {
        checkWritable();
        if (name == null || name.isEmpty() || name.equals("/")) {
            throw new IllegalArgumentException("a dataset needs a name, such as \"data1\"");
        }
        CStrings.checkName("dataset", name);       // before asking HDF5 whether it exists: it would see "x" for "x\0y"
        if (source != null) {
            CStrings.checkAttributeValue("source", source);
        }
        if (writers.containsKey(name) || H5.linkExists(file, name.startsWith("/") ? name.substring(1) : name)) {
            throw new IllegalArgumentException("dataset '" + name + "' exists already in " + output.target());
        }
        for (long d : innerShape) {
            if (d < 1) {
                throw new IllegalArgumentException("inner dimensions must be positive: " + java.util.Arrays.toString(innerShape));
            }
        }
        try {
            List<String> newGroups = missingGroups(name);
            DatasetWriter w = new DatasetWriter(file, name, source, dtype, innerShape.clone(), options, compression, this::abort);
            writers.put(name, w);
            groupsMadeFor.put(name, newGroups);
            return w;
        } catch (RuntimeException e) {
            abort(e);
            throw e;
        }
    }

    /// Adds dataset `name` of records of `dtype` made of `sources`, one after the other along the
    /// first axis: an HDF5 virtual dataset, which HDF5 (1.10 and later) and h5py read as one
    /// dataset while the rows stay in the sources' files. Each source must hold at least its
    /// `rows` rows of exactly `dtype`. The sources' files are named relative to this file's
    /// directory, so a folder holding both can move as a whole.
    ///
    /// @throws IllegalArgumentException when `name` exists already
    public void virtualDataset(String name, DType dtype, List<VirtualSource> sources) {
        virtualDataset(name, dtype, new long[0], sources);
    }

    /// As [#virtualDataset(String, DType, List)], for sources whose rows have the shape
    /// `innerShape` (a grid's columns, say): each source is `rows × innerShape`, and so is the
    /// whole along its first axis.
    ///
    /// @throws IllegalArgumentException when `name` exists already
    public void virtualDataset(String name, DType dtype, long[] innerShape, List<VirtualSource> sources) {
        checkWritable();
        CStrings.checkName("dataset", name);
        String path = name.startsWith("/") ? name.substring(1) : name;
        if (path.isEmpty() || writers.containsKey(name) || H5.linkExists(file, path)) {
            throw new IllegalArgumentException("dataset '" + name + "' exists already in " + output.target() + ", or has no name");
        }
        long total = 0;
        for (VirtualSource src : sources) {
            total = Math.addExact(total, src.rows());
        }
        // Real paths on both sides: a folder reached through a symbolic link (the output's, or a
        // part's followed by ..) made a lexical relative name that named another file or none,
        // whose rows HDF5 reads as zeros.
        Path dir = realPath(output.target().toAbsolutePath().getParent());
        try {
            createVirtual(path, dtype, innerShape.clone(), sources, total, dir);
        } catch (RuntimeException e) {
            abort(e);
            throw e;
        }
    }

    private void createVirtual(String path, DType dtype, long[] innerShape, List<VirtualSource> sources, long total,
                               Path dir) {
        long type = 0, space = 0, dcpl = 0, lcpl = 0, dataset = 0;
        long[] whole = withRows(total, innerShape);
        try {
            type = Hdf5Types.toHdf5(dtype);
            space = H5.spaceSimple(whole, whole);
            dcpl = H5.datasetCreateList();
            long at = 0;
            for (VirtualSource src : sources) {
                if (src.rows() == 0) {
                    continue;            // nothing to map, and HDF5 refuses an empty block
                }
                long[] block = withRows(src.rows(), innerShape);
                long srcSpace = H5.spaceSimple(block, block);
                try {
                    String file = dir.relativize(realPath(src.file().toAbsolutePath())).toString();
                    H5.setVirtual(dcpl, space, withRows(at, new long[innerShape.length]), block, file, src.dataset(),
                            srcSpace);
                } finally {
                    H5.spaceClose(srcSpace);
                }
                at += src.rows();
            }
            H5.spaceClose(space);
            space = 0;
            space = H5.spaceSimple(whole, whole);   // the extent, no selection
            lcpl = H5.linkCreateListWithParents();
            try {
                dataset = H5.datasetCreate(file, path, type, space, lcpl, dcpl, H5.DEFAULT);
            } catch (Hdf5Exception e) {
                throw Hdf5Types.datasetRefused(path, dtype, e);
            }
            Attributes.writeDatasetHeader(dataset, dtype, total);
            Attributes.writeLong(dataset, "parts", sources.size());
        } finally {
            H5.closeIfValid(dataset, H5::datasetClose);
            H5.closeIfValid(type, H5::typeClose);
            H5.closeIfValid(space, H5::spaceClose);
            H5.closeIfValid(dcpl, H5::plistClose);
            H5.closeIfValid(lcpl, H5::plistClose);
        }
    }


    /// Writes a soft link `name` holding `target` (a path, from `/` or from the link's group), as
    /// h5py's `f['c'] = h5py.SoftLink('/a')`: it leads wherever `target` is when followed.
    ///
    /// @throws IllegalArgumentException when `name` exists already
    public void softLink(String name, String target) {
        checkWritable();
        CStrings.checkName("link", name);
        CStrings.checkName("link target", target);
        String path = name.startsWith("/") ? name.substring(1) : name;
        if (path.isEmpty() || writers.containsKey(name) || H5.linkExists(file, path)) {
            throw new IllegalArgumentException("'" + name + "' exists already in " + output.target() + ", or has no name");
        }
        try {
            H5.linkCreateSoft(file, path, target);
        } catch (RuntimeException e) {
            abort(e);
            throw e;
        }
    }

    /// {@return `path` with every symbolic link resolved}, or as it is when it cannot be (gone)
    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    /// {@return `rows` followed by `inner`}: a shape, or a position, along the first axis
    private static long[] withRows(long rows, long[] inner) {
        long[] shape = new long[inner.length + 1];
        shape[0] = rows;
        System.arraycopy(inner, 0, shape, 1, inner.length);
        return shape;
    }

    /// Removes dataset `name` and what was written to it: its input failed and the file is written
    /// without it (`ferry convert --keep-going`). The space it used is not reclaimed.
    /// @throws IllegalArgumentException when there is no such dataset
    public void remove(String name) {
        checkWritable();
        DatasetWriter w = writers.remove(name);
        if (w == null) {
            throw new IllegalArgumentException("no dataset '" + name + "' in " + output.target());
        }
        try {
            w.discard();
            H5.linkDelete(file, name.startsWith("/") ? name.substring(1) : name);
            removeEmpty(Objects.requireNonNullElse(groupsMadeFor.remove(name), List.of()));
        } catch (RuntimeException e) {
            abort(e);
            throw e;
        }
    }

    /// {@return the groups on the way to dataset `name` that the file does not have yet}, the
    /// outermost first: creating the dataset creates them
    private List<String> missingGroups(String name) {
        List<String> missing = new ArrayList<>();
        String[] parts = (name.startsWith("/") ? name.substring(1) : name).split("/");
        String path = "";
        for (int i = 0; i < parts.length - 1; i++) {
            path = path.isEmpty() ? parts[i] : path + "/" + parts[i];
            if (!missing.isEmpty() || !H5.linkExists(file, path)) {
                missing.add(path);
            }
        }
        return missing;
    }

    /// Removes `groups` (those a removed dataset's creation made), the innermost first, while each
    /// is empty: `--keep-going` left a group for every input that failed (`/g/s3` for a name
    /// `g/{stem}/data`), in a file being appended to too. A group another dataset went into
    /// since stays, and so does every group the file had before.
    private void removeEmpty(List<String> groups) {
        for (String group : groups.reversed()) {
            long id = H5.objectOpen(file, group);
            boolean empty;
            try {
                empty = H5.groupLinks(id).isEmpty();
            } finally {
                H5.objectClose(id);
            }
            if (!empty) {
                return;
            }
            H5.linkDelete(file, group);
        }
    }

    /// Sets a string attribute on the file's root group.
    ///
    /// @throws IllegalArgumentException when `name` or `value` holds a NUL ([CStrings]): HDF5
    ///                                  would end it there; nothing is written then
    public Hdf5Writer attribute(String name, String value) {
        checkWritable();
        Attributes.writeString(file, name, value);
        return this;
    }

    /// Sets an int64 attribute on the file's root group.
    public Hdf5Writer attribute(String name, long value) {
        checkWritable();
        Attributes.writeLong(file, name, value);
        return this;
    }

    /// Sets a float64 attribute on the file's root group.
    public Hdf5Writer attribute(String name, double value) {
        checkWritable();
        Attributes.writeDouble(file, name, value);
        return this;
    }

    /// {@return where the file appears on commit}
    public Path target() {
        return output.target();
    }

    /// {@return the temporary file being written}, beside the target
    public Path temporaryFile() {
        return output.temporary();
    }

    /// {@return the options this writes with}
    public WriteOptions options() {
        return options;
    }

    /// Finishes every dataset (the last partial chunks, the `rows` attributes), closes the file
    /// and renames it to the target.
    ///
    /// @throws TargetExistsException if the target appeared meanwhile and overwrite is off
    /// @throws FerryException        on any failure; the temporary file is deleted then
    public void commit() {
        checkWritable();
        try {
            for (DatasetWriter w : writers.values()) {
                w.finish();
            }
            // The last writes are made while the file is whole, so that one that fails (a full
            // disk, a file-size limit) is discarded as any failed write is. A close that failed
            // instead left the file half released, and discarding it crashed the JVM.
            H5.fileFlush(file);
            fileOpen = false;   // whatever the close does: HDF5 is not asked about this file again
            H5.fileClose(file);
            try {
                if (appending) {
                    output.commitDurably(); // it replaces a file that held data before this run
                } else {
                    output.commit();
                }
            } catch (OutputFileException e) {
                throw e.problem() == OutputFileException.Problem.EXISTS ? new TargetExistsException(output.target()) : e;
            }
            committed = true;
        } catch (IOException e) {
            FerryException f = new Hdf5Exception("cannot move " + output.temporary() + " to " + output.target() + ": "
                    + FileErrors.describe(e), e);
            abort(f);
            throw f;
        } catch (RuntimeException e) {
            abort(e);
            throw e;
        } finally {
            compression.close();
        }
    }

    /// Ends the writing. Without a [#commit()] before, the temporary file is deleted and the target
    /// stays as it was. Idempotent.
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!committed) {
            abort(null);
        }
        closed = true;
        compression.close();
    }

    /// Releases everything after a failure (or a close without commit) and deletes the temporary file;
    /// later errors are attached to `cause` rather than hiding it. A writer that fails calls this
    /// too: nothing half-written is committed.
    private void abort(Throwable cause) {
        for (DatasetWriter w : writers.values()) {
            try {
                w.discard();
            } catch (RuntimeException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                }
            }
        }
        if (fileOpen) {
            fileOpen = false;
            H5.fileDiscard(file);   // the file is thrown away: its own close errors say nothing new
        }
        try {
            output.discard();
        } catch (IOException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
        closed = true;
        compression.close();
    }

    private void checkWritable() {
        if (committed) {
            throw new IllegalStateException("the writer of " + output.target() + " is committed already");
        }
        if (closed) {
            throw new IllegalStateException("the writer of " + output.target() + " is closed (after close() or a failure)");
        }
    }
}
