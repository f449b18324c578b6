/// The C library calls the JDK does not offer (`posix_fallocate`, `O_TMPFILE` and `linkat`,
/// `dup2`, a terminal's size), bound through FFM once for every module: [io.ferry.libc.Libc].
package io.ferry.libc;
