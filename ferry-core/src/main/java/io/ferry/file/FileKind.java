package io.ferry.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/// What a path names: a regular file, a directory, a link, a pipe, a device or a socket, as
/// `stat(2)` tells them apart (its `st_mode`), for messages that say what is in the way.
///
/// ```java
/// assert FileKind.of(Path.of("/dev/null")) == FileKind.CHARACTER_DEVICE;
/// assert FileKind.of(Path.of("/dev/null")).description().equals("a character device");
/// ```
public enum FileKind {
    /// Nothing by that name.
    MISSING("nothing"),
    /// A regular file.
    REGULAR("a regular file"),
    /// A directory.
    DIRECTORY("a directory"),
    /// A symbolic link (only from [#ofLink(Path)]; [#of(Path)] follows links).
    SYMBOLIC_LINK("a symbolic link"),
    /// A named pipe: opening it waits for the other end.
    FIFO("a named pipe (FIFO)"),
    /// A character device, such as `/dev/null` or a terminal.
    CHARACTER_DEVICE("a character device"),
    /// A block device, such as a disk.
    BLOCK_DEVICE("a block device"),
    /// A Unix domain socket.
    SOCKET("a socket"),
    /// Something else the file system has.
    OTHER("not a regular file");

    private static final int S_IFMT = 0170000;
    private final String description;

    FileKind(String description) {
        this.description = description;
    }

    /// {@return what `path` is}, following symbolic links: a link to a device is a device, a link
    /// to nothing is [#MISSING]
    /// @throws IOException when `path` cannot be examined (a directory on the way is not searchable)
    public static FileKind of(Path path) throws IOException {
        return kind(path);
    }

    /// {@return what `path` itself is}, without following a symbolic link
    /// @throws IOException when `path` cannot be examined
    public static FileKind ofLink(Path path) throws IOException {
        return kind(path, LinkOption.NOFOLLOW_LINKS);
    }

    /// {@return how a message names it}: "a character device", "a named pipe (FIFO)"…
    public String description() {
        return description;
    }

    private static FileKind kind(Path path, LinkOption... options) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode", options);
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return basic(path, options); // no "unix" view on this platform
        }
        return switch (mode & S_IFMT) {
            case 0100000 -> REGULAR;
            case 0040000 -> DIRECTORY;
            case 0120000 -> SYMBOLIC_LINK;
            case 0010000 -> FIFO;
            case 0020000 -> CHARACTER_DEVICE;
            case 0060000 -> BLOCK_DEVICE;
            case 0140000 -> SOCKET;
            default -> OTHER;
        };
    }

    private static FileKind basic(Path path, LinkOption... options) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, options);
        } catch (NoSuchFileException e) {
            return MISSING;
        }
        return a.isRegularFile() ? REGULAR : a.isDirectory() ? DIRECTORY : a.isSymbolicLink() ? SYMBOLIC_LINK : OTHER;
    }
}
