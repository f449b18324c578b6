package io.ferry.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/// Runs Debian's `/usr/bin/python3` (with numpy, h5py, pandas) as the real peer Ferry is tested
/// against. Under `CI=true` a missing peer fails the test; elsewhere it skips it with the reason.
public final class PythonPeer {
    /// The Python the peers run: Debian's, with numpy and h5py
    public static final String PYTHON = System.getProperty("ferry.python", "/usr/bin/python3");

    private PythonPeer() {
    }

    /// Makes sure python3 can import `modules`, or fails (CI) / skips (elsewhere) saying which is missing.
    public static void require(String... modules) {
        String imports = modules.length == 0 ? "pass" : "import " + String.join(", ", modules);
        Result r;
        try {
            r = exec(List.of(PYTHON, "-c", imports), null, 60);
        } catch (IOException e) {
            r = new Result(127, "", e.getMessage());
        }
        if (r.exit != 0) {
            String why = PYTHON + " cannot import " + String.join(", ", modules) + ": " + r.stderr.strip()
                    + " (install python3-numpy python3-h5py python3-pandas hdf5-tools; .ci/run does)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
    }

    /// Runs a Python script and returns its standard output; fails the test with stderr on a non-zero exit.
    public static String run(String script, String... args) {
        require();
        try {
            Path f = Files.createTempFile("ferry-peer", ".py");
            try {
                Files.writeString(f, script);
                List<String> cmd = new ArrayList<>(List.of(PYTHON, f.toString()));
                cmd.addAll(List.of(args));
                Result r = exec(cmd, null, 600);
                if (r.exit != 0) {
                    fail("python3 exited " + r.exit + ":\n" + r.stderr + "\nscript:\n" + script);
                }
                return r.stdout;
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run python3", e);
        }
    }

    /// Runs a command (h5dump, say) and returns its result without judging it.
    public static Result exec(List<String> command, Path dir, int timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Path out = Files.createTempFile("ferry-peer", ".out");
        Path err = Files.createTempFile("ferry-peer", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /// A finished command: exit code, standard output, standard error.
    public record Result(int exit, String stdout, String stderr) {
    }
}
