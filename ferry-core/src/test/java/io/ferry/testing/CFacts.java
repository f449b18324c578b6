package io.ferry.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/// What a C header says, as a program compiled against it prints it: the offsets and sizes of a
/// struct's fields, constants. A Java binding of a native library checks its own numbers against
/// these, so a moved field is named, not met as a crash.
public final class CFacts {
    private CFacts() {
    }

    /// Compiles `program` (which prints lines `name value`) with gcc in `dir` and runs it.
    /// {@return each name's value}
    /// Without `header` the test fails under CI (which installs it), and is skipped elsewhere.
    public static Map<String, Long> of(Path dir, Path header, String program) throws IOException {
        if (!Files.exists(header)) {
            String why = header + " is missing (.ci/run installs its package)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        Path source = Files.writeString(dir.resolve("facts.c"), program);
        Path binary = dir.resolve("facts");
        PythonPeer.Result cc = PythonPeer.exec(List.of("gcc", "-o", binary.toString(), source.toString()), dir, 60);
        assertEquals(0, cc.exit(), cc.toString());
        PythonPeer.Result run = PythonPeer.exec(List.of(binary.toString()), dir, 30);
        assertEquals(0, run.exit(), run.toString());
        Map<String, Long> facts = new HashMap<>();
        for (String line : run.stdout().strip().split("\n")) {
            String[] kv = line.split(" ");
            facts.put(kv[0], Long.parseLong(kv[1]));
        }
        return facts;
    }
}
