package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.testing.PythonPeer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/// Runs the real `np.loadtxt(file, dtype=…, ndmin=1, **kwargs)` on many cases in one Python process
/// and compares its `tobytes()` with Ferry's bytes for the same file and options.
final class NumpyLoadtxt {
    private static final String SCRIPT = """
            import sys, json, warnings
            import numpy as np
            warnings.simplefilter('ignore')
            for line in open(sys.argv[1], encoding='utf-8'):
                file, dtype, kwargs, out = line.rstrip('\\n').split('\\t')
                dt = json.loads(dtype)
                if isinstance(dt, list):
                    dt = [tuple(f) for f in dt]
                try:
                    a = eval('np.loadtxt(file, dtype=dt, ndmin=1%s)' % (', ' + kwargs if kwargs else ''))
                    open(out, 'wb').write(a.tobytes())
                    print('OK', *a.shape)
                except Exception as e:
                    print('ERR', type(e).__name__, str(e).replace('\\n', ' '))
            """;

    /// One call of loadtxt: `kwargs` in Python (`delimiter='\\t', usecols=(0, 2)`) and the same in Ferry's options.
    record Case(String name, Path file, DType dtype, String kwargs, LoadOptions options) {
    }

    /// numpy's answer: bytes and shape, or its error.
    record Answer(byte[] bytes, long[] shape, String error) {
    }

    private NumpyLoadtxt() {
    }

    static List<Answer> run(List<Case> cases, Path dir) throws IOException {
        PythonPeer.require("numpy");
        Path spec = dir.resolve("cases.tsv");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            s.append(c.file()).append('\t').append(c.dtype().descrJson()).append('\t').append(c.kwargs()).append('\t')
                    .append(dir.resolve("out" + i + ".bin")).append('\n');
        }
        Files.writeString(spec, s);
        String[] lines = PythonPeer.run(SCRIPT, spec.toString()).split("\n");
        assertEquals(cases.size(), lines.length, "one answer per case");
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String[] w = lines[i].split(" ");
            if (w[0].equals("OK")) {
                long[] shape = Arrays.stream(w).skip(1).mapToLong(Long::parseLong).toArray();
                answers.add(new Answer(Files.readAllBytes(dir.resolve("out" + i + ".bin")), shape, null));
            } else {
                answers.add(new Answer(null, null, lines[i].substring(4)));
            }
        }
        return answers;
    }

    /// Loads every case with Ferry and numpy and asserts equal bytes (and shapes, but for numpy's
    /// `(columns,)` for a one-row plain table, which Ferry keeps as `(1, columns)`).
    static void assertSameAsNumpy(List<Case> cases, Path dir) throws IOException {
        List<Answer> answers = run(cases, dir);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Answer a = answers.get(i);
            if (a.error() != null) {
                failures.add(c.name() + ": numpy failed: " + a.error());
                continue;
            }
            try (Arena arena = Arena.ofConfined()) {
                NdArray x = TextLoader.of(c.dtype(), c.options()).load(c.file(), arena);
                byte[] mine = x.segment().toArray(ValueLayout.JAVA_BYTE);
                if (!Arrays.equals(a.bytes(), mine)) {
                    failures.add(c.name() + ": bytes differ\n  numpy " + hex(a.bytes()) + "\n  ferry " + hex(mine));
                }
                long[] expected = a.shape();
                if (!c.dtype().isStructured() && expected.length == 1 && x.ndim() == 2 && x.length() == 1) {
                    expected = new long[]{1, expected[0]};
                }
                if (!Arrays.equals(expected, x.shape())) {
                    failures.add(c.name() + ": shape numpy " + Arrays.toString(expected) + " ferry "
                            + Arrays.toString(x.shape()));
                }
            } catch (RuntimeException e) {
                failures.add(c.name() + ": ferry threw " + e);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " cases differ from numpy:\n" + String.join("\n", failures));
        }
    }

    static String hex(byte[] b) {
        String h = HexFormat.of().formatHex(b, 0, Math.min(b.length, 200));
        return b.length > 200 ? h + "... (" + b.length + " bytes)" : h;
    }

    static void assertBytes(byte[] expected, NdArray actual) {
        assertArrayEquals(expected, actual.segment().toArray(ValueLayout.JAVA_BYTE));
    }
}
