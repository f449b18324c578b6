/// Deflating HDF5 chunks outside the HDF5 library, so that several threads can deflate at once:
/// the zlib streams HDF5's deflate filter stores (RFC 1950), written by the JDK's zlib, or by the
/// system's libdeflate or ISA-L, bound through FFM when they load.
///
/// - [io.ferry.hdf5.deflate.DeflateLibrary]: which library deflates, whether it loads, and why not.
/// - [io.ferry.hdf5.deflate.ChunkDeflater]: deflates one chunk, from native memory into native memory.
///
/// The bindings of the system libraries and their loading stay inside the package.
package io.ferry.hdf5.deflate;
