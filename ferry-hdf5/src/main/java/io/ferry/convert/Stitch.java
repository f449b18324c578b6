package io.ferry.convert;

import io.ferry.FerryException;
import io.ferry.dtype.DType;
import io.ferry.hdf5.DatasetInfo;
import io.ferry.hdf5.Hdf5File;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;
import io.ferry.hdf5.VirtualSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/// `ferry stitch`: HDF5 part files into one file of virtual datasets. Each dataset name found in
/// the parts becomes one dataset of the output that maps that name's datasets in every part, in
/// the order of the parts; h5py reads it as one dataset while the rows stay in the parts.
///
/// The parts of one input written by several machines or jobs (each a `ferry convert` of a byte
/// range or a piece of the input), stitched in order, read as that input.
///
/// ```java
/// Map<String, Long> rows = Stitch.parts(List.of(Path.of("parts/p0.h5"), Path.of("parts/p1.h5")))
///         .to(Path.of("parts/all.h5"));
/// ```
///
/// The output names its parts relative to its own directory: keep it in the parts' folder (or a
/// parent of it) and the folder can move. It is written atomically, as `ferry convert`'s.
public final class Stitch {
    private final List<Path> parts;
    private boolean overwrite;
    private Function<Path, List<DatasetInfo>> listing = Stitch::datasetsOf;

    private Stitch(List<Path> parts) {
        this.parts = List.copyOf(parts);
    }

    /// {@return a stitch of `parts`, in this order}
    public static Stitch parts(List<Path> parts) {
        return new Stitch(parts);
    }

    /// Replaces an existing output (default: refuse it).
    public Stitch overwrite(boolean replace) {
        this.overwrite = replace;
        return this;
    }

    /// Sets how a part's datasets are listed (default: [Hdf5File#datasets()] in this JVM). A
    /// damaged file can crash the JVM that reads it, so `ferry stitch` lists them in a child JVM
    /// and gives the listing here.
    public Stitch listing(Function<Path, List<DatasetInfo>> datasets) {
        this.listing = Objects.requireNonNull(datasets, "datasets");
        return this;
    }

    /// Writes `output`, after checking it as [Convert#to] does: never one of the parts (the same
    /// file through a link included), never anything but a regular file.
    /// {@return each dataset's name and total rows, in the order first met}
    /// @throws io.ferry.hdf5.TargetExistsException when `output` exists and overwriting is off
    /// @throws io.ferry.file.OutputFileException when `output` is a part, not a regular file, or
    ///         its directory is missing or not writable
    /// @throws FerryException when a name has different dtypes in two parts, or a dataset is not
    ///         a table Ferry can read (naming the part and the dataset)
    public Map<String, Long> to(Path output) {
        Hdf5Writer.checkTarget(output, overwrite, parts);
        Map<String, List<VirtualSource>> sources = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        Map<String, long[]> innerShapes = new LinkedHashMap<>();
        for (Path part : parts) {
            for (DatasetInfo d : listing.apply(part)) {
                DType dt = d.dtype().orElseThrow(() -> new FerryException(part + ": dataset '" + d.name()
                        + "' cannot be stitched: " + d.typeProblem()));
                if (d.nullSpace()) {
                    throw new FerryException(part + ": dataset '" + d.name() + "' holds no value (a null dataspace,"
                            + " h5py.Empty); only tables stitch");
                }
                if (d.shape().length == 0) {
                    throw new FerryException(part + ": dataset '" + d.name() + "' is a scalar; only tables stitch");
                }
                DType first = dtypes.putIfAbsent(d.name(), dt);
                if (first != null && !first.equals(dt)) {
                    throw new FerryException(part + ": dataset '" + d.name() + "' has dtype " + dt.descr()
                            + ", the parts before it " + first.descr());
                }
                // A part without rows maps nothing, whatever its rows' shape (an empty grid is (0, 1))
                long[] inner = Arrays.copyOfRange(d.shape(), 1, d.shape().length);
                long[] firstInner = d.rows() == 0 ? innerShapes.get(d.name()) : innerShapes.putIfAbsent(d.name(), inner);
                if (d.rows() > 0 && firstInner != null && !Arrays.equals(firstInner, inner)) {
                    throw new FerryException(part + ": dataset '" + d.name() + "' has rows of shape "
                            + rowShape(inner) + ", the parts before it " + rowShape(firstInner)
                            + "; parts stitch along their first axis only");
                }
                String source = d.name().startsWith("/") ? d.name() : "/" + d.name();
                sources.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(new VirtualSource(part, source, d.rows()));
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Hdf5Writer writer = Hdf5Writer.create(output, WriteOptions.builder().overwrite(overwrite).build())) {
            for (var e : sources.entrySet()) {
                writer.virtualDataset(e.getKey(), dtypes.get(e.getKey()), innerShapes.getOrDefault(e.getKey(), new long[0]),
                        e.getValue());
                rows.put(e.getKey(), e.getValue().stream().mapToLong(VirtualSource::rows).sum());
            }
            writer.commit();
        }
        return rows;
    }

    /// {@return a row's shape as numpy writes it}: `()` for a record or a value, `(3,)` for a row of 3
    private static String rowShape(long[] inner) {
        return inner.length == 1 ? "(" + inner[0] + ",)"
                : Arrays.stream(inner).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /// {@return the datasets of `part`}, read in this JVM
    /// @throws FerryException naming the part when it cannot be read
    private static List<DatasetInfo> datasetsOf(Path part) {
        try (Hdf5File f = Hdf5File.open(part)) {
            return f.datasets();
        } catch (FerryException e) {
            throw e.getMessage().startsWith(part.toString()) ? e : new FerryException(part + ": " + e.getMessage(), e);
        }
    }
}
