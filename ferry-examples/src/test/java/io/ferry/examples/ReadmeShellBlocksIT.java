package io.ferry.examples;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/// Every ```` ```sh ```` block of the README runs as written, as the Java blocks compile
/// ([ReadmeExamplesTest]): each in bash with `-e -o pipefail` (a failing command fails the
/// block), with a time limit, in a folder of its own that links to the checkout's launcher,
/// scripts, examples and modules (so what a block writes stays there, and `HOME` is there too:
/// `scripts/install ~/.local` installs into it). It runs after the jars are packaged (ferry-cli's
/// and ferry-bench's: `./ferry` and `bench/…` find them built). A block with the marker
/// `<!-- readme-test: skip (why) -->` on the line above it is reported as skipped, with why.
@ExtendWith(ShmLeakCheck.class)
class ReadmeShellBlocksIT {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize().toAbsolutePath();
    private static final Pattern SH_BLOCK = Pattern.compile("(?m)^```sh\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern SKIP = Pattern.compile("<!-- readme-test: skip \\((.+)\\) -->");
    /// What of the checkout a block may use; the rest (outputs of earlier runs such as
    /// `samples.h5`, `.git`) stays out of its folder. Not `pom.xml`: bench/ would take a link newer
    /// than its jar for a changed source, and rebuild.
    private static final List<String> CHECKOUT = List.of("ferry", "test", "scripts", "examples", "bench", "python", "docs",
            "LICENSE", "README.md");

    record Block(int line, String code, String skipReason) {
    }

    static List<Block> blocks() throws IOException {
        String text = Files.readString(ROOT.resolve("README.md"));
        List<Block> blocks = new ArrayList<>();
        Matcher m = SH_BLOCK.matcher(text);
        while (m.find()) {
            String before = text.substring(0, m.start());
            int line = before.split("\n", -1).length;
            String[] lines = before.split("\n");
            Matcher skip = SKIP.matcher(lines.length == 0 ? "" : lines[lines.length - 1]);
            blocks.add(new Block(line, m.group(1), skip.matches() ? skip.group(1) : null));
        }
        return blocks;
    }

    @TestFactory
    Stream<DynamicTest> everyShellBlockRunsAsWritten() throws IOException {
        List<Block> blocks = blocks();
        assertFalse(blocks.isEmpty(), "no ```sh blocks in the README");
        return blocks.stream().map(b -> DynamicTest.dynamicTest(
                "README line " + b.line() + ": " + b.code().lines().findFirst().orElse(""), () -> run(b)));
    }

    /// Each skip says why; a marker anywhere but right above a block is a mistake.
    @Test
    void everySkipMarkerSitsAboveABlockAndSaysWhy() throws IOException {
        String text = Files.readString(ROOT.resolve("README.md"));
        long markers = text.lines().filter(l -> SKIP.matcher(l).matches()).count();
        List<Block> skipped = blocks().stream().filter(b -> b.skipReason() != null).toList();
        assertEquals(markers, skipped.size(), "a skip marker not right above a ```sh block");
        skipped.forEach(b -> assertFalse(b.skipReason().isBlank(), "line " + b.line()));
        skipped.forEach(b -> System.out.println("README line " + b.line() + " not run: " + b.skipReason()));
    }

    private static void run(Block block) throws Exception {
        if (block.skipReason() != null) {
            Assumptions.abort("marked in the README: " + block.skipReason());
        }
        Path dir = Files.createTempDirectory("readme-sh");
        try {
            for (String name : CHECKOUT) {
                Files.createSymbolicLink(dir.resolve(name), ROOT.resolve(name));
            }
            try (Stream<Path> modules = Files.list(ROOT)) {
                for (Path module : modules.filter(p -> p.getFileName().toString().startsWith("ferry-")
                        && Files.isDirectory(p)).toList()) {
                    Files.createSymbolicLink(dir.resolve(module.getFileName()), module);
                }
            }
            Path home = Files.createDirectory(dir.resolve("home"));
            Path log = dir.resolve("block.log");
            ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", block.code())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("HOME", home.toString());
            pb.environment().remove("FERRY_CLASS_PATH");
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("README line " + block.line() + " did not end within 300 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            String said = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println("README line " + block.line() + ":\n" + block.code() + "→\n" + said);
            assertEquals(0, p.exitValue(), "README line " + block.line() + ":\n" + block.code() + "\nsaid:\n" + said);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {     // walk does not follow the links into the checkout
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
