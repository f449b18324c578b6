package io.ferry.cli;

import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/// The Python package's own tests (`python/tests`, pytest), run by `./test` and so by CI once
/// `ferry-cli/target/ferry.jar` is packaged: they drive the real `./ferry` launcher from
/// `/usr/bin/python3` with numpy and h5py. Under `CI=true` a missing pytest, numpy or h5py fails
/// this test; elsewhere it is skipped with the reason. pytest's output is in the failure message.
class PythonPackageIT {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize().toAbsolutePath();
    private static final String PYTHON = System.getProperty("ferry.python", "/usr/bin/python3");

    @Test
    void pytestPasses() throws IOException, InterruptedException {
        PythonPeer.require("pytest", "numpy", "h5py");
        Path log = Files.createTempFile("ferry-pytest", ".log");
        // pytest's own default (/tmp/pytest-of-USER) keeps the last three runs' folders: 600 MB of
        // generated inputs left behind by every run. Here they go when the run ends.
        Path basetemp = Files.createTempDirectory("ferry-pytest");
        try {
            List<String> cmd = new ArrayList<>(List.of(PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "--basetemp=" + basetemp, "python/tests"));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("FERRY_HOME", ROOT.toString());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("pytest did not finish in 30 minutes:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            String said = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(said);
            if (p.exitValue() != 0) {
                fail("pytest exited " + p.exitValue() + ":\n" + said);
            }
        } finally {
            Files.deleteIfExists(log);
            deleteTree(basetemp);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
