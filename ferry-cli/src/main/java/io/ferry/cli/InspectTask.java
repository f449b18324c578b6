package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.array.NdArray;
import io.ferry.hdf5.DatasetInfo;
import io.ferry.hdf5.DatasetStorage;
import io.ferry.hdf5.FileEntry;
import io.ferry.hdf5.Hdf5File;
import io.ferry.hdf5.VirtualSource;
import io.ferry.json.Json;
import io.ferry.proc.Channel;
import io.ferry.proc.WorkerTask;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/// What `ferry inspect` runs in its child JVM: reads the file and sends what it holds as text, a
/// part per dataset, so that what was read before a crash is shown. Its result is null when the
/// file was read, else the problem, naming the file.
///
/// Input: `{"file": PATH, "head": ROWS, "dataset": NAME}` (`dataset` optional).
public final class InspectTask implements WorkerTask {
    static final String FILE = "file";
    static final String HEAD = "head";
    static final String DATASET = "dataset";

    @Override
    public Object run(Object input, Channel channel) {
        Map<String, Object> in = Json.asObject(input, "the inspection's input");
        Path file = Path.of(Json.asString(in.get(FILE), "the file"));
        int head = Math.toIntExact(Json.asLong(in.get(HEAD), "the rows to show"));
        String only = in.get(DATASET) == null ? null : Json.asString(in.get(DATASET), "the dataset");
        Part part = new Part(channel);
        try (Hdf5File f = Hdf5File.open(file); Arena arena = Arena.ofConfined()) {
            // The entries first: a --dataset that names nothing is an error alone, not one after the file's header.
            List<FileEntry> entries = f.entries(only == null ? "/" : only);
            part.out.println(file);
            printAttributes(part.out, "", f.attributes());
            boolean one = entries.size() == 1 && entries.getFirst() instanceof FileEntry.Dataset;
            if (!one) {
                int width = Math.min(40, entries.stream().mapToInt(e -> oneLine(e.path()).length()).max().orElse(0));
                for (FileEntry e : entries) {
                    String path = oneLine(e.path());
                    part.out.println(path + " ".repeat(Math.max(1, width - path.length() + 2)) + summary(f.path(), e));
                }
                if (entries.stream().noneMatch(e -> e instanceof FileEntry.Dataset)) {
                    part.out.println("(no datasets)");
                }
            }
            part.send();
            for (FileEntry e : entries) {
                switch (e) {
                    case FileEntry.Group g when !g.attributes().isEmpty() && !g.path().equals("/") -> {
                        part.out.println();
                        part.out.println("group " + oneLine(g.path().substring(1)));
                        printAttributes(part.out, "  ", g.attributes());
                        part.send();
                    }
                    case FileEntry.Dataset d -> dataset(f, d, head, arena, part);
                    default -> {
                    }
                }
            }
            return null;
        } catch (FerryException e) {
            part.send();
            String m = e.getMessage();
            return m.startsWith(file.toString()) ? m : file + ": " + m;
        }
    }

    /// {@return what variable-length strings labelled `charset` are, as h5py types them}
    private static String stringsLabel(Charset charset) {
        return charset.equals(StandardCharsets.UTF_8)
                ? "str (variable-length UTF-8 strings, h5py's default; np.dtype('O') in numpy)"
                : "bytes (variable-length ASCII strings, h5py.string_dtype('ascii'); np.dtype('O') in numpy)";
    }

