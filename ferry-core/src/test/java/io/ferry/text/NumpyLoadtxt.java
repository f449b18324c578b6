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
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/// Runs the real `np.loadtxt(file, dtype=…, ndmin=1, **kwargs)` on many cases in one Python process
/// and holds Ferry to its answer: the same `tobytes()` and shape, or, where numpy raises, a refusal
/// that names the file and line ([TextParseException]) or, for options numpy rejects, an
/// [IllegalArgumentException] from the options themselves.
final class NumpyLoadtxt {
    private static final String SCRIPT = """
            import sys, json, warnings
            import numpy as np
            for line in open(sys.argv[1], encoding='utf-8'):
                file, dtype, kwargs, out, warn = line.rstrip('\\n').split('\\t')
                dt = json.loads(dtype)
                if isinstance(dt, list):
                    dt = [tuple(f) for f in dt]
                try:
                    with warnings.catch_warnings():
                        # 'error' is numpy as its own tests run it: a deprecated cast is an error
                        warnings.simplefilter(warn)
                        warnings.filterwarnings('ignore', message='loadtxt: input contained no data')
                        a = eval('np.loadtxt(file, dtype=dt, ndmin=1%s)' % (', ' + kwargs if kwargs else ''))
                    open(out, 'wb').write(a.tobytes())
                    print('OK', *a.shape)
                except Exception as e:
                    print('ERR', type(e).__name__, str(e).replace('\\n', ' '))
            """;

    /// What Ferry must do with a case.
    enum Expect {
        /// numpy's bytes and shape
        SAME,
        /// numpy raises; Ferry throws a [TextParseException] naming the file and [Case#line()]
        REFUSED,
        /// numpy gives values Ferry does not (a documented difference); Ferry refuses as for [#REFUSED]
        REFUSED_BY_FERRY,
        /// numpy raises on these options; Ferry's options (or loader) refuse them with an
        /// [IllegalArgumentException] before reading
        OPTIONS_REFUSED
    }

    /// One call of loadtxt: `kwargs` in Python (`delimiter='\\t', usecols=(0, 2)`, ASCII only: escape
    /// the rest) and the same in Ferry's options, built when the case runs.
    ///
    /// @param line for [Expect#REFUSED], the line Ferry's error must name (0: any)
    /// @param numpyWarningsAreErrors run numpy with its warnings as errors, as numpy's own tests
    ///        do where a deprecated behaviour is what they refuse
    record Case(String name, Path file, DType dtype, String kwargs, Supplier<LoadOptions> options, Expect expect,
                long line, boolean numpyWarningsAreErrors) {
        Case(String name, Path file, DType dtype, String kwargs, LoadOptions options) {
            this(name, file, dtype, kwargs, () -> options, Expect.SAME, 0, false);
        }
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
                    .append(dir.resolve("out" + i + ".bin")).append('\t')
                    .append(c.numpyWarningsAreErrors() ? "error" : "ignore").append('\n');
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

    /// Runs every case with Ferry and numpy and fails with the list of cases where Ferry does not
    /// do what the case expects.
    static void assertAsNumpy(List<Case> cases, Path dir) throws IOException {
        List<Answer> answers = run(cases, dir);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String f = check(cases.get(i), answers.get(i));
            if (f != null) {
                failures.add(cases.get(i).name() + ": " + f);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " cases differ from numpy:\n" + String.join("\n", failures));
        }
    }

    /// {@return what is wrong with Ferry's answer to `c`, or null}
    private static String check(Case c, Answer numpy) {
        LoadOptions options;
        try {
            options = c.options().get();
        } catch (IllegalArgumentException e) {
            if (c.expect() == Expect.OPTIONS_REFUSED) {
                return numpy.error() != null ? null : "numpy accepts these options, Ferry refused them: " + e.getMessage();
            }
            return "Ferry refused the options: " + e.getMessage();
        }
        if ((c.expect() == Expect.REFUSED || c.expect() == Expect.OPTIONS_REFUSED) && numpy.error() == null) {
            return "numpy did not refuse it (shape " + Arrays.toString(numpy.shape()) + ")";
        }
        if ((c.expect() == Expect.SAME || c.expect() == Expect.REFUSED_BY_FERRY) && numpy.error() != null) {
            return "numpy failed: " + numpy.error();
        }
        try (Arena arena = Arena.ofConfined()) {
            NdArray x = TextLoader.of(c.dtype(), options).load(c.file(), arena);
            if (c.expect() != Expect.SAME) {
                return "Ferry loaded shape " + Arrays.toString(x.shape()) + " where numpy refused: " + numpy.error();
            }
            byte[] mine = x.segment().asSlice(0, x.byteSize()).toArray(ValueLayout.JAVA_BYTE);
            if (!Arrays.equals(numpy.bytes(), mine)) {
                return "bytes differ\n  numpy " + hex(numpy.bytes()) + "\n  ferry " + hex(mine);
            }
            if (!Arrays.equals(numpy.shape(), x.shape())) {
                return "shape numpy " + Arrays.toString(numpy.shape()) + " ferry " + Arrays.toString(x.shape());
            }
            return null;
        } catch (TextParseException e) {
            if (c.expect() == Expect.SAME) {
                return "Ferry refused it: " + e.getMessage();
            }
            if (c.expect() == Expect.OPTIONS_REFUSED) {
                return "Ferry accepted the options and refused the text: " + e.getMessage();
            }
            String where = c.file() + ":" + (c.line() > 0 ? c.line() + ":" : "");
            if (!e.getMessage().startsWith(where) || e.line() < 1 || (c.line() > 0 && e.line() != c.line())) {
                return "Ferry's error does not name " + where + ": " + e.getMessage();
            }
            return null;
        } catch (IllegalArgumentException e) {
            return c.expect() == Expect.OPTIONS_REFUSED ? null : "Ferry threw " + e;
        } catch (IOException | RuntimeException e) {
            return "Ferry threw " + e;
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
