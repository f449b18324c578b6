package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry inspect` (and `ferry stitch`) on damaged HDF5 files: a real file with bits flipped,
/// bytes zeroed or its end cut off at seeded offsets. The HDF5 library crashes its process on
/// some of them (a SIGSEGV in native code), or loops: the command reads the file in a child JVM,
/// so it never crashes or hangs itself; it ends
/// with 0 (the damage was where nothing is read) or 1 and a message naming the file, within a
/// time limit, and leaves no crash log in its working directory, no process, nothing in
/// `/dev/shm`. Each run is a JVM of its own, as users run it, in case it does crash or hang.
///
/// `-Dferry.damaged.seed=N` starts at another seed; `-Dferry.damaged.files=N` runs more files.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class DamagedFileTest {
    private static final long FIRST_SEED = Long.getLong("ferry.damaged.seed", 0);
    private static final int FILES = Integer.getInteger("ferry.damaged.files", 48);
    /// The superblock, object headers, B-trees and heaps of a small file: where damage crashes HDF5.
    private static final int METADATA_BYTES = 8192;

    @TempDir
    Path dir;
    /// The temporary directory of the JVMs under test: where their readers' crash logs go.
    @TempDir
    Path tmp;

    @Test
    void inspectReportsDamageAndNeverCrashes() throws Exception {
        byte[] good = Files.readAllBytes(SampleInputs.smallHdf5(dir.resolve("good.h5")));
        List<Future<String>> runs = new ArrayList<>();
        ExecutorService two = Executors.newFixedThreadPool(2); // a JVM and its reader each: the cores stay busy
        try {
            for (long seed = FIRST_SEED; seed < FIRST_SEED + FILES; seed++) {
                long s = seed;
                runs.add(two.submit(() -> inspect(good, s)));
            }
            List<String> errors = new ArrayList<>();
            for (Future<String> run : runs) {
                String last = run.get();
                if (!last.isEmpty()) {
                    errors.add(last);
                }
            }
            assertEquals(Set.of(), readerDirs(), "the readers' crash-log directories are removed");
            // Without a crash among them, the test would not show that one is survived.
            assertTrue(FILES < 48 || errors.stream().anyMatch(e -> e.contains("the HDF5 library crashed reading it (SIG")),
                    "no crash among " + FILES + " damaged files; the errors:\n" + String.join("\n", errors));
            assertTrue(FILES < 48 || errors.size() >= FILES / 3, "few errors: " + errors.size() + " of " + FILES);
        } finally {
            two.shutdownNow();
        }
    }

    /// A crash in the HDF5 library is reported by name. The was SIGSEGV in H5A__close,
    /// which seed 172 made until this stop: its damage is now an error HDF5 reports, or one Ferry
    /// finds first (an attribute's name that is not UTF-8), and H5A__close crashed after it only
    /// now and then. Seed 36 damages a variable-length string's heap reference, which crashes
    /// HDF5's global-heap read (H5HG_read) every time.
    @Test
    void aCrashInTheLibraryIsReported() throws Exception {
        byte[] good = Files.readAllBytes(SampleInputs.smallHdf5(dir.resolve("good.h5")));
        String last = inspect(good, 36);
        assertTrue(last.startsWith("ferry inspect: damaged-36.h5: damaged: the HDF5 library crashed reading it (SIGSEGV in ")
                && last.endsWith("the file was only read, nothing was changed"),
                "seed 36 should crash HDF5 (if HDF5 changed, find another with -Dferry.damaged.files=400): " + last);
    }

    /// Some damaged files make HDF5 loop for ever (seed 106: reading an attribute's global heap
    /// does not end): after `--timeout` seconds without progress, the reader is stopped.
    @Test
    void aFileTheLibraryLoopsOnIsGivenUpAfterTheTimeout() throws Exception {
        byte[] good = Files.readAllBytes(SampleInputs.smallHdf5(dir.resolve("good.h5")));
        String last = inspect(good, 106, "--timeout", "10");
        assertTrue(last.startsWith("ferry inspect: damaged-106.h5: damaged: reading it made no progress for 10 s"),
                "seed 106 should make HDF5 loop (if HDF5 changed, find another with -Dferry.damaged.files=200): " + last);
    }

    /// `ferry stitch` lists its parts in a child JVM too: a part that crashes HDF5 (seed 172:
    /// SIGSEGV in H5A__close under H5Aopen_by_idx, reading an attribute; it crashed `ferry stitch`
    /// itself) or makes it loop (seed 106) is named, and nothing is written.
    @Test
    void stitchNamesADamagedPart() throws Exception {
        Path good = SampleInputs.smallHdf5(dir.resolve("good.h5"));
        Path out = dir.resolve("all.h5");
        for (long seed : new long[]{172, 106}) {
            Path damaged = Files.write(dir.resolve("damaged-" + seed + ".h5"), damage(Files.readAllBytes(good), seed));
            try (FerryJvm ferry = FerryJvm.startIn(dir, tmp, "stitch", good.toString(), damaged.toString(), "-o",
                    out.toString(), "--timeout", "10")) {
                ferry.assertExitsWithin(Duration.ofSeconds(120));
                String said = ferry.output();
                assertEquals(1, ferry.exitCode(), said);
                assertTrue(said.startsWith("ferry stitch: " + damaged + ": damaged: " + (seed == 172
                        ? "the HDF5 library crashed reading it (SIG" : "reading it made no progress for 10 s")),
                        "seed " + seed + " (if HDF5 changed, find another with -Dferry.damaged.files=400): " + said);
                assertEquals(1, said.strip().lines().count(), said);
                assertEquals(List.of(), ferry.childJvmsLeft());
            }
            assertEquals(List.of(damaged.getFileName().toString(), "good.h5"), names(dir),
                    "no output, no temporary file, no crash log");
            assertEquals(Set.of(), readerDirs());
            Files.delete(damaged);
        }
    }

    /// Ctrl-C or SIGTERM while the reader is stuck: the command exits 130 or 143, its reader exits
    /// with it, and its crash-log directory goes too.
    @Test
    void aSignalWhileReadingLeavesNothing() throws Exception {
        byte[] good = Files.readAllBytes(SampleInputs.smallHdf5(dir.resolve("good.h5")));
        Path file = Files.write(dir.resolve("damaged-106.h5"), damage(good, 106));
        for (String signal : List.of("INT", "TERM")) {
            try (FerryJvm ferry = FerryJvm.startIn(dir, tmp, "inspect", "--timeout", "300", file.toString())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (ferry.childJvmsLeft().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertFalse(ferry.childJvmsLeft().isEmpty(), "the reader started: " + ferry.output());
                Thread.sleep(500); // into HDF5's loop
                ferry.signal(signal);
                ferry.assertExitsWithin(Duration.ofSeconds(30));
                assertEquals(signal.equals("INT") ? 130 : 143, ferry.exitCode(), ferry.output());
                deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!ferry.childJvmsLeft().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(List.of(), ferry.childJvmsLeft(), "the reader exits with its parent");
            }
        }
        assertEquals(Set.of(), readerDirs(), "the crash-log directories are removed");
        assertEquals(List.of("damaged-106.h5", "good.h5"), names(dir));
    }

    /// Runs `ferry inspect` on `good` damaged by `seed`, in a working directory of its own, and
    /// checks how it ended. {@return its error line}, empty when it read the file
    private String inspect(byte[] good, long seed, String... options) throws Exception {
        Path work = Files.createDirectory(dir.resolve("work-" + seed));
        Path file = Files.write(work.resolve("damaged-" + seed + ".h5"), damage(good, seed));
        List<String> args = new ArrayList<>(List.of("inspect"));
        args.addAll(List.of(options));
        args.add(file.getFileName().toString());
        String what = "seed " + seed + " (replay: -Dferry.damaged.seed=" + seed + " -Dferry.damaged.files=1): ";
        String last = "";
        try (FerryJvm ferry = FerryJvm.startIn(work, tmp, args.toArray(String[]::new))) {
            if (!ferry.awaitExit(Duration.ofSeconds(120))) {
                throw new AssertionError(what + "ferry did not exit within 120 s; it said:\n" + ferry.output());
            }
            String said = ferry.output();
            assertTrue(ferry.exitCode() == 0 || ferry.exitCode() == 1, what + "exit " + ferry.exitCode() + ", said:\n" + said);
            assertFalse(said.contains("fatal error has been detected"), what + "the JVM crashed:\n" + said);
            assertFalse(said.contains("\tat "), what + "a stack trace:\n" + said);
            if (ferry.exitCode() == 1) {
                last = said.strip().lines().reduce((a, b) -> b).orElse("");
                assertTrue(last.startsWith("ferry inspect: " + file.getFileName() + ": "), what + "the error names the file:\n" + said);
            }
            assertEquals(List.of(), ferry.childJvmsLeft(), what + "the reading JVM is gone");
            assertEquals(Set.of(), ferry.shmLeftovers(), what);
        }
        assertEquals(List.of(file.getFileName().toString()), names(work), what + "nothing else in the working directory");
        Files.delete(file);
        Files.delete(work);
        return last;
    }

    /// {@return `good` with damage made from `seed`}: bits flipped or a run of bytes zeroed (half
    /// the time in the metadata at the start, half anywhere), or the file cut short
    static byte[] damage(byte[] good, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] b = good.clone();
        int span = seed % 2 == 0 ? Math.min(METADATA_BYTES, b.length) : b.length;
        switch ((int) (seed % 3)) {
            case 0 -> {
                for (int i = 0; i < 8; i++) {
                    b[random.nextInt(span)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                int at = random.nextInt(span);
                Arrays.fill(b, at, Math.min(b.length, at + 1 + random.nextInt(64)), (byte) 0);
            }
            default -> b = Arrays.copyOf(b, random.nextInt(b.length));
        }
        return b;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /// {@return what the JVMs under test left in their temporary directory}
    private Set<String> readerDirs() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
