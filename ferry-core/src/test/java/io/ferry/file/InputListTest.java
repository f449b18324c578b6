package io.ferry.file;

import io.ferry.FerryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Folders and list files as inputs, with the doc examples of `InputList`, `NaturalOrder` and
/// `StandardInput` as written there.
class InputListTest {
    @TempDir
    Path dir;

    @Test
    void docExamples() throws IOException {
        Files.writeString(dir.resolve("s10.txt"), "1\n");
        Files.writeString(dir.resolve("s2.txt"), "2\n");
        assertTrue(InputList.expand(List.of(dir)).equals(List.of(dir.resolve("s2.txt"), dir.resolve("s10.txt"))));

        List<String> names = new ArrayList<>(List.of("part10", "part2", "part1"));
        names.sort(NaturalOrder.NATURAL);   // part1, part2, part10
        assertEquals(List.of("part1", "part2", "part10"), names);

        assertTrue(StandardInput.is(Path.of("-")));
        assertTrue(!StandardInput.is(Path.of("./-")));
    }

    @Test
    void aFolderIsItsRegularFilesInNaturalOrderWithoutHiddenFilesOrSubfolders() throws IOException {
        Path f = Files.createDirectory(dir.resolve("calls"));
        for (String n : List.of("part10.txt", "part2.txt", "part1.txt", ".hidden.txt")) {
            Files.writeString(f.resolve(n), "1\n");
        }
        Files.createDirectory(f.resolve("sub"));
        Files.createSymbolicLink(f.resolve("part3.txt"), f.resolve("part1.txt"));
        Path alone = Files.writeString(dir.resolve("alone.txt"), "1\n");
        assertEquals(List.of(alone, f.resolve("part1.txt"), f.resolve("part2.txt"), f.resolve("part3.txt"), f.resolve("part10.txt"),
                Path.of("-")), InputList.expand(List.of(alone, f, Path.of("-"))));
    }

    /// A link to a file not there (a volume not mounted) or a named pipe in a folder was left out,
    /// and the run ended with exit 0 without its rows.
    @Test
    void aFolderEntryThatIsNoFileIsAnErrorNamingIt() throws IOException, InterruptedException {
        Path f = Files.createDirectory(dir.resolve("calls"));
        Files.writeString(f.resolve("part1.txt"), "1\n");
        Path broken = Files.createSymbolicLink(f.resolve("part2.txt"), dir.resolve("unmounted/part2.txt"));
        FerryException e = assertThrows(FerryException.class, () -> InputList.expand(List.of(f)));
        assertEquals(broken + ": is a symbolic link to " + dir.resolve("unmounted/part2.txt") + ", which does not exist;"
                + " restore the file, or remove the link", e.getMessage());
        Files.delete(broken);
        Path fifo = f.resolve("pipe.txt");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        e = assertThrows(FerryException.class, () -> InputList.expand(List.of(f)));
        assertTrue(e.getMessage().startsWith(fifo + ": is a named pipe"), e.getMessage());
    }

    @Test
    void anEmptyFolderIsAnErrorNamingIt() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve(".only-hidden"), "");
        var e = assertThrows(FerryException.class, () -> InputList.expand(List.of(empty)));
        assertEquals(empty + ": the folder holds no files to read", e.getMessage());
    }

    @Test
    void aListFileHasAPathALineWithBlankLinesAndCrlfSkipped() throws IOException {
        Path a = Files.writeString(dir.resolve("a b.txt"), "1\n");
        Path b = Files.writeString(dir.resolve("b.txt"), "1\n");
        Path list = Files.writeString(dir.resolve("list"), a + "\r\n\n   \n" + b + "\n");
        assertEquals(List.of(a, b), InputList.read(list));
        assertEquals(List.of(a, b), InputList.read(new ByteArrayInputStream((a + "\n" + b).getBytes(StandardCharsets.UTF_8)), "stdin"));
    }

    @Test
    void aMissingFileInTheListIsAnErrorNamingTheListAndTheLine() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "1\n");
        Path list = Files.writeString(dir.resolve("list"), a + "\n\n" + dir.resolve("gone.txt") + "\n");
        var e = assertThrows(FerryException.class, () -> InputList.read(list));
        assertEquals(list + ":3: " + dir.resolve("gone.txt") + ": no such file", e.getMessage());
        e = assertThrows(FerryException.class, () -> InputList.read(dir.resolve("nolist")));
        assertEquals(dir.resolve("nolist") + ": the list of inputs cannot be read: no such file", e.getMessage());
        Path blank = Files.writeString(dir.resolve("blank"), "\n\n");
        e = assertThrows(FerryException.class, () -> InputList.read(blank));
        assertEquals(blank + ": the list of inputs holds no paths", e.getMessage());
        Path dash = Files.writeString(dir.resolve("dash"), a + "\n-\n");
        e = assertThrows(FerryException.class, () -> InputList.read(dash));
        assertEquals(dash + ":2: '-' (standard input) cannot be listed as an input; give it on the command line", e.getMessage());
    }

    /// A name's spaces are kept (a name may have them), and hard to see: where the name without
    /// them is a file, the error says so.
    @Test
    void aMissingNameWithSpacesAroundItSaysTheNameWithoutThemExists() throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "1\n");
        Path list = Files.writeString(dir.resolve("list"), a + " \n");
        var e = assertThrows(FerryException.class, () -> InputList.read(list));
        assertEquals(list + ":1: " + a + " : no such file (white space around a listed name is kept as part of it; '"
                + a + "' exists)", e.getMessage());
        Path spaced = Files.writeString(dir.resolve("b.txt "), "1\n");
        assertEquals(List.of(spaced), InputList.read(Files.writeString(dir.resolve("list2"), spaced + "\n")),
                "a name that ends in a space is read as it is");
        Path gone = Files.writeString(dir.resolve("list3"), dir.resolve("gone.txt") + "\t\n");
        e = assertThrows(FerryException.class, () -> InputList.read(gone));
        assertEquals(gone + ":1: " + dir.resolve("gone.txt") + "\t: no such file", e.getMessage());
    }
}
