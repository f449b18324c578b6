/// numpy-compatible dtypes: scalar types (`<i4`, `|S10`), structured records with numpy's packed
/// layout, parsed from numpy's spellings and printed back exactly as numpy prints them.
///
/// See [io.ferry.dtype.DType].
package io.ferry.dtype;
