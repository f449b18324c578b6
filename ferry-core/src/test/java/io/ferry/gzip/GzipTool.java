package io.ferry.gzip;

import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/// GNU `gzip`, the reference the stream is judged by: it makes the members the tests damage, and
/// `gzip -t` says what it thinks of each damaged file. Under `CI=true` a missing `gzip` fails the
/// test; elsewhere it skips it.
final class GzipTool {
    private GzipTool() {
    }

    /// {@return `text` compressed by `gzip -c OPTIONS`}: one member
    static byte[] compress(byte[] text, String... options) throws IOException {
        Path in = Files.createTempFile("ferry-gzip", ".in");
        Path out = Files.createTempFile("ferry-gzip", ".gz");
        try {
            Files.write(in, text);
            List<String> cmd = new ArrayList<>(List.of("bash", "-c", "in=$1 out=$2; shift 2; gzip -c \"$@\" < \"$in\" > \"$out\"", "bash",
                    in.toString(), out.toString()));
            cmd.addAll(List.of(options));
            PythonPeer.Result r = run(cmd);
            if (r.exit() != 0) {
                fail("gzip -c failed: " + r.stderr());
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /// {@return the exit status of `gzip -t file`}: 0 good, 1 an error, 2 a warning
    /// ("trailing garbage ignored")
    static int test(Path file) throws IOException {
        return run(List.of("gzip", "-t", file.toString())).exit();
    }

    private static PythonPeer.Result run(List<String> cmd) throws IOException {
        PythonPeer.Result r;
        try {
            r = PythonPeer.exec(cmd, null, 60);
        } catch (IOException e) {
            r = new PythonPeer.Result(127, "", e.getMessage());
        }
        if (r.exit() == 127) {
            String why = "gzip is not installed: " + r.stderr().strip();
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return r;
    }
}
