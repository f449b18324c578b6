package io.ferry.convert;

import io.ferry.FerryException;
import io.ferry.dtype.DType;
import io.ferry.hdf5.DatasetInfo;
import io.ferry.hdf5.FileEntry;
import io.ferry.hdf5.Hdf5Exception;
import io.ferry.hdf5.Hdf5File;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;
import io.ferry.hdf5.VirtualSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/// `ferry stitch`: HDF5 part files into one file of virtual datasets. Each dataset name found in
/// the parts becomes one dataset of the output that maps that name's datasets in every part, in
/// the order of the parts; h5py reads it as one dataset while the rows stay in the parts.
///
/// Every name counts: a dataset with two names in a part (h5py's `f['b'] = f['a']`, a hard link;
/// the names under a group with two names) is stitched under each, so that the output reads as
/// the parts do. A soft link is made again in the output when what it leads to is there (it then
/// leads to the stitched dataset); one that would lead nowhere, and external links (not
/// followed), are left out and named in [#leftOut()].
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
    private Function<Path, Part> listing = Stitch::partOf;
    private final List<String> leftOut = new ArrayList<>();

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

    /// Sets how a part's datasets and links are listed (default: [Part#of] its
    /// [Hdf5File#entries(String)], in this JVM). A damaged file can crash the JVM that reads it,
    /// so `ferry stitch` lists them in a child JVM and gives the listing here.
    public Stitch listing(Function<Path, Part> datasets) {
        this.listing = Objects.requireNonNull(datasets, "datasets");
        return this;
    }

    /// What a stitch takes of one part ([Part#of] makes it from [Hdf5File#entries(String)]).
    ///
    /// @param datasets      its datasets, one for each name (a dataset with two names twice)
    /// @param softLinks     its soft links
    /// @param externalLinks its external links
    /// @param attributes    the names of the attributes of its groups (the root `/` too) and
    ///                      datasets, by path, where there are any: a stitch does not carry them
    public record Part(List<DatasetInfo> datasets, List<FileEntry.SoftLink> softLinks,
                       List<FileEntry.ExternalLink> externalLinks, Map<String, List<String>> attributes) {
        public Part {
            datasets = List.copyOf(datasets);
            softLinks = List.copyOf(softLinks);
            externalLinks = List.copyOf(externalLinks);
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }

        /// A part without attributes.
        public Part(List<DatasetInfo> datasets, List<FileEntry.SoftLink> softLinks,
                    List<FileEntry.ExternalLink> externalLinks) {
            this(datasets, softLinks, externalLinks, Map.of());
        }

        /// {@return the part whose file lists `entries`}: a dataset's other names (hard links) and
        /// the names of datasets under a group's other names are datasets too, each its own
        /// name; the soft links under a group's other names are links too. Those under a group's
        /// other name are found once: a group that holds one of its own parents (a cycle) has
        /// endless names, and only the first round of them is stitched.
        public static Part of(List<FileEntry> entries) {
            Map<String, DatasetInfo> byPath = new LinkedHashMap<>();
            Set<String> groups = new HashSet<>();
            List<FileEntry.HardLink> groupNames = new ArrayList<>();
            List<FileEntry.SoftLink> soft = new ArrayList<>();
            List<FileEntry.ExternalLink> external = new ArrayList<>();
            Map<String, List<String>> attributes = new LinkedHashMap<>();
            // A part Ferry wrote: the attributes it writes itself (its version, when, a dataset's
            // dtype, rows and source) are its bookkeeping, which the stitched file has its own of
            boolean ferrys = entries.stream().anyMatch(e -> e instanceof FileEntry.Group g && g.path().equals("/")
                    && g.attributes().containsKey("ferry_version"));
            Set<String> own = ferrys ? FERRYS_OWN : Set.of();
            for (FileEntry e : entries) {
                switch (e) {
                    case FileEntry.Dataset d -> {
                        byPath.put(d.path(), d.info());
                        noteOthers(attributes, d.path(), d.info().attributes().keySet(), own);
                    }
                    case FileEntry.Group g -> {
                        groups.add(g.path());
                        noteOthers(attributes, g.path(), g.attributes().keySet(), own);
                    }
                    case FileEntry.HardLink h when byPath.containsKey(h.target()) ->
                            byPath.put(h.path(), renamed(byPath.get(h.target()), h.path()));
                    case FileEntry.HardLink h when groups.contains(h.target()) -> groupNames.add(h);
                    case FileEntry.SoftLink l -> soft.add(l);
                    case FileEntry.ExternalLink l -> external.add(l);
                    default -> {
                        // another name of a named datatype, or a link kind of a plugin: no rows
                    }
                }
            }
            Map<String, DatasetInfo> named = new LinkedHashMap<>(byPath);
            for (FileEntry.HardLink h : groupNames) {
                String under = h.target().equals("/") ? "/" : h.target() + "/";
                for (var d : byPath.entrySet()) {
                    if (d.getKey().startsWith(under)) {
                        String name = h.path() + "/" + d.getKey().substring(under.length());
                        named.putIfAbsent(name, renamed(d.getValue(), name));
                    }
                }
                for (FileEntry.SoftLink l : List.copyOf(soft)) {
                    if (l.path().startsWith(under)) {
                        soft.add(new FileEntry.SoftLink(h.path() + "/" + l.path().substring(under.length()), l.target(),
                                l.dangling()));
                    }
                }
            }
            return new Part(List.copyOf(named.values()), soft, external, attributes);
        }

        /// The attributes Ferry writes into a file and its datasets itself.
        private static final Set<String> FERRYS_OWN = Set.of("created", "ferry_version", "dtype", "rows", "source");

        /// Puts the attribute `names` of `path` that are not Ferry's `own` into `attributes`, if any.
        private static void noteOthers(Map<String, List<String>> attributes, String path, Set<String> names,
                                       Set<String> own) {
            List<String> others = names.stream().filter(n -> !own.contains(n)).toList();
            if (!others.isEmpty()) {
                attributes.put(path, others);
            }
        }

        private static DatasetInfo renamed(DatasetInfo d, String path) {
            return new DatasetInfo(path.substring(1), d.dtype(), d.typeProblem(), d.shape(), d.maxShape(), d.chunk(),
                    d.filters(), d.attributes(), d.nullSpace());
        }
    }

    /// A name that is a dataset in one part and a group in another (holding a dataset there): the
    /// stitch stopped with HDF5's error stack.
    private static void checkNoDatasetIsAGroup(Map<String, List<VirtualSource>> sources) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(sources.keySet());
        for (String name : names) {
            String inside = names.ceiling(name + "/");
            if (inside != null && inside.startsWith(name + "/")) {
                throw new FerryException(sources.get(inside).getFirst().file() + ": '" + inside + "' needs '" + name
                        + "' to be a group, but in " + sources.get(name).getFirst().file() + " it is a dataset; a name"
                        + " stitches only to one thing");
            }
        }
    }

    /// {@return the links of the parts the last [#to] left out, each with its part and why}: soft
    /// links that would lead nowhere in the output, external links
    public List<String> leftOut() {
        return List.copyOf(leftOut);
    }

    /// Writes `output`, after checking it as [Convert#to] does: never one of the parts (the same
    /// file through a link included), never anything but a regular file.
    /// {@return each dataset's name and total rows, in the order first met}
    /// @throws io.ferry.hdf5.TargetExistsException when `output` exists and overwriting is off
    /// @throws io.ferry.file.OutputFileException when `output` is a part, not a regular file, or
    ///         its directory is missing or not writable
    /// @throws FerryException when a name has different dtypes in two parts, or a dataset is not
    ///         a table Ferry can read, or a name is a soft link in one part and a dataset or
    ///         another soft link in another (naming the part and the name)
    public Map<String, Long> to(Path output) {
        Hdf5Writer.checkTarget(output, overwrite, parts);
        leftOut.clear();
        Map<String, List<VirtualSource>> sources = new LinkedHashMap<>();
        Map<String, DType> dtypes = new LinkedHashMap<>();
        Map<String, long[]> innerShapes = new LinkedHashMap<>();
        Map<String, long[]> emptyInnerShapes = new LinkedHashMap<>();
        Map<String, FileEntry.SoftLink> softLinks = new LinkedHashMap<>();
        Map<String, Path> softLinkPart = new LinkedHashMap<>();
        for (Path part : parts) {
            Part listed = listing.apply(part);
            for (FileEntry.SoftLink l : listed.softLinks()) {
                FileEntry.SoftLink first = softLinks.putIfAbsent(l.path(), l);
                softLinkPart.putIfAbsent(l.path(), part);
                if (first != null && !first.target().equals(l.target())) {
                    throw new FerryException(part + ": '" + l.path() + "' is a soft link to '" + l.target()
                            + "', in " + softLinkPart.get(l.path()) + " to '" + first.target()
                            + "'; a name stitches only to one thing");
                }
            }
            for (FileEntry.ExternalLink l : listed.externalLinks()) {
                leftOut.add(part + ": '" + l.path() + "', an external link to '" + l.object() + "' in " + l.file()
                        + ", was left out (external links are not followed)");
            }
            // A stitched file is the parts' rows: their attributes (a conversion's --attr, a
            // dataset's units) went without a word, exit 0
            listed.attributes().forEach((path, names) -> leftOut.add(part + ": the attribute" + (names.size() == 1 ? "" : "s")
                    + " of '" + path + "' (" + String.join(", ", names) + ") " + (names.size() == 1 ? "was" : "were")
                    + " left out (a stitch carries the parts' rows, not their attributes)"));
            for (DatasetInfo d : listed.datasets()) {
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
                // A part without rows maps nothing, whatever its rows' shape: a conversion of an
                // empty file cannot know a grid's columns and makes it (0, 1). Where no part has
                // rows, the first part's row shape is the output's, as np.concatenate gives it
                // (it came out (0,) for parts of (0, 3), exit 0).
                long[] inner = Arrays.copyOfRange(d.shape(), 1, d.shape().length);
                if (d.rows() == 0) {
                    emptyInnerShapes.putIfAbsent(d.name(), inner);
                }
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
        checkNoSoftLinkIsADataset(softLinks, softLinkPart, sources);
        checkNoDatasetIsAGroup(sources);
        List<FileEntry.SoftLink> kept = leadingSomewhere(softLinks, sources.keySet());
        for (FileEntry.SoftLink l : softLinks.values()) {
            if (!kept.contains(l)) {
                leftOut.add(softLinkPart.get(l.path()) + ": '" + l.path() + "', a soft link to '" + l.target()
                        + "', was left out: nothing of that name is stitched" + (l.dangling() ? " (it leads nowhere in the part)" : ""));
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Hdf5Writer writer = Hdf5Writer.create(output, WriteOptions.builder().overwrite(overwrite).build())) {
            for (var e : sources.entrySet()) {
                long[] inner = innerShapes.containsKey(e.getKey()) ? innerShapes.get(e.getKey()) : emptyInnerShapes.get(e.getKey());
                writer.virtualDataset(e.getKey(), dtypes.get(e.getKey()), inner, e.getValue());
                rows.put(e.getKey(), e.getValue().stream().mapToLong(VirtualSource::rows).sum());
            }
            for (FileEntry.SoftLink l : kept) {
                writer.softLink(l.path(), l.target());
            }
            writer.commit();
        } catch (Hdf5Exception e) {
            throw Hdf5Exception.outOfRoom(output, e, "the stitched file");
        }
        return rows;
    }

    /// Refuses a name that is a soft link in one part and a dataset, or a group of datasets, in
    /// another: the output can hold only one of them.
    private static void checkNoSoftLinkIsADataset(Map<String, FileEntry.SoftLink> softLinks, Map<String, Path> softLinkPart,
                                                  Map<String, List<VirtualSource>> datasets) {
        for (FileEntry.SoftLink l : softLinks.values()) {
            String name = l.path().substring(1);
            for (var d : datasets.entrySet()) {
                boolean group = d.getKey().startsWith(name + "/");
                if (group || d.getKey().equals(name)) {
                    throw new FerryException(softLinkPart.get(l.path()) + ": '" + l.path() + "' is a soft link to '"
                            + l.target() + "', in " + d.getValue().getFirst().file() + (group ? " a group" : " a dataset")
                            + "; a name stitches only to one thing");
                }
            }
        }
    }

    /// {@return the soft links that lead to a stitched dataset, a group of them, or another such
    /// link}, in the order given
    private static List<FileEntry.SoftLink> leadingSomewhere(Map<String, FileEntry.SoftLink> softLinks, Set<String> datasets) {
        Set<String> there = new HashSet<>(List.of("/"));
        for (String d : datasets) {
            for (int at = d.indexOf('/'); at >= 0; at = d.indexOf('/', at + 1)) {
                there.add("/" + d.substring(0, at));   // its groups
            }
            there.add("/" + d);
        }
        List<FileEntry.SoftLink> kept = new ArrayList<>();
        for (boolean more = true; more; ) {
            more = false;
            for (FileEntry.SoftLink l : softLinks.values()) {
                if (!kept.contains(l) && there.contains(resolved(l))) {
                    kept.add(l);
                    there.add(l.path());
                    more = true;
                }
            }
        }
        return softLinks.values().stream().filter(kept::contains).toList();
    }

    /// {@return the path soft link `l` leads to, from `/`}: a relative target is taken from the
    /// link's group, as HDF5 does; `.` and repeated `/` dropped
    private static String resolved(FileEntry.SoftLink l) {
        String from = l.target().startsWith("/") ? l.target() : l.path().substring(0, l.path().lastIndexOf('/') + 1) + l.target();
        String path = Arrays.stream(from.split("/")).filter(p -> !p.isEmpty() && !p.equals(".")).collect(Collectors.joining("/"));
        return "/" + path;
    }

    /// {@return a row's shape as numpy writes it}: `()` for a record or a value, `(3,)` for a row of 3
    private static String rowShape(long[] inner) {
        return inner.length == 1 ? "(" + inner[0] + ",)"
                : Arrays.stream(inner).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /// {@return what a stitch takes of `part`}, read in this JVM
    /// @throws FerryException naming the part when it cannot be read
    private static Part partOf(Path part) {
        try (Hdf5File f = Hdf5File.open(part)) {
            return Part.of(f.entries("/"));
        } catch (FerryException e) {
            throw e.getMessage().startsWith(part.toString()) ? e : new FerryException(part + ": " + e.getMessage(), e);
        }
    }
}
