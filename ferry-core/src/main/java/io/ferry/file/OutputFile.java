package io.ferry.file;

import io.ferry.libc.Libc;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/// A file a caller names as the output of a job, written atomically: the job writes a temporary
/// file beside it, which [#commit()] renames onto it; until then the output is as it was.
///
/// ```java
/// OutputFile out = OutputFile.of(dir.resolve("result.txt"), true, List.of(input));
/// Path temporary = out.createTemporary();
/// Files.writeString(temporary, "done\n");
/// out.commit();                      // result.txt appears, or is replaced, only now
/// assert Files.readString(dir.resolve("result.txt")).equals("done\n");
/// ```
///
/// Every writer of a named output in Ferry (`ferry convert`, `stitch`, `load -o`, `generate`,
/// `Convert`, `Stitch`, `Hdf5Writer`, `Npy.write`, `MethylationTable.write`) asks this class, so
/// the rules hold for all.
/// [#of] refuses, before any work, with an [OutputFileException] saying which:
///
/// - an output that is one of the inputs (`Files.isSameFile`: the same path, or through a
///   symbolic or a hard link; for `-`, the file standard input reads, `< out.h5`);
/// - an output that exists and is not a regular file (a directory, a device such as `/dev/null`,
///   a named pipe, a socket), or is a symbolic link to one of those or to nothing. It is only
///   examined (`stat`), never opened, so a pipe cannot make the job wait;
/// - an output named through `/proc` (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`): it names
///   whatever file a process has open there, which the rename would replace;
/// - an existing output, when replacing it was not asked for;
/// - an output whose directory does not exist or cannot be written.
///
/// A symbolic link to a regular file is written through, as `np.save`, h5py and a shell's `>`
/// do: the file it points to is replaced, the link stays.
///
/// The temporary file is `.NAME.HOST-PID-RANDOM.ferry-tmp` in the output's directory, so the
/// rename stays on one file system and is atomic. NAME is the output's name, cut and completed
/// with a hash (`~1a2b3c4d`) when the whole would exceed 255 bytes (`NAME_MAX`), so any valid
/// output name works. When it replaces a file, the new file gets the replaced file's owner and
/// group where this process may set them, and its permission bits: the temporary file is created
/// with them (and the owner's read and write, to fill it), and takes them exactly just before the
/// rename. A JVM that exits before [#commit()] (by
/// `System.exit`, SIGTERM, SIGINT) removes the temporary file as it goes, whichever thread writes
/// it. A writer killed outright (`kill -9`) leaves it; the next writer of the same output removes
/// it, when the file was made on this host and in this pid namespace (their names, hashed) by a
/// process that no longer runs. A file from another host (a shared file system), another pid
/// namespace (another container) or a live process is never touched.
public final class OutputFile {
    /// The last part of every temporary name.
    public static final String SUFFIX = ".ferry-tmp";
    /// The longest file name Linux file systems take, in bytes.
    static final int NAME_MAX = 255;
    /// `HOST-PID-RANDOM`, at its longest: 8, 16 and 8 hex digits.
    private static final int TAG_MAX = 8 + 1 + 16 + 1 + 8;
    /// The bytes left for the output's name in a temporary name: `.` NAME `.` TAG SUFFIX.
    static final int STEM_MAX = NAME_MAX - 2 - TAG_MAX - SUFFIX.length();
    /// Where Linux shows processes and their open files.
    private static final Path PROC = Path.of("/proc");
    /// The file at this process's descriptor 0, whatever it is.
    private static final Path STANDARD_INPUT = Path.of("/proc/self/fd/0");
    /// The most symbolic links followed in a row, as Linux's `MAXSYMLINKS`.
    private static final int MAX_LINKS = 40;
    /// This host's name and pid namespace, hashed: a pid is judged only where it means the same
    /// process (two containers of one host name, or a container and its host, share a volume, and
    /// one used to remove the other's live temporary file as a dead process's).
    private static final String HOST = Integer.toHexString((hostName() + " " + pidNamespace()).hashCode());
    /// How the JVM encodes file names into bytes: what NAME_MAX counts.
    private static final Charset NAME_ENCODING = nameEncoding();

    private final Path named;
    private final Path target;
    private final boolean replace;
    private Path temporary;
    /// The target as [#createTemporaryCopy()] copied it: a commit replaces that file only.
    private FileStamp copied;
    private Set<PosixFilePermission> replacedMode;