    /// Shows dataset `e`, and its first `head` rows where they can be read here.
    private static void dataset(Hdf5File f, FileEntry.Dataset e, int head, Arena arena, Part part) {
        DatasetInfo d = e.info();
        DatasetStorage storage = e.storage();
        // the type's own character set: h5py.string_dtype('ascii') was called UTF-8, h5py's default
        Optional<Charset> strings = d.dtype().isEmpty() ? f.variableStringCharset(d.name()) : Optional.empty();
        part.out.println();
        part.out.println("dataset " + oneLine(d.name()));
        part.out.println("  dtype        " + strings.map(InspectTask::stringsLabel)
                .orElseGet(() -> d.dtype().map(Object::toString).orElse("(" + d.typeProblem() + ")")));
        part.out.println("  rows         " + d.rows());
        part.out.println("  shape        " + (d.nullSpace() ? "none: a null dataspace (h5py.Empty), which holds no value"
                : shape(d.shape()) + "  max " + shape(d.maxShape())));
        part.out.println("  layout       " + storage.layout().label()
                + (storage.sources().isEmpty() ? "" : ", " + storage.sources().size() + (storage.sources().size() == 1 ? " source" : " sources")));
        long row = 0;
        for (VirtualSource s : storage.sources()) {
            String from = s.file().toString().equals(".") ? "this file" : s.file().toString();
            part.out.println("    rows " + row + " to " + (row + s.rows() - 1) + " from " + from + " " + (s.dataset().startsWith("/") ? s.dataset() : "/" + s.dataset())
                    + (sourceMissing(f.path(), s.file()) ? "  (missing: HDF5 reads these rows as " + fillValue(f, d.name(), arena) + ")" : ""));
            row += s.rows();
        }
        part.out.println("  chunks       " + (d.chunk().length == 0 ? "none (" + storage.layout().label() + ")" : shape(d.chunk())));
        part.out.println("  filters      " + (d.filters().isEmpty() ? "none" : String.join(", ", d.filters())));
        storage.missingFilters().forEach(m -> part.out.println("  " + m));
        boolean externalUnreadable = externalFiles(f.path(), storage, part.out);
        if (!e.otherNames().isEmpty()) {
            part.out.println("  also named   " + String.join(", ", e.otherNames()));
        }
        printAttributes(part.out, "  ", d.attributes());
        part.send();
        if (!storage.readable() || externalUnreadable) {
            return;
        }
        if (d.nullSpace()) {
            return;
        }
        // h5py gives ASCII-labelled strings as bytes (b'x'), UTF-8-labelled ones, with asstr(), as str
        String prefix = strings.filter(StandardCharsets.US_ASCII::equals).isPresent() ? "b" : "";
        if (d.shape().length == 0 && (strings.isPresent() || d.dtype().isPresent())) {   // h5py's f["x"] = 3, f["s"] = "text"
            part.out.println("  value        " + (strings.isPresent() ? prefix + quoted(f.readStrings(d.name(), 0, 1).getFirst())
                    : f.readScalar(d.name(), arena).head(1).strip()));
            part.send();
            return;
        }
        if (head <= 0 || d.shape().length == 0 || d.rows() == 0) {
            return;
        }
        long n = Math.min(head, d.rows());
        if (strings.isPresent() && d.shape().length == 1) {
            List<String> first = f.readStrings(d.name(), 0, n);
            part.out.println("  first " + n + " of " + count(d.rows(), "row") + ":");
            first.forEach(v -> part.out.println("    " + prefix + quoted(v)));
            part.send();
        } else if (d.dtype().isPresent()) {
            NdArray first = f.read(d.name(), 0, n, arena);
            part.out.println("  first " + first.length() + " of " + count(d.rows(), "row") + ":");
            first.head(head).lines().forEach(l -> part.out.println("    " + l));
            part.send();
        }
    }

    /// Shows the raw files outside HDF5 that hold a dataset's rows (external storage), each marked
    /// when it is not a regular file where HDF5 looks for it: reading the rows then fails ("unable
    /// to open external raw data file", "read error"), or waits for ever on a named pipe, and it
    /// stopped the whole listing. {@return whether one is not}
    private static boolean externalFiles(Path file, DatasetStorage storage, PrintWriter out) {
        if (storage.externalFiles().isEmpty()) {
            return false;
        }
        out.println("  external     rows in " + count(storage.externalFiles().size(), "raw file") + " outside HDF5");
        boolean unreadable = false;
        for (DatasetStorage.ExternalFile x : storage.externalFiles()) {
            String problem = externalProblem(file, x.file());
            unreadable |= problem != null;
            out.println("    bytes " + x.offset() + (x.size() < 0 ? " to its end" : " to " + (x.offset() + x.size() - 1))
                    + " of " + x.file() + (problem == null ? "" : "  (" + problem + ", so the rows cannot be read)"));
        }
        return unreadable;
    }

