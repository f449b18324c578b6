/// HDF5 output and input through the reference HDF5 C library.
///
/// - [io.ferry.hdf5.Hdf5Writer] writes one file atomically (a temporary file, renamed on commit);
///   each [io.ferry.hdf5.DatasetWriter] appends records to one chunked, extendable dataset of it.
///   [io.ferry.hdf5.WriteOptions] and [io.ferry.hdf5.Compression] say how.
/// - [io.ferry.hdf5.Hdf5File] lists a file's datasets ([io.ferry.hdf5.DatasetInfo]) and reads them back;
///   it lists any file's groups, datasets and links as `h5ls -r` does ([io.ferry.hdf5.FileEntry]), and
///   says how each dataset is stored ([io.ferry.hdf5.DatasetStorage]: layout, virtual sources,
///   filters missing here).
/// - No pipeline here: the conversion's `TableSink` over an `Hdf5Writer` is
///   [io.ferry.convert.Hdf5TableSink], where the pipeline and HDF5 meet.
///
/// Inside: every HDF5 call goes through one package-private class (`H5`), under one lock, with
/// HDF5's errors turned into [io.ferry.hdf5.Hdf5Exception]s that carry HDF5's own messages.
/// Chunks are shuffled and deflated off that lock by `ParallelCompression` (one per file, its
/// own threads), with the deflaters of [io.ferry.hdf5.deflate], and stored as they are.
package io.ferry.hdf5;
