package io.ferry.hdf5;

import io.ferry.array.PythonFormat;

/// A link or an attribute whose name is not UTF-8 text (h5py writes a `bytes` name as it is, and
/// older files may hold Latin-1 names): Ferry names HDF5 objects by Java strings, in UTF-8, and
/// cannot name this one to open it. Its message shows the name's bytes as Python writes them.
public final class NameNotUtf8Exception extends Hdf5Exception {
    private final String what;
    private final byte[] name;

    NameNotUtf8Exception(String what, byte[] name) {
        this(what, name, "");
    }

    private NameNotUtf8Exception(String what, byte[] name, String where) {
        super(where + "a" + (what.startsWith("a") ? "n " : " ") + what + "'s name is not UTF-8 text (" + PythonFormat.bytesRepr(name)
                + "), and Ferry reads HDF5 names in UTF-8 only; rename it" + (what.equals("link")
                ? " (in h5py: f.move(" + PythonFormat.bytesRepr(name) + ", 'new name'))" : ""));
        this.what = what;
        this.name = name;
    }

    /// {@return this failure, said of the object at `path`}: `group /g: a link's name ...`
    NameNotUtf8Exception at(String kind, String path) {
        return new NameNotUtf8Exception(what, name, kind + " " + path + ": ");
    }
}
