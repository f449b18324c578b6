package io.ferry.file;

import io.ferry.FerryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;

/// The check every reader of named inputs makes before any work, so a bad call fails at once
/// saying what is wrong and where.
///
/// ```java
/// try {
///     InputFile.checkReadable(Path.of("/dev/null"));
///     assert false;
/// } catch (FerryException e) {
///     assert e.getMessage().equals("/dev/null: is a character device, not a regular file; write it to a file first");
/// }
/// ```
public final class InputFile {
    private InputFile() {
    }

    /// @throws FerryException when `file` is missing, a directory, not a regular file, unreadable, or
    ///         compressed in a format Ferry does not read (bzip2, xz, zstd, zip)
    public static void checkReadable(Path file) {
        if (StandardInput.is(file)) {
            return; // read as it comes: nothing to check before
        }
        FileKind kind;
        try {
            kind = FileKind.of(file);
        } catch (IOException e) {
            throw new FerryException(file + ": cannot be examined: " + e.getMessage());
        }
        switch (kind) {
            case REGULAR -> {
            }
            case MISSING -> throw new InputMissingException(file + ": no such file", file.toString());
            case DIRECTORY -> throw new FerryException(file + ": is a directory, not a text file");
            // A pipe would block the run until a writer came, a device could be endless: Ferry
            // opens an input more than once and cuts it into byte ranges, so it needs a file.
            default -> throw new FerryException(file + ": is " + kind.description()
                    + ", not a regular file; write it to a file first");
        }
        if (!Files.isReadable(file)) {
            throw new FerryException(file + ": permission denied (not readable)");
        }
        // Read as text, such a file is one long line of binary: an error about a value in it,
        // whose hint (skip the first line) then gave an empty array.
        String notText = notText(file);
        if (notText != null) {
            throw new FerryException(file + ": " + notText);
        }
    }

    /// The first bytes of the compressed formats numpy opens by their names and Ferry does not
    /// read (gzip it reads, by its first bytes): xz, zstd, zip; bzip2's below.
    private static final byte[][] MAGIC = {{(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd},
            {'P', 'K', 3, 4}};
    private static final String[] COMPRESSION = {"xz", "zstd", "zip"};
    /// bzip2: `BZh`, the block size (1-9), then a block's magic (pi's digits) or the end's (sqrt(pi)'s),
    /// so that a table starting with the word "BZh" is still text.
    private static final byte[] BZIP2_BLOCK = {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};
    private static final byte[] BZIP2_END = {0x17, 0x72, 0x45, 0x38, 0x50, (byte) 0x90};

    /// HDF5's signature, at the start of a file without a user block: an earlier conversion's
    /// output left among the inputs (a folder converted twice) is the binary file most likely met.
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /// {@return why `file` is not a text table Ferry reads, by its first bytes}, or null
    private static String notText(Path file) {
        byte[] head = new byte[10];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return null;   // its reader says what is wrong
        }
        if (n >= HDF5.length && Arrays.equals(head, 0, HDF5.length, HDF5, 0, HDF5.length)) {
            return "is an HDF5 file, not a text table (an earlier output among the inputs?); ferry inspect shows what it holds";
        }
        String compression = otherCompression(head, n);
        return compression == null ? null : "is " + compression + "-compressed, which Ferry does not read (it reads plain"
                + " text and gzip, bgzip's too); decompress it first, or recompress it with gzip";
    }

    /// {@return the compressed format the `n` bytes of `head` start as, other than gzip}, or null
    private static String otherCompression(byte[] head, int n) {
        if (n == 10 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] >= '1' && head[3] <= '9'
                && (Arrays.equals(head, 4, 10, BZIP2_BLOCK, 0, 6) || Arrays.equals(head, 4, 10, BZIP2_END, 0, 6))) {
            return "bzip2";
        }
        for (int k = 0; k < MAGIC.length; k++) {
            if (n >= MAGIC[k].length && Arrays.equals(head, 0, MAGIC[k].length, MAGIC[k], 0, MAGIC[k].length)) {
                return COMPRESSION[k];
            }
        }
        return null;
    }

    /// Checks each of `files` in order, as [#checkReadable(Path)].
    public static void checkReadable(Collection<Path> files) {
        for (Path f : files) {
            checkReadable(f);
        }
    }
}
