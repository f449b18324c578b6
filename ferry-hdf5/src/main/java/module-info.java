/// HDF5 files through the reference C library (`io.ferry.hdf5`, its deflaters in
/// `io.ferry.hdf5.deflate`), and the conversion, where text, pipeline and HDF5 meet
/// (`io.ferry.convert`). All are API. Ferry runs on the class path; this file is the compiler's
/// check of what this module reaches (nothing of `io.ferry.core` that is not exported to it).
module io.ferry.hdf5 {
    requires transitive io.ferry.core;
    requires org.bytedeco.hdf5;
    requires org.bytedeco.javacpp;

    exports io.ferry.hdf5;
    exports io.ferry.hdf5.deflate;
    exports io.ferry.convert;
}
