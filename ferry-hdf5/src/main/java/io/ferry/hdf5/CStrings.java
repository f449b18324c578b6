package io.ferry.hdf5;

/// Text that HDF5 takes as C strings, which end at their first NUL: the names Ferry gives
/// (datasets, groups, links, attributes) and the values of its string attributes (variable-length
/// strings, NUL-terminated). A NUL inside cut the text short in the file while the write returned
/// normally: `attribute("units\0secret", "m\0hidden")` was read back as `units = 'm'`, a dataset
/// `x\0y` as `x`. Every such text is checked here before HDF5 sees it, and refused.
///
/// ```java
/// try {
///     CStrings.checkName("dataset", "x\0y");
///     assert false;
/// } catch (IllegalArgumentException e) {
///     assert e.getMessage().equals("dataset name 'x\\0y' holds a NUL character, which HDF5 names cannot");
/// }
/// CStrings.checkName("dataset", "x/y");   // nothing else is this class's to refuse
/// ```
public final class CStrings {
    private CStrings() {
    }

    /// Refuses `name`, the name of a `what` (`"dataset"`, `"attribute"`), when it holds a NUL.
    ///
    /// @throws IllegalArgumentException naming `what` and `name` (its NULs shown as `\0`)
    public static void checkName(String what, String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " name '" + shown(name) + "' holds a NUL character,"
                    + " which HDF5 names cannot");
        }
    }

    /// Refuses `value`, that of the string attribute `attribute`, when it holds a NUL.
    ///
    /// @throws IllegalArgumentException naming the attribute and where the NUL is
    public static void checkAttributeValue(String attribute, String value) {
        int at = value.indexOf('\0');
        if (at >= 0) {
            throw new IllegalArgumentException("attribute '" + shown(attribute) + "': its value holds a NUL character"
                    + " (at index " + at + " of " + value.length() + "), which a string attribute cannot: HDF5's"
                    + " variable-length strings end at the first NUL, and the rest would be lost");
        }
    }

    /// {@return `text` with each NUL shown as `\0`}, for a message: a raw NUL shows as nothing
    public static String shown(String text) {
        return text.replace("\0", "\\0");
    }
}