    /// {@return why the external raw file `named` of a dataset in `file` cannot be read, or null}:
    /// `missing: HDF5 cannot open it`, or `not a regular file`, where HDF5 looks for it (examined,
    /// never opened: a named pipe would make the listing wait)
    private static String externalProblem(Path file, Path named) {
        Path at = externalPlace(file, named);
        return !Files.exists(at) ? "missing: HDF5 cannot open it" : Files.isRegularFile(at) ? null : "not a regular file";
    }

    /// {@return where HDF5 looks for the external raw file `named` of a dataset in `file`}: as
    /// named, from the working folder, unless `HDF5_EXTFILE_PREFIX` says another folder
    /// (`${ORIGIN}` for the file's own)
    private static Path externalPlace(Path file, Path named) {
        String prefix = System.getenv("HDF5_EXTFILE_PREFIX");
        Path at = named;
        if (!named.isAbsolute() && prefix != null && !prefix.isEmpty() && !prefix.equals(".")) {
            at = prefixFolder(prefix, file).resolve(named);
        }
        return at;
    }

    /// {@return the folder an HDF5 prefix variable names for `file`}: `${ORIGIN}` is its folder
    private static Path prefixFolder(String prefix, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return Path.of(prefix.startsWith("${ORIGIN}") && dir != null ? dir + prefix.substring("${ORIGIN}".length()) : prefix);
    }

