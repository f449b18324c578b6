package io.ferry.pipeline;

import java.nio.file.Path;

/// One input file of a conversion and the dataset it becomes.
///
/// @param index   its position among the inputs
/// @param file    the text file (plain or `.gz`)
/// @param dataset the dataset name, see [DatasetNames#of(Path)]
/// @param size    its size in bytes when planned
public record Input(int index, Path file, String dataset, long size) {

    /// {@return whether byte ranges of this file can be parsed independently (not compressed)}
    public boolean splittable() {
        return !file.getFileName().toString().endsWith(".gz");
    }
}
