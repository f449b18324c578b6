package io.ferry.hdf5;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/// Ferry's version as the build stamped it, written into every file's attributes.
final class FerryVersion {
    private static final String VERSION = load();

    private FerryVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = FerryVersion.class.getResourceAsStream("ferry-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
