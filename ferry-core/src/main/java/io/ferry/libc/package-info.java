/// The C library calls the JDK does not offer (`posix_fallocate`, `renameat2`, `dup2`, a
/// terminal's size), bound through FFM once for every module: [io.ferry.libc.Libc]. And
/// how Ferry finds an optional system library (libdeflate, ISA-L) and falls back when it cannot:
/// [io.ferry.libc.SystemLibrary], [io.ferry.libc.LibraryLoad], used by the gzip reader here and by
/// ferry-hdf5's chunk deflaters.
package io.ferry.libc;
