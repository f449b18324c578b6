package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The output's disk fills up mid-run: a clear error that names the output and why, exit 1, the
/// temporary output removed, nothing in `/dev/shm`. Two real ways: a 4 MiB tmpfs (needs root and `mount`, skipped with the
/// reason otherwise), and a file-size limit (`ulimit -f`, anyone), where writes fail with EFBIG
/// because the JVM ignores SIGXFSZ.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class FullDiskTest {
    @TempDir
    static Path inputs;
    @TempDir
    Path dir;

    static Path input;

    @BeforeAll
    static void makeInput() {
        input = inputs.resolve("data.txt");
        SampleInputs.write(input, 400_000, 5);   // ~10 MB of records
    }

    /// A full file system (a 4 MiB tmpfs, mounted when the test may): the error names the file and
    /// errno 28, the temporary output goes, and the exit code is 1. (HDF5 used to keep the file it
    /// could not close and crash the JVM flushing it again at exit: exit 139.)
    @Test
    void aFullFileSystem() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        PrivateMounts.mountTmpfs(small, "4m");
        try {
            String said = assertFailsCleanly(List.of(), small, small.resolve("out.h5"));
            // said of the output first, not of the input being written (HDF5's stack follows)
            assertTrue(said.startsWith("ferry convert: " + small.resolve("out.h5") + ": No space left on device (errno 28)"
                    + " while writing " + input + "'s rows; the output is not made"), said);
        } finally {
            PrivateMounts.unmount(small);
        }
    }

    /// Worker processes' chunk slots are a segment, a file of /dev/shm, which `ulimit -f` limits
    /// too: the error said "java.io.IOException: File too large", naming no limit.
    @Test
    void aFileSizeLimitUnderWorkerProcessesNamesTheLimit() throws Exception {
        Path out = dir.resolve("out.h5");
        try (FerryJvm ferry = FerryJvm.startInShell("ulimit -f 1000", convert(out, "process"))) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(1, ferry.exitCode(), ferry.output());
            assertTrue(ferry.output().matches("(?s)ferry convert: cannot make shared-memory segment '\\S+' of \\d+ bytes:"
                    + " this process may write no file past 1024000 bytes \\(ulimit -f\\), and a segment is a file of"
                    + " /dev/shm; raise the limit\\s*"), ferry.output());
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
        assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
    }

    /// Standard input's rows on a full file system are "standard input's", said once: the message
    /// was "standard input: OUT: ... while writing -'s rows".
    @Test
    void aFullFileSystemUnderStandardInput() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        PrivateMounts.mountTmpfs(small, "4m");
        try {
            Path out = small.resolve("s.h5");
            try (FerryJvm ferry = FerryJvm.startInShell("exec < '" + input + "'", "convert", "-", "-o", out.toString(),
                    "--dtype", SampleInputs.DTYPE, "-q")) {
                ferry.assertExitsWithin(Duration.ofSeconds(60));
                assertEquals(1, ferry.exitCode(), ferry.output());
                assertTrue(ferry.output().startsWith("ferry convert: " + out + ": No space left on device (errno 28) while"
                        + " writing standard input's rows; the output is not made"), ferry.output());
            }
            try (var left = Files.list(small)) {
                assertEquals(List.of(), left.toList(), "no output and no temporary file");
            }
        } finally {
            PrivateMounts.unmount(small);
        }
    }

    /// `ferry stitch` on a full file system: said of the output as a conversion says it, where it
    /// was HDF5's raw stack naming the temporary file ("cannot create HDF5 file .st.h5....ferry-tmp").
    @Test
    void aFullFileSystemUnderAStitch() throws Exception {
        Path part = dir.resolve("p1.h5");
        ShmCommandsTest.Run made = ShmCommandsTest.ferry("convert", input.toString(), "-o", part.toString(), "--dtype",
                SampleInputs.DTYPE, "--max-rows", "1000", "-q");
        assertEquals(0, made.exit(), made.err());
        Path small = Files.createDirectory(dir.resolve("small"));
        PrivateMounts.mountTmpfs(small, "4m");
        try {
            Path fill = small.resolve("fill");
            try (var ch = java.nio.channels.FileChannel.open(fill, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(4096);
                try {
                    while (true) {
                        block.clear();
                        ch.write(block);
                    }
                } catch (java.io.IOException full) {
                    // every block taken
                }
            }
            Path out = small.resolve("st.h5");
            try (FerryJvm ferry = FerryJvm.start("stitch", part.toString(), "-o", out.toString())) {
                ferry.assertExitsWithin(Duration.ofSeconds(60));
                assertEquals(1, ferry.exitCode(), ferry.output());
                assertTrue(ferry.output().startsWith("ferry stitch: " + out + ": No space left on device (errno 28) while"
                        + " writing the stitched file; the output is not made"), ferry.output());
            }
            try (var left = Files.list(small)) {
                assertEquals(List.of(fill), left.toList(), "no output and no temporary file");
            }
        } finally {
            PrivateMounts.unmount(small);
        }
    }

    /// `ferry load -o x.npy` writes its rows into the file as they are parsed: a full file system
    /// is an error that names the output, and the temporary file goes.
    @Test
    void aFullFileSystemUnderALoad() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        PrivateMounts.mountTmpfs(small, "4m");
        try {
            Path out = small.resolve("out.npy");
            String said;
            try (FerryJvm ferry = FerryJvm.start("load", input.toString(), "-o", out.toString(), "--dtype",
                    SampleInputs.DTYPE, "--workers", "2")) {
                ferry.assertExitsWithin(Duration.ofSeconds(60));
                said = ferry.output();
                assertEquals(1, ferry.exitCode(), said);
                assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
            }
            assertTrue(said.startsWith("ferry load: " + out + ": cannot write the rows: No space left on device"), said);
            assertEquals(List.of(), SampleInputs.outputsIn(small), "no output and no temporary file");
            // full before the load starts: the output is named too (it said "No space left on device" alone)
            Path filler = small.resolve("filler");
            try (var o = Files.newOutputStream(filler)) {
                byte[] block = new byte[1 << 16];
                while (true) {
                    o.write(block);
                }
            } catch (java.io.IOException full) {
                // the file system is full
            }
            try (FerryJvm ferry = FerryJvm.start("load", input.toString(), "-o", out.toString(), "--dtype", SampleInputs.DTYPE)) {
                ferry.assertExitsWithin(Duration.ofSeconds(60));
                said = ferry.output();
                assertEquals(1, ferry.exitCode(), said);
            }
            assertTrue(said.startsWith("ferry load: " + out + ": cannot make the output: No space left on device"), said);
            Files.delete(filler);
            assertEquals(List.of(), SampleInputs.outputsIn(small), "no output and no temporary file");
        } finally {
            PrivateMounts.unmount(small);
        }
    }

    @Test
    void aFileSizeLimit() throws Exception {
        Path out = dir.resolve("out.h5");
        String said;
        try (FerryJvm ferry = FerryJvm.startInShell("ulimit -f 2048", convert(out, "thread"))) {
            said = judge(ferry, dir);
        }
        assertTrue(said.startsWith("ferry convert: " + out + ": File too large (errno 27) while writing " + input
                + "'s rows"), said);
    }

    /// An append under a file-size limit: the file appended to is as it was, byte for byte, and the
    /// error says so. It said "the output is not made, and nothing of it is left", of a file that
    /// is there, whole (a tester found it).
    @Test
    void aFileSizeLimitWhileAppendingSaysTheFileIsAsItWas() throws Exception {
        Path small = dir.resolve("small.txt");
        SampleInputs.write(small, 100, 3);
        Path out = dir.resolve("existing.h5");
        try (FerryJvm ferry = FerryJvm.start("convert", small.toString(), "-o", out.toString(), "--dtype",
                SampleInputs.DTYPE, "-q")) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(0, ferry.exitCode(), ferry.output());
        }
        byte[] before = Files.readAllBytes(out);
        String said;
        try (FerryJvm ferry = FerryJvm.startInShell("ulimit -f 2048", "convert", input.toString(), "-o", out.toString(),
                "--append", "--name", "more", "--dtype", SampleInputs.DTYPE, "--workers", "2", "-q")) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            said = ferry.output();
            assertEquals(1, ferry.exitCode(), said);
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
        assertTrue(said.startsWith("ferry convert: " + out + ": File too large (errno 27) while writing " + input
                + "'s rows; nothing is appended: the file is as it was, and nothing of this run is left. HDF5 said: "), said);
        assertEquals(List.of("existing.h5"), SampleInputs.outputsIn(dir), "no temporary file");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out)), "the file appended to is as it was");
    }

    /// The limit just below the finished file's size: the rows fit, and only HDF5's last writes, as
    /// it closes the file, fail. It used to crash the JVM (exit 134, SIGSEGV in
    /// `H5F_get_vfd_handle`, which the discard called on a file its failed close had half
    /// released), leaving the full-size temporary output and a crash log.
    @Test
    void aFileSizeLimitReachedAsTheFileCloses() throws Exception {
        Path whole = dir.resolve("whole.h5");
        try (FerryJvm ferry = FerryJvm.start(convert(whole, "thread"))) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(0, ferry.exitCode(), ferry.output());
        }
        long kib = Files.size(whole) / 1024;
        Files.delete(whole);
        for (long limit : new long[]{kib - 1, kib - 8}) {
            Path out = dir.resolve("out.h5");
            String said;
            try (FerryJvm ferry = FerryJvm.startInShell("ulimit -f " + limit, convert(out, "thread"))) {
                said = judge(ferry, dir);
            }
            assertTrue(said.startsWith("ferry convert: ") && said.contains(out.toString()) && said.contains("File too large"),
                    limit + " KiB: " + said);
        }
    }

    /// `ferry load -o x.npy` made its file first as long as the input's bytes could hold rows,
    /// sparse (13 times the array here), and `ulimit -f` refused that ("cannot make the output:
    /// File too large") however far below the limit the array was. Under a limit the lines are
    /// counted: an array that fits is written, numpy's; one that does not is refused saying its
    /// size and the limit, and nothing is left.
    @Test
    void aFileSizeLimitUnderALoad() throws Exception {
        long arrayBytes = arrayBytes();
        long kib = arrayBytes * 3 / 2 / 1024;
        Path out = dir.resolve("out.npy");
        try (FerryJvm ferry = FerryJvm.startInShell("ulimit -f " + kib, "load", input.toString(), "-o", out.toString(),
                "--dtype", SampleInputs.DTYPE, "--workers", "2", "--rows", "0")) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(0, ferry.exitCode(), ferry.output());
        }
        io.ferry.testing.PythonPeer.run("""
                import sys, numpy as np
                a = np.load(sys.argv[1])
                b = np.loadtxt(sys.argv[2], dtype=a.dtype, ndmin=1)
                assert a.shape == b.shape and a.tobytes() == b.tobytes(), (a.shape, b.shape)
                """, out.toString(), input.toString());
        Files.delete(out);

        kib = arrayBytes / 2 / 1024;
        String said;
        try (FerryJvm ferry = FerryJvm.startInShell("ulimit -f " + kib, "load", input.toString(), "-o", out.toString(),
                "--dtype", SampleInputs.DTYPE, "--workers", "2")) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            said = ferry.output();
            assertEquals(1, ferry.exitCode(), said);
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
        assertTrue(said.startsWith("ferry load: " + out + ": the output, made for "), said);
        assertTrue(said.contains(" bytes, more than this process may write to a file (ulimit -f: " + kib * 1024
                + " bytes)"), said);
        assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
    }

    /// `ferry share` made its segment (a file in `/dev/shm`) as long as `ferry load` its `.npy`,
    /// and failed the same way under `ulimit -f`; an array that fits is shared (see
    /// [ShareCommandTest]), one that does not is refused saying its size and the limit.
    @Test
    void aFileSizeLimitUnderAShare() throws Exception {
        long kib = arrayBytes() / 2 / 1024;
        String said;
        try (FerryJvm ferry = FerryJvm.startInShell("ulimit -f " + kib, "share", input.toString(),
                "--dtype", SampleInputs.DTYPE, "--timeout", "1")) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            said = ferry.output();
            assertEquals(1, ferry.exitCode(), said);
            assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        }
        assertTrue(said.startsWith("ferry share: " + input + ": its shared array, made for "), said);
        assertTrue(said.contains(" bytes, more than this process may write to a file (ulimit -f: " + kib * 1024
                + " bytes)"), said);
    }

    /// {@return the bytes of the input's array}: its lines (all rows) times a record's bytes
    private static long arrayBytes() throws java.io.IOException {
        return io.ferry.text.TextLoader.lines(input) * io.ferry.dtype.DType.parse(SampleInputs.DTYPE).itemSize();
    }

    /// `ferry generate` on a full disk said "No space left on device" without the file.
    @Test
    void generateNamesItsOutput() throws Exception {
        Path out = dir.resolve("g.txt");
        try (FerryJvm ferry = FerryJvm.startInShell("ulimit -f 100", "generate", "-o", out.toString(), "--lines", "200000")) {
            ferry.assertExitsWithin(Duration.ofSeconds(60));
            assertEquals(1, ferry.exitCode(), ferry.output());
            assertEquals("ferry generate: " + out + ": cannot write it: File too large", ferry.output().strip());
        }
        assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
    }

    private String assertFailsCleanly(List<String> wrapper, Path outDir, Path out) throws Exception {
        try (FerryJvm ferry = FerryJvm.start(wrapper, convert(out, "process"))) {
            return judge(ferry, outDir);
        }
    }

    private static String judge(FerryJvm ferry, Path outDir) throws Exception {
        ferry.assertExitsWithin(Duration.ofSeconds(60));
        String said = ferry.output();
        assertEquals(1, ferry.exitCode(), said);
        assertTrue(said.startsWith("ferry convert: "), said);
        assertEquals(List.of(), SampleInputs.outputsIn(outDir), "no output and no temporary file");
        assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        return said;
    }

    private static String[] convert(Path out, String isolation) {
        return new String[]{"convert", input.toString(), "-o", out.toString(), "--dtype", SampleInputs.DTYPE,
                "--isolation", isolation, "--workers", "2", "-q"};
    }
}
