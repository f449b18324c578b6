/// The text loader: `np.loadtxt` semantics and values, parsed straight from bytes into memory the
/// caller gives, strict where numpy is silently wrong.
///
/// Start at [io.ferry.text.TextLoader]; chunked and byte-range reading in
/// [io.ferry.text.TableReader] and [io.ferry.text.ByteRange]; errors in
/// [io.ferry.text.TextParseException].
package io.ferry.text;
