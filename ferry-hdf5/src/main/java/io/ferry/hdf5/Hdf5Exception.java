package io.ferry.hdf5;

import io.ferry.FerryException;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// HDF5 refused something: the message carries HDF5's own error stack (what failed, in which
/// function, HDF5's major and minor error), never just a negative return code.
public class Hdf5Exception extends FerryException {
    public Hdf5Exception(String message) {
        super(message);
    }

    public Hdf5Exception(String message, Throwable cause) {
        super(message, cause);
    }

    /// {@return `e` said of the output `target` first, when it is HDF5's report of a write the file
    /// system refused for want of room} (`errno = 28`, a full disk; `errno = 27`, a file-size
    /// limit): it names the temporary file, and through a pipeline the input being written, as if
    /// that input were at fault. Else `e` itself.
    /// @param writing what was being written, for the message: "the stitched file", "sample1's rows"
    public static Hdf5Exception outOfRoom(Path target, Hdf5Exception e, String writing) {
        return outOfRoom(target, e, writing, false);
    }

    /// As [#outOfRoom(Path, Hdf5Exception, String)], for a write that was `appending` to `target`
    /// ([Hdf5Writer#append]): then `target` is as it was, which the message says, where a new
    /// output's says it is not made (an append was told "the output is not made", its file intact).
    public static Hdf5Exception outOfRoom(Path target, Hdf5Exception e, String writing, boolean appending) {
        Matcher m = ERRNO.matcher(String.valueOf(e.getMessage()));
        if (!m.find() || !(m.group(1).equals("28") || m.group(1).equals("27"))) {
            return e;
        }
        return new Hdf5Exception(target + ": " + m.group(2) + " (errno " + m.group(1) + ") while writing "
                + writing + (appending ? "; nothing is appended: the file is as it was, and nothing of this run is left"
                : "; the output is not made, and nothing of it is left") + ". HDF5 said: " + e.getMessage(), e);
    }

    private static final Pattern ERRNO = Pattern.compile("errno = (\\d+), error message = '([^']*)'");
}
