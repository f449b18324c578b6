/// Files a caller names: what kind of file a path is, the inputs checked, the inputs a list of
/// paths stands for, and the output file written atomically.
///
/// - [io.ferry.file.FileKind]: a regular file, a directory, a pipe, a device, a socket or a link,
///   named as a message says it.
/// - [io.ferry.file.InputFile]: the check every reader of named inputs makes before any work
///   (a readable regular file, not a pipe or a device it would block on).
/// - [io.ferry.file.OutputFile]: the checks every writer of a named output makes before any work
///   (never over an input, never over a device, a pipe or a socket), the temporary name beside
///   the output, and the rename that replaces it, keeping the replaced file's permission bits.
/// - [io.ferry.file.InputList]: folders as their files in [io.ferry.file.NaturalOrder], and list
///   files of paths, one a line; [io.ferry.file.StandardInput]: `-`.
package io.ferry.file;
