package io.ferry.array;

import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/// Floats print as Python prints them: a double as `repr(float)`, a float32 as numpy prints
/// `np.float32`; asked of Python and numpy themselves, for values of every size.
class PythonFormatTest {
    @Test
    void doublesPrintAsPythonsRepr() {
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 100.0, 9.09, 0.1, 1e-4, 9.999e-5, 1e-5,
                1e16, 9999999999999998.0, 1e15, 123456789012345.6, 1.5e300, -2.5e-300, Double.MIN_VALUE, Double.MAX_VALUE,
                5e-324, 0.001, 12.5, 1234567.0));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            values.add(Double.longBitsToDouble(r.nextLong()));
            values.add(Math.scalb(r.nextDouble() - 0.5, r.nextInt(-70, 70)));
            values.add((double) r.nextInt(-100_000, 100_000) / 100);
        }
        values.removeIf(d -> Double.isNaN(d) || Double.isInfinite(d));
        StringBuilder script = new StringBuilder("import struct, sys\nfor h in open(sys.argv[1]).read().split():\n"
                + "    print(repr(struct.unpack('<d', bytes.fromhex(h))[0]))\n");
        StringBuilder input = new StringBuilder();
        for (double d : values) {
            input.append(hex(Long.reverseBytes(Double.doubleToRawLongBits(d)), 16)).append('\n');
        }
        List<String> python = pythonOn(script.toString(), input.toString()).lines().toList();
        for (int i = 0; i < values.size(); i++) {
            assertEquals(python.get(i), PythonFormat.doubleRepr(values.get(i)), "bits " + Double.doubleToRawLongBits(values.get(i)));
        }
    }

    @Test
    void floatsPrintAsNumpyPrintsFloat32() {
        List<Float> values = new ArrayList<>(List.of(0f, -0f, 1f, 100f, 9.09f, 16f, 0.1f, 1e-4f, 1e-5f, 1e16f, 3.4e38f,
                Float.MIN_VALUE, 1.17549435e-38f, 1234567.0f, 16777216f, 0.001f));
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < 3000; i++) {
            values.add(Float.intBitsToFloat(r.nextInt()));
            values.add((float) Math.scalb(r.nextDouble() - 0.5, r.nextInt(-60, 60)));
            values.add((float) r.nextInt(-100_000, 100_000) / 100);
        }
        values.removeIf(f -> Float.isNaN(f) || Float.isInfinite(f));
        String script = "import numpy as np, sys\nfor h in open(sys.argv[1]).read().split():\n"
                + "    print(str(np.frombuffer(bytes.fromhex(h), '<f4')[0]))\n";
        StringBuilder input = new StringBuilder();
        for (float f : values) {
            input.append(hex(Integer.reverseBytes(Float.floatToRawIntBits(f)) & 0xffffffffL, 8)).append('\n');
        }
        PythonPeer.require("numpy");
        List<String> numpy = pythonOn(script, input.toString()).lines().toList();
        for (int i = 0; i < values.size(); i++) {
            assertEquals(numpy.get(i), PythonFormat.floatRepr(values.get(i)), "bits " + Float.floatToRawIntBits(values.get(i)));
        }
    }

    /// {@return what `script` prints given a file holding `input` as its argument}
    private static String pythonOn(String script, String input) {
        try {
            Path in = Files.createTempFile("ferry-floats", ".txt");
            try {
                Files.writeString(in, input);
                return PythonPeer.run(script, in.toString());
            } finally {
                Files.delete(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(long v, int digits) {
        String h = Long.toHexString(v);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }
}
