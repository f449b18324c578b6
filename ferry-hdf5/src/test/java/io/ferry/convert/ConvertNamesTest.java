package io.ferry.convert;

import io.ferry.FerryException;
import io.ferry.pipeline.ConversionResult;
import io.ferry.sample.MethylationTable;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// [Convert] putting datasets where the caller wants them: name templates, a group, folders as
/// inputs; h5py reads each dataset equal to `np.loadtxt` of its input.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class ConvertNamesTest {
    @TempDir
    Path dir;

    @Test
    void aFolderOfInputsGoesIntoAGroupByTheTemplateInNaturalOrder() throws Exception {
        Path s1 = Files.createDirectory(dir.resolve("s1"));
        MethylationTable.write(s1.resolve("chr10.txt"), 120, 1);
        MethylationTable.write(s1.resolve("chr2.txt.gz"), 80, 2, true);
        Path out = dir.resolve("out.h5");
        ConversionResult r = Convert.files(List.of(s1)).dtype(SAMPLE_DTYPE).names("{parent}_{index}/{stem}").group("calls")
                .workers(2).to(out);
        assertEquals(200, r.totalRows());
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as f:
                    for name, path in (('calls/s1_0/chr2', sys.argv[2]), ('calls/s1_1/chr10', sys.argv[3])):
                        d = f[name]
                        a = np.loadtxt(path, dtype=d.dtype, ndmin=1)
                        assert d[...].tobytes() == a.tobytes(), name
                        print(name, len(a))
                """, out.toString(), s1.resolve("chr2.txt.gz").toString(), s1.resolve("chr10.txt").toString());
        assertEquals("calls/s1_0/chr2 80\ncalls/s1_1/chr10 120\n", said);
    }

    @Test
    void namesThatClashAreRefusedBeforeAnyWork() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a")).resolve("x.txt");
        Path b = Files.createDirectories(dir.resolve("b")).resolve("x.txt");
        MethylationTable.write(a, 10, 1);
        MethylationTable.write(b, 10, 2);
        Path out = dir.resolve("out.h5");
        var e = assertThrows(FerryException.class, () -> Convert.files(List.of(a, b)).dtype(SAMPLE_DTYPE).to(out));
        assertEquals("inputs " + a + " and " + b + " would both become dataset /x; name them apart (a name template such as"
                + " {parent}/{stem}) or convert them in separate runs", e.getMessage());
        assertThrows(ConvertOptionException.class, () -> Convert.files(List.of(a)).names("{nope}"));
        assertFalse(Files.exists(out));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains("ferry-tmp")).toList());
        }
    }

    @Test
    void appendAddsToAFileH5pyWroteAndRefusesANameItHas() throws Exception {
        Path out = dir.resolve("theirs.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'w') as f:
                    f['old'] = np.arange(10, dtype='<i8')
                """, out.toString());
        Path a = dir.resolve("a.txt");
        MethylationTable.write(a, 300, 1);
        Convert.files(List.of(a)).dtype(SAMPLE_DTYPE).group("new").append(true).to(out);
        String said = PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'r') as f:
                    assert (f['old'][...] == np.arange(10)).all()
                    d = f['new/a']
                    assert d[...].tobytes() == np.loadtxt(sys.argv[2], dtype=d.dtype, ndmin=1).tobytes()
                    print(sorted(f.keys()), len(d))
                """, out.toString(), a.toString());
        assertEquals("['new', 'old'] 300\n", said);
        byte[] before = Files.readAllBytes(out);
        var e = assertThrows(FerryException.class, () -> Convert.files(List.of(a)).dtype(SAMPLE_DTYPE).group("new").append(true).to(out));
        assertEquals("input " + a + ": /new/a exists already in " + out + " (a dataset); appending adds datasets, it never"
                + " replaces anything: give the input another name", e.getMessage());
        assertThrows(ConvertOptionException.class, () -> Convert.files(List.of(a)).dtype(SAMPLE_DTYPE).append(true).overwrite(true).to(out));
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(Files.readAllBytes(out)));
    }

    /// A name through a named datatype (h5py's `f['ntype'] = np.dtype('i4')`): it was called a
    /// dataset (a tester found it).
    @Test
    void appendThroughANamedDatatypeSaysWhatItIs() throws Exception {
        Path out = dir.resolve("types.h5");
        PythonPeer.run("""
                import sys, h5py, numpy as np
                with h5py.File(sys.argv[1], 'w') as f:
                    f['ntype'] = np.dtype('i4')
                    f['d'] = np.arange(3)
                """, out.toString());
        Path a = dir.resolve("a.txt");
        MethylationTable.write(a, 10, 1);
        byte[] before = Files.readAllBytes(out);
        var through = assertThrows(FerryException.class,
                () -> Convert.files(List.of(a)).dtype(SAMPLE_DTYPE).names("ntype/y").append(true).to(out));
        assertEquals("input " + a + ": dataset /ntype/y needs /ntype to be a group, but in " + out + " it is a named"
                + " datatype", through.getMessage());
        var under = assertThrows(FerryException.class,
                () -> Convert.files(List.of(a)).dtype(SAMPLE_DTYPE).names("d/y").append(true).to(out));
        assertEquals("input " + a + ": dataset /d/y needs /d to be a group, but in " + out + " it is a dataset",
                under.getMessage());
        var on = assertThrows(FerryException.class,
                () -> Convert.files(List.of(a)).dtype(SAMPLE_DTYPE).names("ntype").append(true).to(out));
        assertTrue(on.getMessage().contains("/ntype exists already in " + out + " (a named datatype)"), on.getMessage());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(Files.readAllBytes(out)));
    }
}
