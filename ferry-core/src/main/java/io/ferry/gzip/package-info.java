/// Gzip inputs: whether a file is gzip (by its first bytes, never by its name) or BGZF, a stream
/// that reads every member of a gzip file whole and checks it, where
/// `java.util.zip.GZIPInputStream` stops quietly at a damaged or truncated later member, and a
/// reader of a BGZF file's byte ranges, so that several threads inflate one file at once.
///
/// A package of its own, not part of `io.ferry.text`, because three packages ask it (the loader,
/// the conversion planner, the command) and because it needs nothing from the text loader. Start at
/// [io.ferry.gzip.Gzip]; the stream is [io.ferry.gzip.GzipStream], its errors
/// [io.ferry.gzip.GzipFormatException]; BGZF ranges are [io.ferry.gzip.BgzfReader]'s;
/// [io.ferry.gzip.ReadAhead] inflates a stream on a thread of its own.
///
/// Inflating goes to the system's libraries through FFM when they load, as ferry-hdf5's deflating
/// does ([io.ferry.libc.LibraryLoad]): ISA-L's streaming `isal_inflate` for gzip streams (two to
/// three times as fast as zlib), libdeflate's one-shot inflate for BGZF blocks; the JDK's zlib
/// otherwise, or when `-Dferry.inflate=java` says so. Each binding is checked on a small stream
/// when it loads.
package io.ferry.gzip;
