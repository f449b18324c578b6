/// HDF5 output and input through the reference HDF5 C library: [io.ferry.hdf5.Hdf5Writer] writes
/// record arrays into chunked, extendable, optionally compressed datasets of one file, atomically;
/// [io.ferry.hdf5.Hdf5File] lists and reads datasets back.
///
/// Every HDF5 call goes through one package-private class (`H5`), under one lock, with HDF5's
/// errors turned into [io.ferry.hdf5.Hdf5Exception]s that carry HDF5's own messages.
package io.ferry.hdf5;
