package io.ferry.spark;

import java.io.Serializable;

/// One part of one input, as a Spark task gets it: plain values only (Spark serializes tasks with
/// Java serialization; Ferry's own channels never do).
///
/// @param input      the input's index in the conversion
/// @param part       the part's index within its input
/// @param file       the input's path, the same on every node (shared storage)
/// @param dataset    the input's dataset name
/// @param start      first byte of the part (the loader moves it to the next line start)
/// @param end        byte the part ends before; `Long.MAX_VALUE` for the input's end
/// @param dtypeJson  the record dtype as JSON (numpy's descr)
/// @param loaderJson the loader's options as JSON ([io.ferry.convert.TextParts#config])
/// @param compression what [io.ferry.hdf5.Compression#parse(String)] reads: none, gzip:4, gzip:fast
/// @param shuffle    HDF5's shuffle filter
/// @param chunkRows  rows per chunk; 0: about 1 MiB of records ([io.ferry.hdf5.WriteOptions#rowsPerChunk])
/// @param partsDir   where part files go, the same on every node
record PartTask(int input, int part, String file, String dataset, long start, long end, String dtypeJson,
                String loaderJson, String compression, boolean shuffle, long chunkRows, String partsDir) implements Serializable {
}
