/// Arrays as numpy has them: a dtype, a C-order shape and a [java.lang.foreign.MemorySegment];
/// typed access without boxing, zero-copy slices, numpy-style printing, and the `.npy` format.
///
/// See [io.ferry.array.NdArray].
package io.ferry.array;
