/// Gzip inputs: whether a file is gzip (by its first bytes, never by its name), and a stream that
/// reads every member of a gzip file whole and checks it, where `java.util.zip.GZIPInputStream`
/// stops quietly at a damaged or truncated later member.
///
/// A package of its own, not part of `io.ferry.text`, because three packages ask it (the loader,
/// the conversion planner, the command) and because it will grow on its own: a faster inflater
/// behind [io.ferry.gzip.DeflateDecoder], and BGZF blocks inflated in parallel, need nothing from
/// the text loader. Start at [io.ferry.gzip.Gzip]; the stream is [io.ferry.gzip.GzipStream],
/// its errors [io.ferry.gzip.GzipFormatException].
package io.ferry.gzip;
