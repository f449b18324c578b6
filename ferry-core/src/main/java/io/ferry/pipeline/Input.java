package io.ferry.pipeline;

import java.nio.file.Path;

/// One input file of a conversion and the dataset it becomes.
///
/// @param index      its position among the inputs
/// @param file       the input file
/// @param dataset    the dataset name, see [DatasetNames#of(Path)]
/// @param size       its size in bytes when planned
/// @param splittable whether byte ranges of it can be parsed independently, as its
///                   [InputFormat] says
public record Input(int index, Path file, String dataset, long size, boolean splittable) {
}
