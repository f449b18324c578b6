package io.ferry.cli;

import io.ferry.file.FileKind;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Every command that writes a file the user names (`convert`, `stitch`, `load -o`, `generate`)
/// refuses an existing one without `--force`, and refuses,
/// before any work and with `--force` too, an output that is one of its inputs (the same path,
/// another spelling, a symbolic link, a hard link) or that is not a regular file (a device such
/// as `/dev/null`, a named pipe, which must not make it wait, a socket, a directory). Each run is
/// `ferry` as users run it, in a JVM of its own with a time limit: exit 1, one line naming the
/// output and what is wrong, the input and the output as they were, no temporary file, no process,
/// nothing in `/dev/shm`.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class OutputCheckTest {
    @TempDir
    Path dir;
    Path input;
    Path part;

    @BeforeEach
    void inputs() throws Exception {
        input = dir.resolve("in.txt");
        SampleInputs.write(input, 2_000, 1);
        part = SampleInputs.smallHdf5(dir.resolve("part.h5"));
    }

    @Test
    void convertRefusesToWriteOverItsInput() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path symlink = Files.createSymbolicLink(dir.resolve("link.h5"), input);
        Path hardLink = Files.createLink(dir.resolve("hard.h5"), input);
        for (Path out : List.of(input, sub.resolve("../in.txt"), symlink, hardLink)) {
            assertRefused(out, input, "is the input " + input, convert(out));
        }
        // with process workers too: the check comes before any of them starts
        List<String> processes = new ArrayList<>(convert(hardLink));
        processes.addAll(List.of("--isolation", "process", "--workers", "2"));
        assertRefused(hardLink, input, "is the input " + input, processes);
    }

    /// A list of inputs (`--inputs-from`) is read as the inputs are: `-o` at it, or at a link to
    /// it, with `--force` too, used to replace it with the HDF5 file.
    @Test
    void convertRefusesToWriteOverItsListOfInputs() throws Exception {
        Path list = Files.writeString(dir.resolve("list.txt"), input + "\n");
        Path symlink = Files.createSymbolicLink(dir.resolve("list.h5"), list);
        for (Path out : List.of(list, symlink)) {
            assertRefused(out, list, "is the input " + list, List.of("convert", "--inputs-from", list.toString(), "-o",
                    out.toString(), "--dtype", SampleInputs.DTYPE, "-q", "--force"));
        }
    }

    /// Standard input is an input too: `-` (or `--inputs-from -`) read from the output's own file
    /// (`< in.txt`), with `--force`, used to replace the text it was reading with the HDF5 file.
    @Test
    void anOutputThatStandardInputReadsIsRefused() throws Exception {
        Path list = Files.writeString(dir.resolve("list.txt"), input + "\n");
        assertRefused(input, input, "is the file standard input (-) reads;", List.of("convert", "-", "-o",
                input.toString(), "--dtype", SampleInputs.DTYPE, "-q", "--force"), input);
        assertRefused(list, list, "is the file standard input (-) reads;", List.of("convert", "--inputs-from",
                "-", "-o", list.toString(), "--dtype", SampleInputs.DTYPE, "-q", "--force"), list);
    }

    @Test
    void stitchRefusesToWriteOverAPart() throws Exception {
        Path hardLink = Files.createLink(dir.resolve("all.h5"), part);
        for (Path out : List.of(part, hardLink)) {
            assertRefused(out, part, "is the input " + part, List.of("stitch", part.toString(), "-o", out.toString(), "--force"));
        }
    }

    /// A stitched file as a part maps its own parts: `-o` one of those, with `--force`, replaced
    /// its rows with a virtual dataset mapping the stitched file, which maps it back (h5py
    /// crashed reading either). It is refused, and stays as it was.
    @Test
    void stitchRefusesToWriteOverAFileAPartMaps() throws Exception {
        Path all = dir.resolve("all.h5");
        try (FerryJvm ferry = FerryJvm.start("stitch", part.toString(), "-o", all.toString())) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(0, ferry.exitCode(), ferry.output());
        }
        assertRefused(part, part, "is a file the virtual datasets of the part " + all + " map; writing it would destroy their rows",
                List.of("stitch", all.toString(), "-o", part.toString(), "--force"));
    }

    @Test
    void loadRefusesToWriteOverItsInput() throws Exception {
        Path hardLink = Files.createLink(dir.resolve("in.npy"), input);
        for (Path out : List.of(input, hardLink)) {
            assertRefused(out, input, "is the input " + input,
                    List.of("load", input.toString(), "--dtype", SampleInputs.DTYPE, "-o", out.toString()));
        }
    }

    /// One rule for every command that writes a file: an existing one is replaced only with
    /// `--force` (`load -o` and `generate` used to replace it silently).
    @Test
    void anExistingOutputIsRefusedWithoutForceByEveryWriter() throws Exception {
        Path out = Files.writeString(dir.resolve("old.out"), "old");
        for (List<String> command : List.of(
                List.of("convert", input.toString(), "-o", out.toString(), "--dtype", SampleInputs.DTYPE, "-q"),
                List.of("stitch", part.toString(), "-o", out.toString()),
                List.of("load", input.toString(), "--dtype", SampleInputs.DTYPE, "-o", out.toString()),
                List.of("generate", "-o", out.toString(), "--lines", "10"))) {
            assertRefused(out, out, "exists already; add --force to replace it", command);
        }
    }

    /// As root, `-o /dev/null --force` used to rename a regular file over `/dev/null`. The test
    /// makes its own character device 1,3 (what `/dev/null` is) when it can, so a failure could
    /// not harm the machine's.
    @Test
    void aDeviceIsRefusedEvenWithForce() throws Exception {
        Path device = dir.resolve("null");
        boolean made = new ProcessBuilder("mknod", device.toString(), "c", "1", "3").redirectErrorStream(true)
                .start().waitFor() == 0;
        Path out = made ? device : Path.of("/dev/null");
        for (List<String> command : List.of(convert(out),
                List.of("stitch", part.toString(), "-o", out.toString(), "--force"),
                List.of("load", input.toString(), "--dtype", SampleInputs.DTYPE, "-o", out.toString()))) {
            assertRefused(out, null, "is a character device, not a regular file", command);
            assertEquals(FileKind.CHARACTER_DEVICE, FileKind.ofLink(out));
        }
        assertEquals(FileKind.CHARACTER_DEVICE, FileKind.of(Path.of("/dev/null")));
    }

    @Test
    void aPipeASocketAndADirectoryAreRefusedEvenWithForce() throws Exception {
        Path fifo = dir.resolve("fifo.h5");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path socket = dir.resolve("socket.h5");
        Path directory = Files.createDirectory(dir.resolve("dir.h5"));
        Path toFifo = Files.createSymbolicLink(dir.resolve("to-fifo.h5"), fifo);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertRefused(fifo, null, "is a named pipe (FIFO), not a regular file", convert(fifo));
            assertRefused(toFifo, null, "is a symbolic link to " + fifo + ", which is a named pipe (FIFO)", convert(toFifo));
            assertRefused(socket, null, "is a socket, not a regular file", convert(socket));
            assertRefused(directory, null, "is a directory", convert(directory));
            assertRefused(fifo, null, "is a named pipe (FIFO), not a regular file",
                    List.of("stitch", part.toString(), "-o", fifo.toString(), "--force"));
            Path npyFifo = dir.resolve("fifo.npy");   // load writes .npy, and refuses an output named .h5
            assertEquals(0, new ProcessBuilder("mkfifo", npyFifo.toString()).start().waitFor());
            assertRefused(npyFifo, null, "is a named pipe (FIFO), not a regular file",
                    List.of("load", input.toString(), "--dtype", SampleInputs.DTYPE, "-o", npyFifo.toString()));
        }
    }

    private List<String> convert(Path out) {
        return List.of("convert", input.toString(), "-o", out.toString(), "--dtype", SampleInputs.DTYPE, "--force", "-q");
    }

    /// Runs `command` and checks it was refused at once, naming `out` and `problem`, with `input`
    /// (when given) and everything else in the folder as they were.
    private void assertRefused(Path out, Path in, String problem, List<String> command) throws Exception {
        assertRefused(out, in, problem, command, null);
    }

    /// As [#assertRefused(Path, Path, String, List)], standard input read from `stdin` when given.
    private void assertRefused(Path out, Path in, String problem, List<String> command, Path stdin) throws Exception {
        byte[] before = in == null ? null : digest(in);
        List<String> namesBefore = names();
        String[] args = command.toArray(String[]::new);
        try (FerryJvm ferry = stdin == null ? FerryJvm.start(args)
                : FerryJvm.startInShell("exec <'" + stdin.toString().replace("'", "'\\''") + "'", args)) {
            // A named pipe opened for writing would wait for a reader: the run must not.
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            String said = ferry.output();
            String what = String.join(" ", command) + ": ";
            assertEquals(1, ferry.exitCode(), what + said);
            assertEquals(1, said.strip().lines().count(), what + "one line: " + said);
            String name = "ferry " + command.getFirst() + ": " + out + ": ";
            assertTrue(said.startsWith(name + problem), what + "expected '" + name + problem + "…', got: " + said);
            assertEquals(List.of(), ferry.childJvmsLeft(), what);
            assertEquals(Set.of(), ferry.shmLeftovers(), what);
        }
        if (in != null) {
            assertArrayEquals(before, digest(in), in + " is unchanged");
        }
        assertEquals(namesBefore, names(), "no output, no temporary file");
    }

    private List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] digest(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
