package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.file.StandardInput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The dataset an input becomes. By default its file name without directory and without its last
/// extension, a `.gz` suffix removed first (`data1.txt` → `data1`, `s1.cov.gz` → `s1`), and
/// `stdin` for standard input; a [NameTemplate] and a group put it elsewhere.
///
/// ```java
/// List<String> names = DatasetNames.of(List.of(Path.of("a/s1.txt"), Path.of("b/s1.txt")),
///         NameTemplate.parse("{parent}/{stem}"), "calls");
/// assert names.equals(List.of("calls/a/s1", "calls/b/s1"));
/// ```
///
/// Names are checked before any work: each must be a valid HDF5 path (no empty part, no `.` or
/// `..`, no NUL), no two inputs may share one, and no dataset may sit where another input's
/// dataset needs a group (`/a` and `/a/b`).
public final class DatasetNames {
    private DatasetNames() {
    }

    /// {@return the dataset name for `file`}
    public static String of(Path file) {
        if (StandardInput.is(file)) {
            return StandardInput.DATASET;
        }
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

    /// {@return the dataset paths of `files`, by `template`, inside `group`} (`""` or `"/"`: the
    /// root), without a leading `/`
    /// @throws FerryException naming the input, its name and what is wrong with it; for names
    ///         that clash, naming both inputs
    public static List<String> of(List<Path> files, NameTemplate template, String group) {
        String prefix = checkedPath(group, "the group '" + group + "'", true);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String name = template.apply(files.get(i), i);
            String full = (prefix.isEmpty() ? "" : prefix + "/") + name;
            names.add(checkedPath(full, "input " + files.get(i) + ": its dataset name '" + full + "'"
                    + (template.pattern().equals(NameTemplate.DEFAULT.pattern()) ? "" : " (from the name template '" + template.pattern() + "')"), false));
        }
        checkUnique(files, names);
        return names;
    }

    /// {@return the positions of the first two of `names` that are one name, the earlier first},
    /// or none when they are all different
    public static Optional<int[]> firstClash(List<String> names) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer other = seen.putIfAbsent(names.get(i), i);
            if (other != null) {
                return Optional.of(new int[]{other, i});
            }
        }
        return Optional.empty();
    }

    /// Checks that no two inputs map to one dataset name (by [#of(Path)]).
    /// @throws FerryException naming both files and the name, before any work starts
    public static void checkUnique(List<Path> files) {
        of(files, NameTemplate.DEFAULT, "");
    }

    /// Checks that no two of `names` (those of `files`, in order) are one dataset, nor one a group
    /// the other needs.
    /// @throws FerryException naming both inputs
    public static void checkUnique(List<Path> files, List<String> names) {
        Optional<int[]> clash = firstClash(names);
        if (clash.isPresent()) {
            int other = clash.get()[0];
            int i = clash.get()[1];
            throw new FerryException("inputs " + files.get(other) + " and " + files.get(i) + " would both become dataset /"
                    + names.get(i) + "; name them apart (a name template such as {parent}/{stem}) or convert them in separate runs");
        }
        Map<String, Integer> seen = new HashMap<>();   // each name's input: no two are one, now
        for (int i = 0; i < names.size(); i++) {
            seen.put(names.get(i), i);
        }
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            for (int slash = n.indexOf('/'); slash >= 0; slash = n.indexOf('/', slash + 1)) {
                Integer other = seen.get(n.substring(0, slash));
                if (other != null) {
                    throw new FerryException("input " + files.get(other) + " would become dataset /" + names.get(other)
                            + ", which input " + files.get(i) + " needs as a group for its dataset /" + n
                            + "; a dataset cannot also be a group");
                }
            }
        }
    }

    /// {@return `path` without a leading `/`} when it is a valid HDF5 path (the root, `""` or
    /// `"/"`, only when `rootAllowed`)
    /// @throws FerryException starting with `what`, saying what is wrong
    static String checkedPath(String path, String what, boolean rootAllowed) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.isEmpty()) {
            if (rootAllowed) {
                return "";
            }
            throw new FerryException(what + " is empty");
        }
        if (p.indexOf('\0') >= 0) {
            throw new FerryException(what + " holds a NUL character, which HDF5 names cannot");
        }
        for (String part : p.split("/", -1)) {
            if (part.isEmpty()) {
                throw new FerryException(what + " has an empty part (two '/' in a row, or one at the end)");
            }
            if (part.equals(".") || part.equals("..")) {
                throw new FerryException(what + " has a part '" + part + "', which HDF5 does not take as a name");
            }
        }
        return p;
    }
}
