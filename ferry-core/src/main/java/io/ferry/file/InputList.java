package io.ferry.file;

import io.ferry.FerryException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/// The inputs a caller names, as the files they stand for: a folder is its regular files in
/// natural order (`s2.txt` before `s10.txt`, see [NaturalOrder]), and a list file is the paths
/// it holds, one a line, for the thousands of inputs that do not fit a command line.
///
/// ```java
/// Files.writeString(dir.resolve("s10.txt"), "1\n");
/// Files.writeString(dir.resolve("s2.txt"), "2\n");
/// assert InputList.expand(List.of(dir)).equals(List.of(dir.resolve("s2.txt"), dir.resolve("s10.txt")));
/// ```
///
/// A folder's hidden files (names starting with `.`) and its subfolders are left out; a symbolic
/// link to a regular file counts as one. [StandardInput#PATH] (`-`) stands for itself.
public final class InputList {
    private InputList() {
    }

    /// {@return `paths` with every folder replaced by its regular files, in natural order}; other
    /// paths stay as given, in place (whether they exist is checked where they are read)
    /// @throws FerryException when a folder cannot be listed or holds no files
    public static List<Path> expand(List<Path> paths) {
        return expand(paths, null);
    }

    /// As [#expand(List)], leaving `output` out of the folders (null: nothing): an output written
    /// into a folder of inputs was read back as an input by the next run, which then failed
    /// ("is an HDF5 file, not a text table"). Named as an input, it stays, to be refused as one.
    public static List<Path> expand(List<Path> paths, Path output) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!StandardInput.is(p) && Files.isDirectory(p)) {
                files.addAll(folder(p, output));
            } else {
                files.add(p);
            }
        }
        return files;
    }

    /// {@return the identity of the file `path` leads to (device and inode)}, or null when there is none
    private static Object fileKey(Path path) {
        try {
            return path == null ? null : Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Path> folder(Path dir, Path output) {
        Object outputKey = fileKey(output);   // once: an output not there yet is in no listing
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> outputKey == null || !outputKey.equals(fileKey(f)))
                    .filter(f -> !Files.isDirectory(f))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString(), NaturalOrder.NATURAL))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new FerryException(dir + ": the folder cannot be listed: " + e.getMessage());
        }
        files.forEach(InputList::checkAFile);
        if (files.isEmpty()) {
            throw new FerryException(dir + ": the folder holds no files to read");
        }
        return files;
    }

    /// Refuses an entry of a folder that is no file to read: a symbolic link to nothing (a file on
    /// a volume not mounted, say), a named pipe, a device. They were left out, and the run ended
    /// with exit 0 without their rows.
    /// @throws FerryException naming it and what it is
    public static void checkAFile(Path entry) {
        // A name the JVM cannot decode opens all the same, as the folder gave its bytes, but the
        // dataset named after it and its source attribute named nothing on disk (exit 0), and a
        // list or a message naming it said "no such file"
        RawNames.undecodable(entry).ifPresent(raw -> {
            throw new FerryException(entry.getParent() + "/" + RawNames.escaped(raw) + ": this name is not valid "
                    + RawNames.fileNameEncoding().name() + ", the encoding of file names here, so Ferry cannot name the"
                    + " file (its dataset, its source); rename it " + RawNames.LATIN1_RENAME);
        });
        try {
            FileKind kind = FileKind.of(entry);
            if (kind == FileKind.MISSING) {
                throw new FerryException(entry + ": is a symbolic link to " + target(entry) + ", which does not exist;"
                        + " restore the file, or remove the link");
            }
            if (kind != FileKind.REGULAR) {
                throw new FerryException(entry + ": is " + kind.description() + ", not a file to read; move it out of the"
                        + " folder, or name the inputs one by one");
            }
        } catch (IOException e) {
            throw new FerryException(entry + ": cannot be examined: " + FileErrors.describe(e));
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "a missing file";
        }
    }

    /// {@return the paths `list` holds, one a line}, read in the platform's encoding (the one
    /// file names are decoded in). Blank lines are skipped, a line's trailing `\r` is dropped, and
    /// nothing else is trimmed: a path may begin or end with a space. Relative paths are taken
    /// from the current directory, as `xargs` and `tar -T` take them. `-` reads standard input.
    /// @throws FerryException when `list` cannot be read, holds no paths, or names a file that
    ///         does not exist: the message names the list and the line
    public static List<Path> read(Path list) {
        if (StandardInput.is(list)) {
            return read(System.in, "standard input");
        }
        try (InputStream in = Files.newInputStream(list)) {
            return read(in, list.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InputMissingException(list + ": the list of inputs cannot be read: no such file", list.toString());
        } catch (IOException e) {
            throw new FerryException(list + ": the list of inputs cannot be read: " + e.getMessage());
        }
    }

    /// {@return the paths `in` holds, one a line}; messages call it `name`
    /// @throws FerryException as [#read(Path)]
    public static List<Path> read(InputStream in, String name) {
        List<Path> paths = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                if (line.isBlank()) {
                    continue;
                }
                Path p;
                try {
                    p = Path.of(line);
                } catch (InvalidPathException e) {
                    throw new FerryException(name + ":" + number + ": '" + line + "' is not a path: " + e.getReason());
                }
                if (StandardInput.is(p)) {
                    throw new FerryException(name + ":" + number + ": '-' (standard input) cannot be listed as an input;"
                            + " give it on the command line");
                }
                if (!Files.exists(p) && line.indexOf('\uFFFD') >= 0) {   // the reader made it so: bytes not of the encoding
                    throw new FerryException(name + ":" + number + ": '" + line.replace('\uFFFD', '?') + "': this line is not"
                            + " valid " + Charset.defaultCharset().name() + ", the encoding of file names here, so Ferry"
                            + " cannot name the file it lists; rename the file " + RawNames.LATIN1_RENAME);
                }
                if (!Files.exists(p)) {
                    throw new InputMissingException(name + ":" + number + ": " + p + ": no such file" + trimmed(line),
                            p.toString());
                }
                paths.add(p);
            }
        } catch (IOException e) {
            throw new FerryException(name + ": the list of inputs cannot be read: " + e.getMessage());
        }
        if (paths.isEmpty()) {
            throw new FerryException(name + ": the list of inputs holds no paths");
        }
        return paths;
    }

    /// {@return a note for a listed name with spaces around it, where the name without them is a
    /// file}, else "": the spaces are kept (a name may have them), and they are hard to see
    private static String trimmed(String line) {
        String stripped = line.strip();
        if (stripped.equals(line) || stripped.isEmpty()) {
            return "";
        }
        try {
            return Files.exists(Path.of(stripped))
                    ? " (white space around a listed name is kept as part of it; '" + stripped + "' exists)" : "";
        } catch (InvalidPathException e) {
            return "";
        }
    }
}
