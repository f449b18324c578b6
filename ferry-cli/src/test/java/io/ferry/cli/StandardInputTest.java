package io.ferry.cli;

import io.ferry.sample.MethylationTable;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `-` as an input: `ferry convert` reading standard input, plain or gzip, in a pipeline as users
/// write one (bash, the launcher, a child JVM: the test JVM's own standard input is Maven's),
/// judged by h5py against `np.loadtxt` of the same text.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class StandardInputTest {
    @TempDir
    Path dir;

    /// {@return exit code and output of `script` run by bash in `dir`}, `./ferry` the launcher
    /// running the classes Maven compiled
    private Run bash(String script) throws Exception {
        Path work = dir.resolve("work");
        if (!Files.exists(work)) {
            work = ManyInputsTest.readmeWorkDir(dir);
        }
        ProcessBuilder b = new ProcessBuilder("bash", "-c", "set -o pipefail\n" + script).directory(work.toFile());
        b.environment().put("FERRY_CLASS_PATH", System.getProperty("java.class.path"));
        b.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = b.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end within 120 s: " + script);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8), work);
    }

    private record Run(int exit, String out, String err, Path work) {
    }

    @Test
    void aPlainPipeBecomesDatasetStdin() throws Exception {
        Path a = dir.resolve("a.txt");
        MethylationTable.write(a, 50_000, 1);
        Run r = bash("cat " + a + " | ./ferry convert - -o out.h5 --dtype " + SAMPLE_DTYPE + " --workers 2 -q");
        assertEquals(0, r.exit(), r.err());
        ManyInputsTest.assertDatasets(r.work().resolve("out.h5"), Map.of("stdin", a));
    }

    /// A negative usecols is counted in the first data row, which is read before the load: on
    /// standard input, which can be read once, that look used to take the first 256 KiB of the
    /// table (exit 0, rows lost, the first row cut). What the look read is now read again.
    @Test
    void aNegativeUsecolsOnStandardInputLosesNoRow() throws Exception {
        Path a = dir.resolve("a.txt");
        MethylationTable.write(a, 50_000, 1);
        Run r = bash("cat " + a + " | ./ferry convert - -o out.h5 --dtype pos:i4,t:i4 --usecols 1,-1 -q");
        assertEquals(0, r.exit(), r.err());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as f:
                    d = f['stdin'][...]
                x = np.loadtxt(sys.argv[2], dtype=[('pos', '<i4'), ('t', '<i4')], usecols=(1, -1))
                print(d.dtype == x.dtype and d.tobytes() == x.tobytes(), len(d))
                """, r.work().resolve("out.h5").toString(), a.toString());
        assertEquals("True 50000", said.strip());
    }

    @Test
    void gzipOnStandardInputIsReadByItsContentBesideFilesAndNamedByTheTemplate() throws Exception {
        Path a = dir.resolve("a.txt");
        Path b = dir.resolve("b.txt");
        MethylationTable.write(a, 20_000, 1);
        MethylationTable.write(b, 3_000, 2);
        Run r = bash("gzip -c " + a + " | ./ferry convert - " + b + " -o out.h5 --dtype " + SAMPLE_DTYPE
                + " --name 'x_{stem}' --group g --json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"result\""), r.out()); // --json runs to its end: standard input is data here
        ManyInputsTest.assertDatasets(r.work().resolve("out.h5"), Map.of("g/x_stdin", a, "g/x_b", b));
    }

    @Test
    void errorsNameStandardInputAndLeaveNothing() throws Exception {
        Run r = bash("printf 'chr1 1 0.5 1 1\\nchr1 x 0.5 1 1\\n' | ./ferry convert - -o out.h5 --dtype " + SAMPLE_DTYPE);
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: standard input:2:6: field 'pos' (2 of 5): 'x' is not an integer (<i4)\n", r.err());
        assertFalse(Files.exists(r.work().resolve("out.h5")));

        r = bash("./ferry convert - -o out.h5 --dtype " + SAMPLE_DTYPE + " --isolation process < /dev/null");
        assertEquals(64, r.exit(), r.err());
        assertEquals("ferry convert: --isolation process cannot read standard input (-): worker processes have their own;"
                + " use thread (the default)\n", r.err());
        r = bash("./ferry convert - - -o out.h5 --dtype " + SAMPLE_DTYPE + " --name '{index}' < /dev/null");
        assertEquals(1, r.exit(), r.err());
        assertEquals("ferry convert: standard input (-) is given more than once; it can be read only once\n", r.err());
        var list = bash("./ferry convert - --inputs-from - -o out.h5 --dtype " + SAMPLE_DTYPE + " < /dev/null");
        assertEquals(1, list.exit(), list.err());
        assertEquals("ferry convert: standard input (-) is given as an input and as --inputs-from's list; it can be"
                + " read only once\n", list.err());
        try (var s = Files.list(r.work())) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().contains("out.h5")).count());
        }
    }

    /// The README's section on standard input, run by bash as written.
    @Test
    void theReadmeSectionRunsAsWritten() throws Exception {
        Run r = bash(ManyInputsTest.readmeShell("### Standard input (`-`)"));
        assertEquals(0, r.exit(), r.out() + r.err());
        Path ex = r.work().resolve("examples");
        ManyInputsTest.assertDatasets(r.work().resolve("piped.h5"), Map.of("sample4", ex.resolve("sample4.txt.gz")));
    }
}
