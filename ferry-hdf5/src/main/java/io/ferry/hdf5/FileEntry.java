package io.ferry.hdf5;

import java.util.List;
import java.util.Map;

/// One name in an HDF5 file, as `h5ls -r` lists it ([Hdf5File#entries(String)]): a group, a
/// dataset, or a link that is not the first name of what it leads to. Paths start with `/`.
///
/// An object with several hard links (several names) is a [Group] or [Dataset] under the first
/// of its names in listing order, and a [HardLink] under each of the others.
public sealed interface FileEntry {
    /// {@return the entry's path in the file, from `/`}
    String path();

    /// A group.
    ///
    /// @param path       its first name
    /// @param attributes its attributes
    /// @param otherNames the other names of the group (hard links), in listing order
    record Group(String path, Map<String, Object> attributes, List<String> otherNames) implements FileEntry {
        public Group {
            otherNames = List.copyOf(otherNames);
        }
    }

    /// A dataset.
    ///
    /// @param path       its first name
    /// @param info       what it holds
    /// @param storage    how it is stored
    /// @param otherNames the other names of the dataset (hard links), in listing order
    record Dataset(String path, DatasetInfo info, DatasetStorage storage, List<String> otherNames) implements FileEntry {
        public Dataset {
            otherNames = List.copyOf(otherNames);
        }
    }

    /// Another name of an object listed under `target`.
    ///
    /// @param path   this name
    /// @param target the object's first name
    record HardLink(String path, String target) implements FileEntry {
    }

    /// A soft link: a path, resolved when it is followed.
    ///
    /// @param path     the link's name
    /// @param target   the path it holds
    /// @param dangling whether nothing is there
    record SoftLink(String path, String target, boolean dangling) implements FileEntry {
    }

    /// An external link: an object of another file.
    ///
    /// @param path   the link's name
    /// @param file   the file it names
    /// @param object the object's path in that file
    record ExternalLink(String path, String file, String object) implements FileEntry {
    }

    /// Something else: a named datatype, a link of a kind a plugin defines.
    ///
    /// @param path the name
    /// @param what what it is
    record Other(String path, String what) implements FileEntry {
    }
}