    /// {@return whether the file `named` by an external link of `file` is where HDF5 looks for
    /// it}: a name as given if absolute, then the name (the last part of an absolute one) in each
    /// folder of `HDF5_EXT_PREFIX`, in `file`'s folder, and from the working folder. Examined, never
    /// opened, as [#externalPlace] (the object in it is looked for only by `--dataset`).
    private static boolean externalLinkFileFound(Path file, String named) {
        try {
            Path name = Path.of(named);
            if (name.isAbsolute() && Files.exists(name)) {
                return true;
            }
            Path relative = name.isAbsolute() ? name.getFileName() : name;
            if (relative == null) {
                return false;
            }
            List<Path> folders = new ArrayList<>();
            String prefix = System.getenv("HDF5_EXT_PREFIX");
            Path dir = file.toAbsolutePath().getParent();
            if (prefix != null) {
                for (String folder : prefix.split(":")) {
                    if (!folder.isEmpty()) {
                        folders.add(prefixFolder(folder, file));
                    }
                }
            }
            if (dir != null) {
                folders.add(dir);
            }
            folders.add(Path.of(""));
            return folders.stream().anyMatch(f -> Files.exists(f.resolve(relative)));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /// {@return what HDF5 reads where a source of virtual dataset `name` is missing}: its fill
    /// value (h5py's `fillvalue=`, 0 unless set), with the value when Ferry can read it
    private static String fillValue(Hdf5File f, String name, Arena arena) {
        return f.fillValue(name, arena).map(v -> "the dataset's fill value, " + v.head(1).strip())
                .orElse("the dataset's fill value");
    }

    /// {@return one line saying what `e` of `file` is, as in the listing}
    private static String summary(Path file, FileEntry e) {
        return switch (e) {
            case FileEntry.Group g -> "group" + (g.attributes().isEmpty() ? "" : ", " + count(g.attributes().size(), "attribute"))
                    + (g.otherNames().isEmpty() ? "" : ", also named " + String.join(", ", g.otherNames()));
            case FileEntry.Dataset d -> "dataset " + (d.info().nullSpace() ? "of no value (null dataspace)" : shape(d.info().shape())) + ", " + d.storage().layout().label()
                    + (d.storage().sources().isEmpty() ? "" : " (" + count(d.storage().sources().size(), "source") + ")")
                    + (d.info().filters().isEmpty() ? "" : ", " + String.join(", ", d.info().filters()))
                    + (d.storage().readable() ? "" : ", a filter is not available")
                    + (d.storage().externalFiles().isEmpty() ? "" : ", in " + count(d.storage().externalFiles().size(), "external raw file")
                            + (d.storage().externalFiles().stream().anyMatch(x -> externalProblem(file, x.file()) != null)
                            ? " (not readable)" : ""))
                    + (d.otherNames().isEmpty() ? "" : ", also named " + String.join(", ", d.otherNames()));
            case FileEntry.HardLink h -> "hard link: the same object as " + h.target();
            case FileEntry.SoftLink s -> "soft link to " + s.target() + (s.dangling() ? " (which does not exist)" : "");
            case FileEntry.ExternalLink x -> "external link to " + x.object() + " in " + x.file()
                    + (externalLinkFileFound(file, x.file()) ? "" : " (which is not found)");
            case FileEntry.Other o -> o.what();
        };
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /// {@return `s` quoted as Python's `repr` of a str does, for the common cases}
    private static String quoted(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == q) {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else {
                b.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return b.append(q).toString();
    }

    /// Text gathered until it is sent as one message.
    private static final class Part {
        final StringWriter text = new StringWriter();
        final PrintWriter out = new PrintWriter(text);
        private final Channel channel;

        Part(Channel channel) {
            this.channel = channel;
        }

        void send() {
            out.flush();
            if (!text.getBuffer().isEmpty()) {
                channel.send(Printable.of(text.toString()));
                text.getBuffer().setLength(0);
            }
        }
    }

    /// {@return whether the source file `named` of a virtual dataset in `file` is nowhere HDF5
    /// looks for it}: beside `file`, or as named (from the working folder). A part moved away, or
    /// a stitched file moved without its parts: h5py reads its rows as the dataset's fill value
    /// (0 unless set), without a word.
    private static boolean sourceMissing(Path file, Path named) {
        if (named.toString().equals(".") || named.toString().contains("%")) {   // this file; a pattern
            return false;
        }
        Path beside = file.toAbsolutePath().getParent();
        return !Files.exists(named) && (beside == null || !Files.exists(beside.resolve(named)));
    }

    /// {@return an object's name on one line}: a line break in it is written `\n`, another control
    /// character as `\xNN` (a NUL in an attribute's text printed nothing)
    private static String oneLine(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(c -> {
            if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /// The values of an array attribute shown: a thousand on one line said nothing more.
    private static final int SHOWN_VALUES = 20;

    private static void printAttributes(PrintWriter out, String indent, Map<String, Object> attributes) {
        if (attributes.isEmpty()) {
            return;
        }
        out.println(indent + "attributes");
        int width = attributes.keySet().stream().mapToInt(String::length).max().orElse(0);
        attributes.forEach((k, v) -> out.println(indent + "  " + oneLine(k) + " ".repeat(width - k.length() + 2)
                + oneLine(value(v))));
    }

    private static String value(Object v) {
        if (!(v instanceof List<?> l)) {
            return String.valueOf(v);
        }
        String shown = l.stream().limit(SHOWN_VALUES).map(InspectTask::value).collect(Collectors.joining(", "));
        return "[" + shown + (l.size() > SHOWN_VALUES ? ", … (" + Units.count(l.size()) + " values)" : "") + "]";
    }

    private static String shape(long[] s) {
        return Arrays.stream(s).mapToObj(d -> d < 0 ? "unlimited" : Long.toString(d))
                .collect(Collectors.joining(", ", "(", s.length == 1 ? ",)" : ")"));
    }
}
