/// `ferry convert` as one library call: many text files into one HDF5 file, joining the loader,
/// the pipeline's workers and slots, and the HDF5 writer. See [io.ferry.convert.Convert]; its
/// options, shared with the command and the Spark job and checked once, are
/// [io.ferry.convert.ConvertOptions].
package io.ferry.convert;
