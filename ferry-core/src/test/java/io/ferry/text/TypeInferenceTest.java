package io.ferry.text;

import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Kinds chosen as np.genfromtxt(dtype=None) chooses them, with Ferry's fixed sizes.
class TypeInferenceTest {
    @TempDir
    Path dir;

    private DType infer(String text, LoadOptions o, int size) throws IOException {
        Path f = Files.writeString(dir.resolve("t" + text.hashCode() + ".txt"), text);
        return TypeInference.sample(List.of(f), o, size).dtype(o.useCols());
    }

    @Test
    void kindsPerColumn() throws IOException {
        assertEquals(DType.parse("f0:S8,f1:i8,f2:f8,f3:i8"),
                infer("# c\nchr1 10 1.5 -3\nchrX 12 nan +4\n\nchr10 -7 1e5 0\n", LoadOptions.DEFAULT, 0));
        assertEquals(DType.parse("f8"), infer("1.0 2.5\n3 inf\n", LoadOptions.DEFAULT, 0), "one number type: a grid");
        assertEquals(DType.parse("f0:i8,f1:f8"), infer("1 2.5\n3 inf\n", LoadOptions.DEFAULT, 0), "kinds by column, as genfromtxt");
        assertEquals(DType.parse("i8"), infer("1 2\n3 4\n", LoadOptions.DEFAULT, 0));
        assertEquals(DType.parse("f0:f8,f1:S24"), infer("1 True\n99999999999999999999 averyveryverylong\n", LoadOptions.DEFAULT, 0),
                "past int64 is a float; True is text for Ferry");
        assertEquals(DType.parse("f0:S32,f1:i8"), infer("a 1\nb 2\n", LoadOptions.DEFAULT, 32));
        assertEquals(DType.parse("f0:i8,f1:S8,f2:i8"), infer("1,,3\n4,5,6\n", LoadOptions.builder().delimiter(',').build(), 0),
                "an empty field is text");
        assertEquals(DType.parse("f0:S8,f1:f8"), infer("skip me\n1.5 a\n", LoadOptions.builder().skipRows(1).useCols(1, 0).build(), 0),
                "usecols picks and orders the columns");
    }

    /// With max_rows the run reads the first rows only: a footer past them (`total NA`) made a
    /// number column text (exit 0, the numbers stored as strings), where genfromtxt(max_rows=2)
    /// reads int64. A big file is then not sampled inside or at its end either.
    @Test
    void maxRowsBoundsTheSample() throws IOException {
        LoadOptions two = LoadOptions.builder().maxRows(2).build();
        assertEquals(DType.parse("f0:S8,f1:i8"), infer("chr1 1\n# c\n\nchr2 2\ntotal NA\n", two, 0));
        assertEquals(DType.parse("i8"), infer("1 2\n3 4\nx y\n", two, 0));
        Path f = dir.resolve("footer.txt");
        try (Writer w = Files.newBufferedWriter(f)) {
            for (int i = 0; i < 700_000; i++) {
                w.write(i + " " + (i > 600_000 ? "x" : "1") + "\n");
            }
        }
        assertEquals(DType.parse("i8"), TypeInference.sample(List.of(f), LoadOptions.builder().maxRows(1000).build(), 0)
                .dtype(null));
    }

    @Test
    void aBigPlainFileIsSampledInsideAndAtItsEndToo() throws IOException {
        Path f = dir.resolve("big.txt");
        try (Writer w = Files.newBufferedWriter(f)) {
            for (int i = 0; i < 700_000; i++) {
                w.write(i + " " + (i == 370_000 ? "x" : Integer.toString(i % 7)) + " " + (i == 699_999 ? "0.5" : "1") + "\n");
            }
        }
        assertTrue(Files.size(f) > 4L * TypeInference.SAMPLE_BYTES);
        TypeInference t = TypeInference.sample(List.of(f), LoadOptions.DEFAULT, 0);
        assertEquals(DType.parse("f0:i8,f1:S8,f2:f8"), t.dtype(null));
        assertTrue(t.rows() > 100_000 && t.rows() < 400_000, "three samples of 1 MiB: " + t.rows());
    }
}
