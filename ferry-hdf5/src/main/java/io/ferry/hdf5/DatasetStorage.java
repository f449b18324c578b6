package io.ferry.hdf5;

import java.util.List;

/// How a dataset's data is stored, beside what [DatasetInfo] says of it: its layout, the sources
/// of a virtual dataset, the filters of its pipeline this HDF5 library cannot apply (its rows
/// cannot be read here; its description can), and the files outside HDF5 that hold its rows.
///
/// @param layout             where the data is
/// @param sources            a virtual dataset's sources, in the order they map; empty else
///                           (a source's file `.` is the dataset's own file)
/// @param missingFilters     a line for each filter this library lacks, such as
///                           `filter 32000 (lzf) is not available: …`, saying how to get it
/// @param externalFiles      the raw files that hold its rows, in order, when it is stored
///                           outside HDF5 (h5py's `external=[…]`); empty else
public record DatasetStorage(Layout layout, List<VirtualSource> sources, List<String> missingFilters,
                             List<ExternalFile> externalFiles) {
    /// A raw file that holds some of a dataset's rows (external storage).
    ///
    /// @param file   the file, as the dataset names it (HDF5 looks for a relative one from the
    ///               working folder, or from `HDF5_EXTFILE_PREFIX`)
    /// @param offset the byte where the rows start in it
    /// @param size   how many bytes of it hold rows; -1 for all to its end
    public record ExternalFile(java.nio.file.Path file, long offset, long size) {
    }

    /// Where a dataset's data is.
    public enum Layout {
        /// In the dataset's header (small data).
        COMPACT,
        /// In one block of the file.
        CONTIGUOUS,
        /// In chunks, each stored (and filtered) alone.
        CHUNKED,
        /// In other datasets, maybe of other files, which it maps (HDF5 1.10+, `ferry stitch`'s output).
        VIRTUAL,
        /// A layout this library does not know.
        OTHER;

        /// {@return the layout's name as HDF5's tools write it, lower case}
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public DatasetStorage {
        sources = List.copyOf(sources);
        missingFilters = List.copyOf(missingFilters);
        externalFiles = List.copyOf(externalFiles);
    }

    /// A dataset whose rows are all in HDF5's file.
    public DatasetStorage(Layout layout, List<VirtualSource> sources, List<String> missingFilters) {
        this(layout, sources, missingFilters, List.of());
    }

    /// {@return whether the dataset's rows can be read here: every filter of its pipeline is available}
    public boolean readable() {
        return missingFilters.isEmpty();
    }

    /// {@return why filter `id` (named `name` in the file) is missing, and how to get it}
    static String missing(int id, String name) {
        String known = switch (id) {
            case 32000 -> "lzf";
            case 32001 -> "blosc";
            case 32004 -> "lz4";
            case 32008 -> "bitshuffle";
            case 32015 -> "zstd";
            case 307 -> "bzip2";
            case 4 -> "szip";
            default -> name.isEmpty() ? "unregistered" : name;
        };
        String how = id == 32000
                ? "h5py has LZF built in (h5py.File(path)[name][:] reads it); other HDF5 programs, Ferry included,"
                + " load it as a plugin from HDF5_PLUGIN_PATH (the hdf5plugin Python package installs one)"
                : "HDF5 programs load filters as plugins from HDF5_PLUGIN_PATH (the hdf5plugin Python package"
                + " installs the common ones)";
        return "filter " + id + " (" + known + ") is not available: this HDF5 library has no such filter, so the rows"
                + " cannot be read here; " + how;
    }
}
