package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A NUL in a name or a string attribute's value, given to the writer: HDF5 took the text up to
/// it, and the write returned normally (a tester read `units = 'm'` back for
/// `attribute("units\0secret", "m\0hidden")`, a dataset `x` for `x\0y`). Each is refused, naming
/// it, and the writer goes on as if it had not been asked.
class CStringsTest {
    private static final DType DT = DType.parse("f8");

    @TempDir
    Path dir;

    /// [CStrings]'s doc example, as written there.
    @Test
    void docExample() {
        try {
            CStrings.checkName("dataset", "x\0y");
            assert false;
        } catch (IllegalArgumentException e) {
            assertEquals("dataset name 'x\\0y' holds a NUL character, which HDF5 names cannot", e.getMessage());
        }
        CStrings.checkName("dataset", "x/y");
    }

    @Test
    void namesAndValuesWithANulAreRefusedAndNothingOfThemIsWritten() {
        Path out = dir.resolve("attr.h5");
        try (Hdf5Writer w = Hdf5Writer.create(out, WriteOptions.builder().overwrite(true).build());
             Arena arena = Arena.ofConfined()) {
            refused("attribute name 'units\\0secret' holds a NUL character, which HDF5 names cannot",
                    () -> w.attribute("units\0secret", "m"));
            refused("attribute name 'n\\0' holds a NUL character", () -> w.attribute("n\0", 1L));
            refused("attribute name 'd\\0' holds a NUL character", () -> w.attribute("d\0", 1.5));
            refused("attribute 'units': its value holds a NUL character (at index 1 of 8), which a string attribute"
                    + " cannot: HDF5's variable-length strings end at the first NUL", () -> w.attribute("units", "m\0hidden"));
            refused("dataset name 'x\\0y' holds a NUL character", () -> w.dataset("x\0y", DT));
            refused("dataset name 'g\\0h/x' holds a NUL character", () -> w.dataset("g\0h/x", DT));
            refused("attribute 'source': its value holds a NUL character", () -> w.dataset("s", "in\0put.txt", DT));
            refused("link name 'l\\0' holds a NUL character", () -> w.softLink("l\0", "/z"));
            refused("link target name '/z\\0w' holds a NUL character", () -> w.softLink("l", "/z\0w"));
            refused("dataset name 'v\\0' holds a NUL character", () -> w.virtualDataset("v\0", DT, List.of()));

            DatasetWriter d = w.dataset("z", DT);        // the writer goes on
            d.append(NdArray.allocate(DT, arena, 2));
            refused("attribute name 'a\\0b' holds a NUL character", () -> d.attribute("a\0b", "c"));
            refused("attribute 'a': its value holds a NUL character (at index 1 of 3)", () -> d.attribute("a", "c\0d"));
            refused("attribute name 'n\\0' holds a NUL character", () -> d.attribute("n\0", 1L));
            w.attribute("units", "m");
            w.commit();
        }
        try (Hdf5File f = Hdf5File.open(out)) {
            assertEquals(List.of("z"), f.datasets().stream().map(DatasetInfo::name).toList());
            assertEquals("m", f.attributes().get("units"));
            assertEquals(List.of("created", "ferry_version", "units"), f.attributes().keySet().stream().sorted().toList());
            Map<String, Object> z = f.dataset("z").attributes();
            assertEquals(List.of("dtype", "ferry_version", "rows"), z.keySet().stream().sorted().toList());
            assertEquals(2L, z.get("rows"));
        }
    }

    private static void refused(String start, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
