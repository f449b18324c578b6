package io.ferry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/// Ferry's version, as the build stamped it: what `ferry --version` prints and what every HDF5
/// file Ferry writes records (`ferry_version`).
///
/// ```java
/// String v = FerryVersion.get();
/// assert !v.isEmpty() && !v.startsWith("${");
/// ```
///
/// The build fills `ferry-version.properties` in from the project's version (Maven resource
/// filtering), so classes run from a build's output directories know it as well as a jar does.
/// Classes compiled without that step say `unknown`.
public final class FerryVersion {
    private static final String UNKNOWN = "unknown";
    private static final String VERSION = load();

    private FerryVersion() {
    }

    /// {@return the version}, such as `0.1.0-SNAPSHOT`, or `unknown` when the build did not stamp it
    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = FerryVersion.class.getResourceAsStream("ferry-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", UNKNOWN);
            return v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
