package io.ferry.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/// What a file is and holds at one moment: its device and inode, size, and modification and
/// change times. A later stamp of the same path that differs says the path names another file
/// now (one renamed over it: an editor's save, rsync, `mv new data.txt`) or that it was written.
///
/// A load that opens a file more than once (each byte range, each part of a conversion, opens it
/// by its path) checks that the file it finished reading is the one it began: a file replaced
/// between two opens would give the first file's rows and then the second's, which neither file
/// holds.
///
/// ```java
/// Path table = Path.of("examples/sample1.txt");
/// FileStamp before = FileStamp.of(table);
/// before.checkUnchanged(table);   // throws FileChangedException had it changed
/// ```
///
/// @param attributes the file's `unix` attributes (device, inode, size, times), or its basic
///                   ones where the file system has no `unix` view
public record FileStamp(Map<String, Object> attributes) {
    private static final String UNIX = "unix:dev,ino,size,lastModifiedTime,ctime";
    private static final String BASIC = "basic:fileKey,size,lastModifiedTime";

    public FileStamp {
        attributes = Map.copyOf(attributes);
    }

    /// {@return the stamp of `file` now}
    /// @throws IOException when it cannot be read
    public static FileStamp of(Path file) throws IOException {
        try {
            return new FileStamp(Files.readAttributes(file, UNIX));
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            Map<String, Object> basic = new HashMap<>(Files.readAttributes(file, BASIC));
            basic.values().removeIf(Objects::isNull);   // a file key some file systems lack
            return new FileStamp(basic);
        }
    }

    /// Checks that `file` is still the file this stamp was taken of, unwritten.
    /// @throws FileChangedException when it is not
    /// @throws IOException when it cannot be read (gone, say)
    public void checkUnchanged(Path file) throws IOException {
        FileStamp now;
        try {
            now = of(file);
        } catch (NoSuchFileException gone) {
            throw new FileChangedException(file, "it was removed or renamed");
        }
        if (!now.equals(this)) {
            throw new FileChangedException(file, Objects.equals(size(), now.size()) ? "it was replaced or written to"
                    : "it was replaced or written to (" + size() + " bytes then, " + now.size() + " now)");
        }
    }

    /// Says that `file` changed since this stamp, if it did, rather than how reading it `failed`:
    /// a file cut short or written during a read fails as a bad row that neither the file before
    /// nor the file after holds, which sent the user to a row that is fine.
    /// @throws FileChangedException when it changed, `failed` suppressed in it
    public void throwIfChanged(Path file, Exception failed) throws FileChangedException {
        try {
            checkUnchanged(file);
        } catch (FileChangedException changed) {
            changed.addSuppressed(failed);
            throw changed;
        } catch (IOException unreadable) {
            failed.addSuppressed(unreadable);
        }
    }

    // Written out: a record's own equals is linked on its first call through an invokedynamic
    // bootstrap that the JVM's start-up cache does not keep, 4 ms of every conversion's start.
    @Override
    public boolean equals(Object o) {
        return o instanceof FileStamp other && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return attributes.hashCode();
    }

    private Object size() {
        return attributes.get("size");
    }

    /// A file that changed while it was read: its rows cannot be trusted.
    public static final class FileChangedException extends IOException {
        FileChangedException(Path file, String how) {
            super(file + " changed while it was read: " + how + "; what was read is neither the file before nor the"
                    + " file now, so nothing was written. Run again once it is complete");
        }
    }
}
