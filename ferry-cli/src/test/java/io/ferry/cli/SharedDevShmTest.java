package io.ferry.cli;

import io.ferry.testing.OrdinaryUser;
import io.ferry.testing.PidNamespace;
import io.ferry.testing.Processes;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry` as users run it on a `/dev/shm` it shares with other users and other containers.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class SharedDevShmTest {
    private static final Path DEV_SHM = Path.of("/dev/shm");
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    /// An ordinary user's `ferry share`, as pid N of its container, finds a record and a segment of
    /// another user named as Ferry names those of pid N: it used to fail with "Operation not
    /// permitted"; now it shares under another tag, numpy reads it, and the planted files stay.
    @Test
    void shareBesideAnotherUsersNamesUnderItsPid() throws Exception {
        long pid = PidNamespace.randomPid();
        String tag = "fy" + Long.toString(pid, 36);
        Path plantedRecord = DEV_SHM.resolve(tag + ".pid");
        Path plantedSegment = DEV_SHM.resolve(tag + "_planted");
        byte[] recordBytes = ("pid=" + pid + " start=4242 pidns=pid:[4026531836]\n").getBytes(StandardCharsets.US_ASCII);
        byte[] segmentBytes = new byte[64];
        Path table = Files.writeString(dir.resolve("t.txt"), "chr1 100 0.5 3 4\nchr2 200 0.25 5 6\n");
        // Readable by the ordinary user as by anyone: its file access checks (access(2)) use no capabilities.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(table, PosixFilePermissions.fromString("rw-r--r--"));
        Process ferry = null;
        try {
            Files.write(plantedRecord, recordBytes, StandardOpenOption.CREATE_NEW);
            Files.write(plantedSegment, segmentBytes, StandardOpenOption.CREATE_NEW);
            try {
                Files.setAttribute(plantedRecord, "unix:uid", NOBODY);
                Files.setAttribute(plantedSegment, "unix:uid", NOBODY);
            } catch (IOException e) {
                Assumptions.abort("needs root to give a file to another user: " + e);
            }
            List<String> cmd = new ArrayList<>(OrdinaryUser.prefix());
            cmd.addAll(FerryJvm.javaCommand());
            cmd.addAll(List.of("share", table.toString(), "--dtype", "chr:S10,pos:i4,pct:f4,c:i4,t:i4"));
            Path err = dir.resolve("stderr.txt");
            ferry = new ProcessBuilder(PidNamespace.command(pid, cmd)).redirectError(err.toFile()).start();
            String handle;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(ferry.getInputStream(), StandardCharsets.UTF_8));
                 Writer in = ferry.outputWriter()) {
                handle = out.readLine();
                assertTrue(handle != null && handle.startsWith("{\"name\": \"fy"), handle + "; ferry said: " + Files.readString(err));
                String name = handle.substring(10, handle.indexOf('"', 10));
                assertTrue(name.startsWith(tag + "-") && name.length() <= 14, "another tag of pid " + pid + ": " + name);
                String said = PythonPeer.run("""
                        import sys, json, numpy as np
                        from multiprocessing.shared_memory import SharedMemory
                        from multiprocessing import resource_tracker
                        h = json.loads(sys.argv[1])
                        shm = SharedMemory(name=h["name"])
                        resource_tracker.unregister(shm._name, "shared_memory")
                        a = np.ndarray(tuple(h["shape"]), dtype=[tuple(f) for f in h["dtype"]], buffer=shm.buf)
                        print(a["chr"].tolist(), a["pos"].tolist())
                        del a
                        shm.close()
                        """, handle);
                assertEquals("[b'chr1', b'chr2'] [100, 200]", said.strip());
                in.write("done\n");
                in.flush();
                assertTrue(ferry.waitFor(60, TimeUnit.SECONDS), "ferry share ends after done");
                assertEquals(0, ferry.exitValue(), Files.readString(err));
                assertEquals("", Files.readString(err));
                assertFalse(ShmLeakCheck.exists(name), "unlinked after done");
            }
            assertArrayEquals(recordBytes, Files.readAllBytes(plantedRecord));
            assertArrayEquals(segmentBytes, Files.readAllBytes(plantedSegment));
            assertEquals(NOBODY, Files.getAttribute(plantedRecord, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals(Set.of(plantedRecord.getFileName().toString(), plantedSegment.getFileName().toString()),
                    ShmLeakCheck.filesOf(pid), "ferry's own record went at its exit; the planted files stay");
        } finally {
            if (ferry != null) {
                List<ProcessHandle> tree = ferry.toHandle().descendants().toList();
                ferry.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                for (ProcessHandle p : tree) {
                    assertTrue(Processes.awaitExit(p.pid(), Duration.ofSeconds(10)), "left running: " + p.info());
                }
            }
            for (String n : ShmLeakCheck.filesOf(pid)) {
                Files.deleteIfExists(DEV_SHM.resolve(n));
            }
        }
    }
}
