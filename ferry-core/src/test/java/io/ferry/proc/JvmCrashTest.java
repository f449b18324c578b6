package io.ferry.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.ferry.proc.TestWorkers.OPTIONS;
import static io.ferry.proc.TestWorkers.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A worker JVM that crashes writes its crash log to the temporary directory, never to the
/// working directory; and what a crash log says is read back in one line.
@org.junit.jupiter.api.Tag("process")
class JvmCrashTest {
    @AfterEach
    void noChildProcessesLeft() throws InterruptedException {
        TestWorkers.assertNoChildProcessesLeft();
    }

    /// A real crash: the child is given too little metaspace and told to crash when it runs out.
    @Test
    void aWorkersCrashLogGoesToTheTemporaryDirectory() throws Exception {
        List<String> crashing = new ArrayList<>(OPTIONS.jvmOptions());
        crashing.addAll(List.of("-XX:+CrashOnOutOfMemoryError", "-XX:MaxMetaspaceSize=2m", "-Xshare:off"));
        List<String> cwdBefore = logsIn(Path.of(""));
        long pid;
        String lastMessage;
        try (Worker w = Worker.start(TestTasks.Echo.class, "x", OPTIONS.withJvmOptions(crashing))) {
            pid = w.pid();
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> w.join(WAIT));
            assertEquals(6, e.signal().orElseThrow(), e.getMessage()); // the JVM aborts after writing its log
            lastMessage = e.getMessage();
        }
        Path log = JvmCrash.DEFAULT_LOG_DIR.resolve("ferry-hs_err_pid" + pid + ".log");
        try {
            assertTrue(Files.exists(log), log + " is where the crash log went; the child said: " + lastMessage);
            assertEquals(cwdBefore, logsIn(Path.of("")), "no crash log in the working directory");
            assertEquals("Internal Error", JvmCrash.read(Files.readAllLines(log, StandardCharsets.ISO_8859_1)).signal());
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void readsTheSignalTheFrameAndTheNativeCall() {
        JvmCrash crash = JvmCrash.read(List.of(
                "#",
                "# A fatal error has been detected by the Java Runtime Environment:",
                "#",
                "#  SIGSEGV (0xb) at pc=0x00007f2cb1a57833, pid=14621, tid=14622",
                "#",
                "# Problematic frame:",
                "# C  [libhdf5.so.310+0x1a2b3]  H5A__close+0x23",
                "#",
                "Java frames: (J=compiled Java code, j=interpreted, Vv=VM code)",
                "j  org.bytedeco.hdf5.global.hdf5.H5Aopen_by_idx(JLjava/lang/String;IIJJJ)J+0",
                "J 1143 c1 io.ferry.hdf5.H5.call(Ljava/lang/String;Ljava/util/function/LongSupplier;)J (62 bytes)",
                ""));
        assertEquals(new JvmCrash("SIGSEGV", "libhdf5.so.310+0x1a2b3  H5A__close+0x23", "org.bytedeco.hdf5.global.hdf5.H5Aopen_by_idx"),
                crash);
        assertEquals("SIGSEGV in libhdf5.so.310+0x1a2b3  H5A__close+0x23, during H5Aopen_by_idx", crash.describe());
        JvmCrash internal = JvmCrash.read(List.of("#  Internal Error (debug.cpp:289), pid=1, tid=2"));
        assertEquals("Internal Error", internal.describe());
        assertFalse(JvmCrash.read(List.of()).describe().isEmpty());
    }

    private static List<String> logsIn(Path dir) throws Exception {
        try (var s = Files.list(dir.toAbsolutePath())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains("hs_err")).sorted().toList();
        }
    }
}
