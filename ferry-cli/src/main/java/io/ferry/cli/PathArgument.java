package io.ferry.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine;

/// A file named on the command line, refused when it names none: an empty argument (an unset
/// shell variable, `ferry convert "$IN"`) was the working folder, and a conversion took every
/// file in it; a NUL, which no Unix file name holds, came out in the JDK's words; a file named
/// with a trailing '/' was read as the file.
final class PathArgument {
    static final String EMPTY = "an empty argument names no file";

    private PathArgument() {
    }

    /// {@return `text` as a path}, as picocli's own converter makes it (`Path.of`)
    /// @throws Refused when it is empty or holds a NUL
    static Path of(String text) {
        if (text.isEmpty()) {
            throw new Refused(EMPTY);
        }
        if (text.indexOf('\0') >= 0) {
            throw new Refused("a file name cannot hold a NUL character");
        }
        Path path = Path.of(text);
        if (text.endsWith("/") && Files.exists(path) && !Files.isDirectory(path)) {
            // Path.of drops the '/': the file was read, where open(2) says "Not a directory"
            throw new Refused("'" + text + "' ends with '/', which names a folder, but " + path + " is a file");
        }
        return path;
    }

    /// Why an argument names no file, said by [Main] with the option or parameter it was given to.
    static final class Refused extends CommandLine.TypeConversionException {
        Refused(String why) {
            super(why);
        }
    }
}
