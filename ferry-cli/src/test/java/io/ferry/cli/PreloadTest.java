package io.ferry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The classes [Preload] initialises are named by strings: a class renamed would make its step
/// fail in silence (its first use then does the work, late), so every name is checked here.
class PreloadTest {
    @Test
    void everyNamedClassExists(@TempDir Path dir) {
        for (String[] args : List.of(new String[]{"convert", dir.toString(), "--json"}, new String[]{"share", "a.txt"},
                new String[]{"load", "a.txt", "-o", "a.npy"}, new String[]{"serve"})) {
            List<String> classes = Preload.forCommand(args);
            assertTrue(!classes.isEmpty(), args[0]);
            for (String name : classes) {
                assertDoesNotThrow(() -> Class.forName(name, false, Preload.class.getClassLoader()), name);
            }
        }
    }

    @Test
    void eachCommandGetsWhatItWaitsFor(@TempDir Path dir) {
        assertEquals(List.of("io.ferry.hdf5.H5", "io.ferry.pipeline.UntouchedMemory", "io.ferry.cli.ExitLogger"),
                Preload.forCommand(new String[]{"convert", dir.toString(), "-o", "a.h5"}));
        assertEquals(List.of("java.lang.foreign.ValueLayout", "io.ferry.cli.ExitLogger"),
                Preload.forCommand(new String[]{"load", "a.txt", "-o", "a.npy"}));
        assertTrue(Preload.forCommand(new String[]{"convert", "a.txt", "--json"}).contains("io.ferry.libc.Libc$Poll"));
        assertEquals(List.of("java.lang.foreign.ValueLayout", "io.ferry.libc.Libc$Poll", "io.ferry.cli.ExitLogger"),
                Preload.forCommand(new String[]{"share", "a.txt"}));
        assertEquals(List.of("java.lang.foreign.ValueLayout", "io.ferry.cli.ExitLogger"), Preload.forCommand(new String[]{"serve"}));
        assertEquals(List.of(), Preload.forCommand(new String[]{"inspect", "a.h5"}));
        assertEquals(List.of(), Preload.forCommand(new String[0]));
    }

    /// A conversion of small inputs takes its slot pool as plain zeroed memory, with no `mmap` to
    /// link: nothing to preload but HDF5. Whatever may hold more (a folder, standard input, a list
    /// of inputs, inputs over the bound) gets the pool's `mmap` preloaded.
    @Test
    void onlyAConversionOfSmallInputsGoesWithoutTheSlotPoolsMmap(@TempDir Path dir) throws IOException {
        Path small = Files.write(dir.resolve("small.txt"), new byte[(int) Preload.SMALL_INPUTS_BYTES / 2]);
        Path big = Files.write(dir.resolve("big.txt"), new byte[(int) Preload.SMALL_INPUTS_BYTES + 1]);
        String pool = "io.ferry.pipeline.UntouchedMemory";
        assertEquals(List.of("io.ferry.hdf5.H5", "io.ferry.cli.ExitLogger"),
                Preload.forCommand(new String[]{"convert", small.toString(), "-o", dir.resolve("x.h5").toString(), "--dtype", "f8"}));
        assertFalse(Preload.forCommand(new String[]{"convert", small.toString(), small.toString()}).contains(pool));
        // an output a former run made large is not an input
        assertFalse(Preload.forCommand(new String[]{"convert", small.toString(), "-o", big.toString()}).contains(pool));
        assertFalse(Preload.forCommand(new String[]{"convert", "--output", big.toString(), small.toString()}).contains(pool));
        for (String[] large : List.of(new String[]{"convert", big.toString()}, new String[]{"convert", small.toString(), small.toString(), small.toString()},
                new String[]{"convert", dir.toString()}, new String[]{"convert", "-"},
                new String[]{"convert", "--inputs-from", small.toString()}, new String[]{"convert", "--inputs-from=" + small})) {
            assertTrue(Preload.forCommand(large).contains(pool), String.join(" ", large));
        }
    }

    /// A load links the swap that puts its output in place only where it may be used: a large
    /// output over an existing file. A new output is renamed; small inputs make a small output.
    @Test
    void aLoadLinksTheSwapOnlyForALargeOutputOverAFile(@TempDir Path dir) throws IOException {
        Path small = Files.write(dir.resolve("small.txt"), new byte[16]);
        Path big = Files.write(dir.resolve("big.txt"), new byte[(int) Preload.SMALL_INPUTS_BYTES + 1]);
        Path there = Files.write(dir.resolve("there.npy"), new byte[1]);
        String fresh = dir.resolve("new.npy").toString();
        List<String> swap = List.of("java.lang.foreign.ValueLayout", "io.ferry.libc.Libc$Renameat2", "io.ferry.libc.Libc$CallState",
                "io.ferry.cli.ExitLogger");
        for (String[] args : List.of(new String[]{"load", big.toString(), "-o", there.toString(), "--force"},
                new String[]{"load", big.toString(), "--output", there.toString()}, new String[]{"load", big.toString(), "--output=" + there},
                new String[]{"load", big.toString(), "-o" + there}, new String[]{"load", "-", "-o", there.toString()},
                new String[]{"load", big.toString()})) {
            assertEquals(swap, Preload.forCommand(args), String.join(" ", args));
        }
        for (String[] args : List.of(new String[]{"load", big.toString(), "-o", fresh}, new String[]{"load", big.toString(), "--output=" + fresh},
                new String[]{"load", small.toString(), "-o", there.toString(), "--force"}, new String[]{"load", big.toString(), "-o", dir.toString()})) {
            assertEquals(List.of("java.lang.foreign.ValueLayout", "io.ferry.cli.ExitLogger"), Preload.forCommand(args), String.join(" ", args));
        }
    }
}
