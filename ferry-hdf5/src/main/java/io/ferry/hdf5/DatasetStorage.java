package io.ferry.hdf5;

import java.util.List;

/// How a dataset's data is stored, beside what [DatasetInfo] says of it: its layout, the sources
/// of a virtual dataset, and the filters of its pipeline this HDF5 library cannot apply (its rows
/// cannot be read here; its description can).
///
/// @param layout             where the data is
/// @param sources            a virtual dataset's sources, in the order they map; empty else
///                           (a source's file `.` is the dataset's own file)
/// @param missingFilters     a line for each filter this library lacks, such as
///                           `filter 32000 (lzf) is not available: …`, saying how to get it
public record DatasetStorage(Layout layout, List<VirtualSource> sources, List<String> missingFilters) {
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
