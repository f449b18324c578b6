package io.ferry.cli;

import io.ferry.testing.Checkout;
import io.ferry.testing.PythonPeer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A README example of the form "a `ferry` command, then what it prints or a Python check", run as
/// a user runs it in the checkout: in a copy of that place (`DIR/examples/…`).
final class ReadmeExample {
    private ReadmeExample() {
    }

    /// {@return the README from the comment `<!-- MARKER` on}, such as `grid example`
    static String section(String marker) throws IOException {
        String readme = Files.readString(Checkout.ROOT.resolve("README.md"));
        return readme.substring(readme.indexOf("<!-- " + marker));
    }

    /// A README example of a `ferry` command (its `sh` block) and a Python check of what it wrote
    /// (the `python` block after).
    record WithPython(String command, String python) {
    }

    /// {@return the example after the comment `<!-- MARKER`}; fails when there is none
    static WithPython withPython(String marker) throws IOException {
        String section = section(marker);
        Matcher sh = Pattern.compile("```sh\\n\\s*(.*?)\\n\\s*```", Pattern.DOTALL).matcher(section);
        Matcher py = Pattern.compile("```python\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(sh.find() && py.find(), "no " + marker + " in the README");
        return new WithPython(sh.group(1), py.group(1));
    }

    /// Runs `command` (`ferry convert examples/calls.tsv -o calls.h5 …`, as the README writes it)
    /// in `dir`, with `examples/EXAMPLE` copied there: names under `examples/` and `.h5` names
    /// are taken in `dir`. {@return what it printed and its exit code}
    static ShmCommandsTest.Run runIn(Path dir, String example, String command) throws IOException {
        Files.copy(Checkout.EXAMPLES.resolve(example), Files.createDirectory(dir.resolve("examples")).resolve(example));
        List<String> args = new ArrayList<>(Arrays.asList(command.strip().split("\\s+")));
        assertEquals("ferry", args.removeFirst());
        args.replaceAll(a -> a.startsWith("examples/") || a.endsWith(".h5") ? dir.resolve(a).toString() : a);
        return ShmCommandsTest.ferry(args.toArray(String[]::new));
    }

    /// Runs the README's Python block `block` (indented by two) in `dir` and asserts it prints
    /// what its `print(…)  # EXPECTED` comment says.
    static void assertPythonPrintsWhatItSays(Path dir, String block) throws IOException {
        String code = block.replaceAll("(?m)^  ", "");
        var run = PythonPeer.exec(List.of("/usr/bin/python3", "-c", code), dir, 60);
        assertEquals(0, run.exit(), run.stderr());
        Matcher said = Pattern.compile("print\\(.*?\\)\\s*# (.*)").matcher(code);
        assertTrue(said.find());
        assertEquals(said.group(1).strip(), run.stdout().strip());
    }
}
