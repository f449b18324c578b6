package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `/dev/shm` missing, small, or filling up under a run, as in containers: each run has a
/// `/dev/shm` of its own (a mount namespace, see [PrivateMounts]), so the machine's is untouched.
///
/// - Thread isolation needs no shared memory: it converts without `/dev/shm`, or with a file in
///   its place (every run used to sweep `/dev/shm` first, and failed there).
/// - Process isolation says it needs shared memory and names `--isolation thread`.
/// - Docker's 64 MiB `/dev/shm`: process isolation with the default memory fits its slots into
///   what is free (it used to fail: "asked for 64 MiB … has 64 MiB left"); where even two chunks
///   per worker do not fit, the error names the remedies.
/// - `/dev/shm` filled by another program mid-run: the workers' SIGBUS is reported as shared
///   memory running out, with what is free of what (it used to be `InternalError: a fault
///   occurred in an unsafe memory access operation`), and the run cleans up as for any failure.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class SharedMemoryTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    static Path inputs;
    static Path small;
    static Path medium;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeInputs() {
        small = inputs.resolve("small.txt");
        SampleInputs.write(small, 1000, 3);
        medium = inputs.resolve("medium.txt");
        SampleInputs.write(medium, 400_000, 5);   // ~10 MB
    }

    @ParameterizedTest(name = "/dev/shm a file: {0}")
    @ValueSource(booleans = {false, true})
    void threadsConvertWithoutDevShm(boolean aFileInItsPlace) throws Exception {
        try (FerryJvm ferry = convertWithoutDevShm(aFileInItsPlace, "thread")) {
            ferry.assertExitsWithin(BOUND);
            String said = ferry.output();
            assertEquals(0, ferry.exitCode(), said);
            assertTrue(said.contains("1 dataset, 1,000 rows"), said);
            assertEquals(List.of("out.h5"), SampleInputs.outputsIn(dir), "the output and no temporary file");
        }
    }

    @ParameterizedTest(name = "/dev/shm a file: {0}")
    @ValueSource(booleans = {false, true})
    void processesWithoutDevShmSayWhatToDo(boolean aFileInItsPlace) throws Exception {
        try (FerryJvm ferry = convertWithoutDevShm(aFileInItsPlace, "process")) {
            String said = judgeFailure(ferry);
            assertTrue(said.endsWith("ferry convert: worker processes need shared memory, and there is no shared memory here: /dev/shm "
                    + (aFileInItsPlace ? "is not a directory" : "does not exist")
                    + "; convert with --isolation thread, which needs none\n"), said);
            assertEquals(Set.of(), ferry.workersSeen(), "no worker JVM started");
        }
    }

    /// Docker's default: a 64 MiB `/dev/shm`, and the default memory for 2 workers, 64 MiB.
    @Test
    void processesFitTheirSlotsIntoASmallDevShm() throws Exception {
        withDevShm("64m", shm -> {
            try (FerryJvm ferry = convertOn(shm)) {
                ferry.assertExitsWithin(BOUND);
                String said = ferry.output();
                assertEquals(0, ferry.exitCode(), said);
                assertTrue(said.contains("1 dataset, 400,000 rows"), said);
                assertEquals(List.of("out.h5"), SampleInputs.outputsIn(dir), "the output and no temporary file");
                assertEquals(List.of(), ferry.workersRunningAfter(Duration.ofSeconds(10)), "every worker JVM exited");
            }
        });
    }

    @Test
    void aDevShmTooSmallForTwoChunksPerWorkerNamesTheRemedies() throws Exception {
        withDevShm("2m", shm -> {
            try (FerryJvm ferry = convertOn(shm)) {
                String said = judgeFailure(ferry);
                assertTrue(said.startsWith("ferry convert: worker processes fill their chunk slots in shared memory, and"
                        + " /dev/shm has 2.0 MiB free of 2.0 MiB: their slots need at least 2.0 MiB (2 chunks per worker),"), said);
                assertTrue(said.contains("enlarge it (Docker: --shm-size), or convert with --isolation thread, which needs none;"
                        + " or ask for less: fewer --workers, a smaller --chunk-rows"), said);
            }
        });
    }

    /// A shared array is made as long as its rows could be (a row a line of two bytes) and its pages
    /// come as the rows are written: the medium table's 8.8 MB of rows have a bound of 110 MB, which
    /// used to be refused up front ("asked for 110 MiB, /dev/shm has 32 MiB left"). It loads; a
    /// table whose rows do not fit is refused as they are written, and leaves nothing.
    @Test
    void aSharedArrayNeedsRoomForItsRowsNotForTheirBound() throws Exception {
        withDevShm("32m", shm -> {
            try (FerryJvm ferry = FerryJvm.start(PrivateMounts.wrapper(PrivateMounts.devShmAt(shm)), "share", medium.toString(),
                    "--dtype", SampleInputs.DTYPE, "--timeout", "0.5")) {
                ferry.assertExitsWithin(BOUND);
                String said = ferry.output();
                assertEquals(1, ferry.exitCode(), said);
                assertTrue(said.contains("\"shape\": [400000]"), said);
                assertTrue(said.contains("within 0.5 s (--timeout); removed"), said);
            }
        });
        withDevShm("4m", shm -> {
            try (FerryJvm ferry = FerryJvm.start(PrivateMounts.wrapper(PrivateMounts.devShmAt(shm)), "share", medium.toString(),
                    "--dtype", SampleInputs.DTYPE, "--timeout", "0.5")) {
                String said = judgeFailure(ferry);
                assertTrue(said.contains("ferry share: not enough shared memory for segment"), said);
                // how much was written and how small /dev/shm is (it said the last write's size: "asked for 3.8 KiB")
                assertTrue(said.contains(" of rows were written, and /dev/shm has ") && said.contains(" free of 4.0 MiB; "), said);
                assertTrue(said.contains("enlarge it (Docker: --shm-size)"), said);
            }
        });
    }

    /// Another program fills `/dev/shm` right after the run created its slots (whose pages come as
    /// the workers first touch them): the workers cannot have a page.
    @Test
    void aDevShmFilledMidRunIsSharedMemoryRunningOut() throws Exception {
        withDevShm("64m", shm -> {
            Path filler = shm.resolve("filler");
            try (FerryJvm ferry = convertOn(shm)) {
                awaitSlots(ferry, shm);
                fill(filler);
                String said = judgeFailure(ferry);
                assertTrue(said.startsWith("ferry convert: " + medium + ": shared memory ran out (/dev/shm has "), said);
                assertTrue(said.contains(" free of 64 MiB) while a worker process filled a chunk slot; free some (ferry shm list,"
                        + " ferry shm clean), enlarge it (Docker: --shm-size), or convert with --isolation thread, which needs"
                        + " none; or ask for less: a smaller --memory"), said);
                assertFalse(said.contains("InternalError"), said);
            }
            Files.delete(filler);
        });
    }

    /// A test on a `/dev/shm` of its own.
    private interface OnDevShm {
        void run(Path shm) throws Exception;
    }

    /// Runs `test` with a tmpfs of `size` (`64m`) mounted at `DIR/shm`, and asserts that it holds
    /// nothing after; unmounts it.
    private void withDevShm(String size, OnDevShm test) throws Exception {
        Path shm = Files.createDirectories(dir.resolve("shm"));   // again for a second mount
        PrivateMounts.mountTmpfs(shm, size);
        try {
            test.run(shm);
            assertEquals(List.of(), list(shm), "nothing left in that /dev/shm");
        } finally {
            PrivateMounts.unmount(shm);
        }
    }

    /// {@return ferry converting the small input with `isolation`, in a `/dev` without `/dev/shm`
    /// (`aFileInItsPlace`: a plain file there)}; skips the test where it cannot mount
    private FerryJvm convertWithoutDevShm(boolean aFileInItsPlace, String isolation) throws Exception {
        PrivateMounts.assumeCanMount();
        return FerryJvm.start(PrivateMounts.wrapper(PrivateMounts.devWithoutShm(aFileInItsPlace)),
                convert(small, dir.resolve("out.h5"), isolation));
    }

    /// {@return ferry converting the medium input with 2 worker processes, `shm` its `/dev/shm`}
    private FerryJvm convertOn(Path shm) throws Exception {
        return FerryJvm.start(PrivateMounts.wrapper(PrivateMounts.devShmAt(shm)), convert(medium, dir.resolve("out.h5"), "process"));
    }

    /// Waits until ferry's slot pool is in `shm`.
    private static void awaitSlots(FerryJvm ferry, Path shm) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (list(shm).stream().noneMatch(n -> io.ferry.shm.SegmentName.creatorPid(n).orElse(-1) == ferry.pid())) {
            if (System.nanoTime() > deadline || ferry.awaitExit(Duration.ZERO)) {
                throw new AssertionError("ferry made no slot pool in " + shm + "; it said:\n" + ferry.output());
            }
            Thread.sleep(1);
        }
    }

    /// Writes `file` until its file system is full.
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(file)) {
            while (true) {
                o.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /// Asserts ferry ends by itself with exit 1, leaving no output, temporary file, worker or
    /// segment in the machine's `/dev/shm`. {@return what it said}
    private String judgeFailure(FerryJvm ferry) throws Exception {
        ferry.assertExitsWithin(BOUND);
        String said = ferry.output();
        assertEquals(1, ferry.exitCode(), said);
        assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
        assertEquals(List.of(), ferry.workersRunningAfter(Duration.ofSeconds(10)), "every worker JVM exited");
        assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        return said;
    }

    private static List<String> list(Path shm) throws IOException {
        try (Stream<Path> s = Files.list(shm)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String[] convert(Path input, Path out, String isolation) {
        return new String[]{"convert", input.toString(), "-o", out.toString(), "--dtype", SampleInputs.DTYPE,
                "--isolation", isolation, "--workers", "2"};
    }
}
