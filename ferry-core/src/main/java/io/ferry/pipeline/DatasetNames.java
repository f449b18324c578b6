package io.ferry.pipeline;

import io.ferry.FerryException;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/// The dataset an input becomes: its file name without directory and without its last extension,
/// a `.gz` suffix removed first (`data1.txt` → `data1`, `s1.cov.gz` → `s1`).
public final class DatasetNames {
    private DatasetNames() {
    }

    /// {@return the dataset name for `file`}
    public static String of(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".gz") && name.length() > 3) {
            name = name.substring(0, name.length() - 3);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        return name;
    }

    /// Checks that no two inputs map to one dataset name.
    /// @throws FerryException naming both files and the name, before any work starts
    public static void checkUnique(List<Path> files) {
        Map<String, Path> seen = new HashMap<>();
        for (Path f : files) {
            String name = of(f);
            Path other = seen.putIfAbsent(name, f);
            if (other != null) {
                throw new FerryException("inputs " + other + " and " + f + " would both become dataset /" + name
                        + "; rename one of them or convert them in separate runs");
            }
        }
    }
}
