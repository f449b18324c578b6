package io.ferry.file;

import io.ferry.FerryException;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// Inputs refused before any work, saying what they are.
class InputFileTest {
    @TempDir
    Path dir;

    /// numpy opens `.bz2` and `.xz` by their names; Ferry read them as text, failed on the first
    /// value, and its hint (skip the header line) then gave an empty array: the whole compressed
    /// file is one line. Now each is refused by its first bytes, whatever its name.
    @Test
    void compressedFormatsFerryDoesNotReadAreRefusedByTheirFirstBytes() throws IOException {
        PythonPeer.run("""
                import sys, bz2, lzma, zipfile, os
                d = sys.argv[1]
                text = b"1 2\\n3 4\\n"
                open(os.path.join(d, "t.bz2"), "wb").write(bz2.compress(text))
                open(os.path.join(d, "empty.txt"), "wb").write(bz2.compress(b""))
                open(os.path.join(d, "t.xz"), "wb").write(lzma.compress(text))
                with zipfile.ZipFile(os.path.join(d, "t.zip"), "w") as z:
                    z.writestr("t.txt", text)
                print("made")
                """, dir.toString());
        for (String[] c : new String[][]{{"t.bz2", "bzip2"}, {"empty.txt", "bzip2"}, {"t.xz", "xz"}, {"t.zip", "zip"}}) {
            Path f = dir.resolve(c[0]);
            FerryException e = assertThrows(FerryException.class, () -> InputFile.checkReadable(f));
            assertEquals(f + ": is " + c[1] + "-compressed, which Ferry does not read (it reads plain text and gzip,"
                    + " bgzip's too); decompress it first, or recompress it with gzip", e.getMessage());
        }
    }

    /// An earlier conversion's output left among the inputs (a folder converted twice) was read as
    /// text, and the hint called its signature a header line to skip.
    @Test
    void anHdf5FileIsRefusedByItsSignature() {
        PythonPeer.run("""
                import sys, os, h5py
                with h5py.File(os.path.join(sys.argv[1], "out.txt"), "w") as f:
                    f["x"] = [1, 2, 3]
                print("made")
                """, dir.toString());
        Path f = dir.resolve("out.txt");
        FerryException e = assertThrows(FerryException.class, () -> InputFile.checkReadable(f));
        assertEquals(f + ": is an HDF5 file, not a text table (an earlier output among the inputs?); ferry inspect shows"
                + " what it holds", e.getMessage());
    }

    @Test
    void textThatStartsAsAMagicWordIsText() throws IOException {
        Path f = Files.writeString(dir.resolve("genes.txt"), "BZh91AY 1 2\nPK 3 4\n");
        assertDoesNotThrow(() -> InputFile.checkReadable(f));
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "B");
        assertDoesNotThrow(() -> InputFile.checkReadable(Files.writeString(dir.resolve("hdf.txt"), "\u0089HDF 1 2\n")));
        assertDoesNotThrow(() -> InputFile.checkReadable(tiny));
    }
}
