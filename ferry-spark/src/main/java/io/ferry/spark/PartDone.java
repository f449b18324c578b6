package io.ferry.spark;

import java.io.Serializable;

/// What a successful task returns: where its part file is and how many rows it holds. Only the
/// attempt Spark keeps reports; files of failed or speculative attempts are never named here.
///
/// @param input the input's index
/// @param part  the part's index within its input
/// @param path  the part file
/// @param rows  rows in its dataset
record PartDone(int input, int part, String path, long rows) implements Serializable {
}
