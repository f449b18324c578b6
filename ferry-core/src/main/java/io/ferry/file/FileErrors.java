package io.ferry.file;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/// What went wrong with a file, in words: the JDK's file exceptions carry the path alone as their
/// message (`NoSuchFileException: big.txt`), which a user read as `ferry convert: big.txt`.
///
/// ```java
/// String said = FileErrors.describe(new java.nio.file.NoSuchFileException("big.txt"));
/// assert said.equals("big.txt: no such file (removed or renamed?)");
/// ```
public final class FileErrors {
    private FileErrors() {
    }

    /// {@return `e` in words}: its file, and the system's reason or the kind of failure
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String what = f.getReason() != null ? f.getReason()
                    : f instanceof NoSuchFileException ? "no such file (removed or renamed?)"
                    : f instanceof AccessDeniedException ? "permission denied"
                    : f.getClass().getSimpleName().replace("Exception", "").toLowerCase(java.util.Locale.ROOT);
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + what;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
