/// Ferry: zero-copy shared arrays between JVMs and numpy, and many text tables into one HDF5 file.
///
/// One idea per package: [io.ferry.dtype] (numpy-compatible dtypes), [io.ferry.array] (arrays over
/// memory segments, `.npy`), [io.ferry.text] (the loader), [io.ferry.shm] (named shared memory),
/// [io.ferry.proc] (child JVM workers and pools), [io.ferry.pipeline] (slots and sinks),
/// [io.ferry.file] (output files: the checks, the temporary name, the atomic replace),
/// [io.ferry.libc] (the C library calls the JDK lacks).
///
/// Here, what every package shares: [io.ferry.FerryException] (the root of Ferry's errors),
/// [io.ferry.FerryVersion] (the build's version), [io.ferry.Sizes] (byte counts, read and
/// printed in binary units) and [io.ferry.DaemonThreads] (the named threads of a pool).
package io.ferry;
