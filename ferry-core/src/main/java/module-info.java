/// Ferry's core: numpy-compatible dtypes and arrays, named shared memory, the text loader, child
/// JVM workers and the conversion pipeline. The JDK only.
///
/// Exported to everyone: what a program calls. Exported to Ferry's own modules only: the libc
/// binding and the generated sample tables, which are internals they share. Ferry runs on the
/// class path (the `ferry` jar, child JVMs, Spark executors), where this file is not consulted:
/// it is the compiler's check that Ferry's modules reach only what is exported to them.
module io.ferry.core {
    exports io.ferry;
    exports io.ferry.array;
    exports io.ferry.dtype;
    exports io.ferry.file;
    exports io.ferry.gzip;
    exports io.ferry.json;
    exports io.ferry.pipeline;
    exports io.ferry.proc;
    exports io.ferry.share;
    exports io.ferry.shm;
    exports io.ferry.text;

    exports io.ferry.libc to io.ferry.hdf5, io.ferry.cli;
    exports io.ferry.sample to io.ferry.hdf5, io.ferry.cli, io.ferry.bench; // hdf5: for its tests' tables
}
