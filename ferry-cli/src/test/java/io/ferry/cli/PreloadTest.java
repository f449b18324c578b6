package io.ferry.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The classes [Preload] initialises are named by strings: a class renamed would make its step
/// fail in silence (its first use then does the work, late), so every name is checked here.
class PreloadTest {
    @Test
    void everyNamedClassExists() {
        for (String[] args : List.of(new String[]{"convert", "a.txt", "--json"}, new String[]{"share", "a.txt"},
                new String[]{"load", "a.txt", "-o", "a.npy"})) {
            List<String> classes = Preload.forCommand(args);
            assertTrue(!classes.isEmpty(), args[0]);
            for (String name : classes) {
                assertDoesNotThrow(() -> Class.forName(name, false, Preload.class.getClassLoader()), name);
            }
        }
    }

    @Test
    void eachCommandGetsWhatItWaitsFor() {
        assertEquals(List.of("io.ferry.hdf5.H5", "io.ferry.pipeline.UntouchedMemory", "io.ferry.cli.ExitLogger"),
                Preload.forCommand(new String[]{"convert", "a.txt", "-o", "a.h5"}));
        assertEquals(List.of("io.ferry.libc.Libc$Renameat2", "io.ferry.libc.Libc$CallState", "io.ferry.cli.ExitLogger"),
                Preload.forCommand(new String[]{"load", "a.txt", "-o", "a.npy"}));
        assertTrue(Preload.forCommand(new String[]{"convert", "a.txt", "--json"}).contains("io.ferry.libc.Libc$Poll"));
        assertEquals(List.of("io.ferry.libc.Libc$Poll", "io.ferry.cli.ExitLogger"), Preload.forCommand(new String[]{"share", "a.txt"}));
        assertEquals(List.of(), Preload.forCommand(new String[]{"inspect", "a.h5"}));
        assertEquals(List.of(), Preload.forCommand(new String[0]));
    }
}