    private OutputFile(Path named, Path target, boolean replace) {
        this.named = named;
        this.target = target;
        this.replace = replace;
    }

    /// Checks that `output` may be written by a job reading `inputs`, before any work.
    ///
    /// {@return the output}, ready for [#createTemporary()]
    /// @param replace whether an existing regular file may be replaced
    /// @param inputs  the files the job reads; the output must be none of them
    /// @throws OutputFileException when it may not, saying why
    public static OutputFile of(Path output, boolean replace, Collection<Path> inputs) {
        Objects.requireNonNull(output, "output");
        Path absolute = output.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null) {
            throw new OutputFileException(OutputFileException.Problem.NOT_A_REGULAR_FILE, output,
                    output + ": is a directory; give the name of a file");
        }
        checkDirectory(output, dir);
        Path descriptor = throughProc(absolute);
        if (descriptor != null) {
            throw new OutputFileException(OutputFileException.Problem.NOT_A_REGULAR_FILE, output, output
                    + ": names a file a process has open (through " + descriptor + "), not a file of its own: the"
                    + " output is written to a temporary file renamed over its name, which would replace whatever"
                    + " file that is; give the name of a file (standard output is not written to)");
        }
        Path target = absolute;
        FileKind kind = kind(output, absolute, true);
        if (kind == FileKind.SYMBOLIC_LINK) {
            FileKind pointed = kind(output, absolute, false);
            if (pointed != FileKind.REGULAR) {
                throw new OutputFileException(OutputFileException.Problem.NOT_A_REGULAR_FILE, output, output
                        + ": is a symbolic link to " + linkTarget(absolute) + ", which is "
                        + (pointed == FileKind.MISSING ? "missing" : pointed.description() + ", not a regular file")
                        + "; give the name of a file");
            }
            try {
                target = absolute.toRealPath();
            } catch (IOException e) {
                throw new OutputFileException(OutputFileException.Problem.NOT_A_REGULAR_FILE, output,
                        output + ": cannot follow its symbolic link: " + reason(e));
            }
            checkDirectory(output, target.getParent());
            kind = FileKind.REGULAR;
        } else if (kind == FileKind.DIRECTORY) {
            throw new OutputFileException(OutputFileException.Problem.NOT_A_REGULAR_FILE, output,
                    output + ": is a directory; give the name of a file");
        } else if (kind != FileKind.REGULAR && kind != FileKind.MISSING) {
            throw new OutputFileException(OutputFileException.Problem.NOT_A_REGULAR_FILE, output,
                    output + ": is " + kind.description() + ", not a regular file; give the name of a file");
        }
        if (kind == FileKind.REGULAR) {
            for (Path input : inputs) {
                // `-` is whatever file standard input was opened on (`< out.h5`), if one
                if (sameFile(StandardInput.is(input) ? STANDARD_INPUT : input, target)) {
                    throw new OutputFileException(OutputFileException.Problem.IS_AN_INPUT, output, output
                            + (StandardInput.is(input) ? ": is the file standard input (-) reads"
                            : ": is the input " + input + (input.equals(output) ? "" : " (the same file)"))
                            + "; writing it would destroy that input: give another output name");
                }
            }
            if (!replace) {
                throw new OutputFileException(OutputFileException.Problem.EXISTS, output,
                        output + ": exists already, and replacing it was not asked for");
            }
        }
        if (!Files.isWritable(target.getParent())) {
            throw new OutputFileException(OutputFileException.Problem.DIRECTORY_NOT_WRITABLE, output,
                    output + ": the directory " + target.getParent() + " is not writable");
        }
        return new OutputFile(output, target, replace);
    }

    /// The checks of [#of], for a caller that only checks before it starts.
    /// @throws OutputFileException when `output` may not be written, saying why
    public static void check(Path output, boolean replace, Collection<Path> inputs) {
        of(output, replace, inputs);
    }

    /// {@return the output as the caller named it}
    public Path named() {
        return named;
    }

    /// {@return where the file appears}: the output, absolute; through a symbolic link, the file
    /// it points to
    public Path target() {
        return target;
    }

    /// {@return the bytes free on the file system the output goes to}, 0 when it cannot be told
    public long freeBytes() {
        Path dir = target.getParent();
        return dir == null ? 0 : dir.toFile().getUsableSpace(); // statvfs: no walk of the mount table
    }

    /// {@return the temporary file made by [#createTemporary()]}
    /// @throws IllegalStateException before it
    public Path temporary() {
        if (temporary == null) {
            throw new IllegalStateException("no temporary file for " + target + " yet: call createTemporary()");
        }
        return temporary;
    }

    /// Creates the empty temporary file beside the target, after removing those a dead writer of
    /// the same target left. When it will replace a file, it gets that file's owner, group and
    /// permission bits (and the owner's read and write). {@return its path}
    /// @throws IOException when it cannot be created
    public Path createTemporary() throws IOException {
        if (temporary != null) {
            throw new IllegalStateException("the temporary file of " + target + " exists already: " + temporary);
        }
        sweepStale(target);
        Path t = temporaryFor(target);
        replacedMode = replace ? permissions(target) : null;
        PendingTemporaries.add(t); // before it exists: an exit from now on removes it
        try {
            if (replacedMode != null) {
                Set<PosixFilePermission> filling = EnumSet.copyOf(replacedMode);
                filling.add(PosixFilePermission.OWNER_READ);
                filling.add(PosixFilePermission.OWNER_WRITE);
                Files.createFile(t, PosixFilePermissions.asFileAttribute(filling));
                keepOwner(t);
            } else {
                Files.createFile(t);
            }
        } catch (IOException | RuntimeException e) {
            PendingTemporaries.settled(t);
            throw e;
        }
        temporary = t;
        return t;
    }

    /// Creates the temporary file beside the target as [#createTemporary()] does, holding a copy of
    /// the target, for a writer that changes an existing file without touching it until it
    /// commits (HDF5 writes its metadata in place: a change made to the file itself and cut short
    /// can leave it unreadable). {@return its path}
    /// @throws IOException when it cannot be created or the target cannot be copied; the
    ///                     temporary file is removed then
    public Path createTemporaryCopy() throws IOException {
        if (!replace) {
            throw new IllegalStateException("a copy of " + target + " can only replace it: replacing is off");
        }
        Path t = createTemporary();
        try (FileChannel from = FileChannel.open(target, StandardOpenOption.READ);
             FileChannel to = FileChannel.open(t, StandardOpenOption.WRITE)) {
            FileStamp before = FileStamp.of(target);
            long size = from.size();
            for (long at = 0; at < size; ) {
                long n = from.transferTo(at, size - at, to); // copy_file_range: no trip through this process
                if (n <= 0) {   // the file ended early: cut meanwhile (it spun here for ever)
                    throw changedMeanwhile("it became shorter as it was copied");
                }
                at += n;
            }
            try {
                before.checkUnchanged(target);
            } catch (FileStamp.FileChangedException e) {
                throw changedMeanwhile("it was written to as it was copied");
            }
            copied = before;
        } catch (IOException | OutputFileException e) {
            discard();
            throw e;
        }
        return t;
    }

    /// Gives `t`, which will replace the target, the target's owner and group, where this process
    /// may (root, or a member of the group), as `np.save` and h5py keep them, writing the file
    /// itself: an append by another user of a shared folder made the file theirs, and `--force`
    /// by root a `600` file root's, which locked its owner out of it. The permission bits follow
    /// at the commit.
    private void keepOwner(Path t) {
        for (String id : List.of("unix:gid", "unix:uid")) {
            try {
                Object value = Files.getAttribute(target, id);
                if (!value.equals(Files.getAttribute(t, id))) {
                    Files.setAttribute(t, id, value);
                }
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
                // not allowed here (chown needs root): the file becomes this user's, as a copy would
            }
        }
    }

    private OutputFileException changedMeanwhile(String how) {
        return new OutputFileException(OutputFileException.Problem.CHANGED, named, named + ": " + how
                + " (another program wrote it); not replaced, nothing appended: run again when it is done");
    }

    /// As [#commit()], but durable: the temporary file's data reach the disk before the rename,
    /// and the rename reaches it before this returns, so that a crash of the machine leaves the
    /// old file or the new, never a new name on data not yet written.
    /// @throws IOException as [#commit()] does
    public void commitDurably() throws IOException {
        try (FileChannel ch = FileChannel.open(temporary(), StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        commit();
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename is done all the same
        }
    }

    /// Renames the temporary file onto the target, which it replaces in one step; a replaced
    /// file's permission bits pass to the new one.
    /// @throws OutputFileException when, meanwhile, the target appeared (and replacing is off) or
    ///                             became something other than a regular file; the temporary file stays
    /// @throws IOException         when the rename fails; the temporary file stays
    public void commit() throws IOException {
        Path t = temporary();
        FileKind now = FileKind.ofLink(target);
        if (now != FileKind.MISSING && now != FileKind.REGULAR) {
            throw new OutputFileException(OutputFileException.Problem.NOT_A_REGULAR_FILE, named,
                    named + ": became " + now.description() + " while it was being written; not replaced");
        }
        if (now == FileKind.REGULAR && !replace) {
            throw new OutputFileException(OutputFileException.Problem.EXISTS, named,
                    named + ": appeared while it was being written; not replaced (overwrite was off)");
        }
        if (copied != null) {   // an append: the file copied must be the file replaced
            try {
                copied.checkUnchanged(target);
            } catch (FileStamp.FileChangedException e) {
                throw changedMeanwhile("it was written to while the rows were appended to a copy of it");
            }
        }
        if (replacedMode != null) {
            Files.setPosixFilePermissions(t, replacedMode);
        }
        Commits.rename(() -> { // as one step against an exit: the old file or the new, and the exit code says which
            if (!(now == FileKind.REGULAR && Files.size(t) >= EXCHANGE_BYTES && exchanged(t))) {
                try {
                    Files.move(t, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(t, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            PendingTemporaries.settled(t);
            COMMITTED.add(named);
        });
    }

    /// The outputs this process put in place, as they were named, in order.
    private static final List<Path> COMMITTED = new CopyOnWriteArrayList<>();

    /// {@return the outputs this process has put in place so far}: what a command that then fails
    /// to print its report has made all the same
    public static List<Path> committed() {
        return List.copyOf(COMMITTED);
    }

    /// The least size of a new file for which [#commit()] swaps it in rather than renaming it: ext4's
    /// cost of a rename over a file grows with the new file's data (about 0.5 ms a MiB), while the
    /// swap's first call in a process costs 20-30 ms to link (a one-line `ferry convert --force`
    /// spent a tenth of its time on it).
    static final long EXCHANGE_BYTES = 32L << 20;

    /// Replaces the existing target by swapping it with the temporary file in one step, then
    /// removes the temporary name, which holds the replaced file now: what a rename over the
    /// target does, without ext4's cost for one (it writes the new file's data out before the
    /// rename returns, its guard for programs that never call fsync: 60-90 ms for 120 MB, a
    /// tenth of a whole `ferry load`). Durability is what [#commitDurably] is for.
    /// {@return false where the swap cannot be made (not Linux, an old kernel, a file system
    /// without it, the target gone meanwhile): nothing changed then}
    private boolean exchanged(Path t) {
        try {
            Libc.exchange(t.toString(), target.toString());
        } catch (RuntimeException e) { // an ErrnoException, or native access refused: no swap was made
            return false;
        }
        try {
            Files.deleteIfExists(t);
        } catch (IOException e) {
            // The output is in place; the replaced file stays under the temporary name, which the
            // next writer of this output removes once this process has ended (see the class note).
        }
        return true;
    }

    /// Deletes the temporary file, if there is one; the target stays as it was. Idempotent.
    /// @throws IOException when it cannot be deleted
    public void discard() throws IOException {
        if (temporary != null) {
            Files.deleteIfExists(temporary);
            PendingTemporaries.settled(temporary);
        }
    }

    @Override
    public String toString() {
        return "OutputFile[" + target + (temporary != null ? ", writing " + temporary.getFileName() : "") + "]";
    }

    // ---- temporary names ----

    /// {@return a new temporary name for `target` (absolute), in its directory}
    static Path temporaryFor(Path target) {
        String tag = HOST + "-" + Long.toHexString(ProcessHandle.current().pid()) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        return target.resolveSibling("." + stem(target.getFileName().toString()) + "." + tag + SUFFIX);
    }

    /// {@return the part of a temporary name that stands for the output's `name`}: the name
    /// itself, or, when it is longer than [#STEM_MAX] bytes, as much of it as fits with a hash of
    /// the whole after a `~`
    static String stem(String name) {
        if (bytes(name) <= STEM_MAX) {
            return name;
        }
        String hash = "~" + String.format("%08x", name.hashCode());
        int budget = STEM_MAX - hash.length();
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int n = bytes(new String(Character.toChars(cp)));
            if (used + n > budget) {
                break;
            }
            b.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return b.append(hash).toString();
    }

    /// Removes the temporary files of `target` (absolute) that dead processes of this host left.
    /// {@return the files removed}; a file that cannot be listed or removed is left as it is
    public static List<Path> sweepStale(Path target) {
        String prefix = "." + stem(target.getFileName().toString()) + ".";
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.getParent(),
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(SUFFIX))) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                long pid = pidOf(name.substring(prefix.length(), name.length() - SUFFIX.length()));
                if (pid > 0 && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                    try {
                        Files.deleteIfExists(p);
                        removed.add(p);
                    } catch (IOException e) {
                        // another sweep got there first, or not ours to remove: leave it
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable directory: the writer's own file fails there with a clearer message
        }
        return removed;
    }

    /// {@return the pid in a tag `HOST-PID-RANDOM` made on this host}, or -1 (another host, or
    /// not a tag of ours)
    static long pidOf(String tag) {
        String[] parts = tag.split("-");
        if (parts.length != 3 || !parts[0].equals(HOST)) {
            return -1;
        }
        try {
            return Long.parseLong(parts[1], 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- checks ----

    private static void checkDirectory(Path output, Path dir) {
        FileKind kind;
        try {
            kind = FileKind.of(dir);
        } catch (IOException e) {
            throw new OutputFileException(OutputFileException.Problem.NO_DIRECTORY, output,
                    output + ": cannot reach the directory " + dir + ": " + reason(e));
        }
        if (kind != FileKind.DIRECTORY) {
            throw new OutputFileException(OutputFileException.Problem.NO_DIRECTORY, output, output + ": the directory "
                    + dir + (kind == FileKind.MISSING ? " does not exist" : " is " + kind.description() + ", not a directory"));
        }
    }

    /// {@return the path under `/proc` that `absolute` goes through (as its directory, or a
    /// symbolic link on its way), or null}. `/dev/stdout`, `/dev/fd/1` and `/proc/self/fd/1` name
    /// whatever file a process has open at a descriptor, not a place: followed to that file, the
    /// rename replaced it. `-o /dev/stdout --force` with standard output closed replaced the
    /// JDK's own `lib/modules`, which the JVM had opened at descriptor 1, and no JVM started after.
    private static Path throughProc(Path absolute) {
        Path p = absolute;
        for (int hops = 0; hops < MAX_LINKS && p.getParent() != null && p.getFileName() != null
                && !p.getFileName().toString().equals("..") && !p.getFileName().toString().equals("."); hops++) {
            Path dir;
            Path here;
            try {
                dir = p.getParent().toRealPath();
                if (dir.startsWith(PROC) || isProcfs(dir)) {
                    return p.startsWith(PROC) ? p : dir.resolve(p.getFileName());
                }
                here = dir.resolve(p.getFileName());
                if (!Files.isSymbolicLink(here)) {
                    return null;
                }
                // not normalized: `sub/../..` goes up from where `sub` leads, which only the next
                // hop's toRealPath knows (normalized, a link through `sub` to /proc passed)
                p = dir.resolve(Files.readSymbolicLink(here));
            } catch (IOException | SecurityException e) {
                return null; // what cannot be followed here, the checks that follow report
            }
        }
        return p.startsWith(PROC) ? p : null;
    }

    /// {@return whether `dir` is on a procfs}: one mounted elsewhere than `/proc` (a container's
    /// `/host/proc`, a bind of it) has the same magic links, and `myproc/self/fd/1` was followed.
    private static boolean isProcfs(Path dir) {
        try {
            return "proc".equals(Files.getFileStore(dir).type());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static FileKind kind(Path output, Path path, boolean link) {
        try {
            return link ? FileKind.ofLink(path) : FileKind.of(path);
        } catch (IOException e) {
            throw new OutputFileException(OutputFileException.Problem.NO_DIRECTORY, output,
                    output + ": cannot examine it: " + reason(e));
        }
    }

    private static boolean sameFile(Path input, Path target) {
        try {
            return Files.isSameFile(input, target);
        } catch (IOException | SecurityException e) {
            return false; // an input that cannot be examined is not this file, which can; the input check says more
        }
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    private static Set<PosixFilePermission> permissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // nothing there (a new file), or no POSIX modes on this file system
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static int bytes(String s) {
        return s.getBytes(NAME_ENCODING).length;
    }

    private static Charset nameEncoding() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static String pidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();   // pid:[4026531836]
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }
}
