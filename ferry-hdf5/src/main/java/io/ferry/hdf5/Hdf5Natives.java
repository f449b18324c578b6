package io.ferry.hdf5;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/// Where HDF5's native libraries are loaded from.
///
/// By default JavaCPP's `Loader` does it: at every start it reads the bindings' annotations,
/// looks for each library in the jar, checks the copy it extracted once into its cache
/// (`~/.javacpp/cache`) against the jar's entry, and loads it, with HDF5's own libraries first.
/// In a JVM just started that is 60-70 ms, most of it the loader's Java, not the libraries' loading
/// (which takes 10-15 ms), and a one-line conversion waits for it.
///
/// The `ferry` launcher, once per build, has the libraries [#extract]ed into a folder beside its
/// jar and names that folder in the system property [#PROPERTY]. A JVM started so loads them
/// from there directly (`libjnijavacpp`, then `libjnihdf5`, whose run path finds HDF5's own
/// beside it) and tells JavaCPP not to load them again (`org.bytedeco.javacpp.loadlibraries`).
/// Without the property, or with a folder that lacks them, JavaCPP loads them as it always does.
///
/// ```java
/// Path natives = Files.createTempDirectory("natives");
/// List<Path> copied = Hdf5Natives.extract(natives);   // what JavaCPP loaded, copied
/// assert copied.contains(natives.resolve(System.mapLibraryName("jnihdf5")));
/// ```
public final class Hdf5Natives {
    /// The system property naming the folder of extracted libraries: `-Dferry.hdf5.natives=DIR`.
    public static final String PROPERTY = "ferry.hdf5.natives";
    /// JavaCPP's switch: `false` makes its `Loader` load nothing.
    private static final String JAVACPP_LOADS = "org.bytedeco.javacpp.loadlibraries";
    /// Loaded in this order: JavaCPP's own natives (every binding's base), then HDF5's bindings.
    private static final List<String> LIBRARIES = List.of(System.mapLibraryName("jnijavacpp"),
            System.mapLibraryName("jnihdf5"));

    private Hdf5Natives() {
    }

    /// Loads the libraries from the folder [#PROPERTY] names, if it is set and holds them; else
    /// leaves them to JavaCPP. Called first when HDF5 is first used, before any of JavaCPP's classes.
    static synchronized void loadFromFolder() {
        String dir = System.getProperty(PROPERTY, "");
        if (dir.isEmpty() || "false".equals(System.getProperty(JAVACPP_LOADS))) {
            return; // not asked, or already done
        }
        List<Path> files = new ArrayList<>();
        for (String name : LIBRARIES) {
            Path f = Path.of(dir, name);
            if (!Files.isRegularFile(f)) {
                return; // a folder without them: JavaCPP's own way, which finds them in the jar
            }
            files.add(f.toAbsolutePath());
        }
        // Said first: loading libjnihdf5 initialises JavaCPP's classes, whose loader would
        // otherwise load its own copy of libjnijavacpp from its cache.
        System.setProperty(JAVACPP_LOADS, "false");
        try {
            for (Path f : files) {
                System.load(f.toString());
            }
        } catch (UnsatisfiedLinkError e) {
            System.clearProperty(JAVACPP_LOADS); // JavaCPP's own way, which says why if it fails too
        }
    }

    /// Has JavaCPP load HDF5's libraries as it does by default, and copies every library it loaded
    /// into `dir`, which must exist. {@return the files written}
    /// @throws IOException when one cannot be copied
    public static List<Path> extract(Path dir) throws IOException {
        Loader.load(org.bytedeco.hdf5.global.hdf5.class);
        List<Path> written = new ArrayList<>();
        for (String loaded : Loader.getLoadedLibraries().values()) {
            Path from = Path.of(loaded);
            Path to = dir.resolve(from.getFileName().toString());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING); // a link's target, not the link
            written.add(to);
        }
        return written;
    }
}
