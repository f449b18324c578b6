package io.ferry.cli.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The processor as `javac` runs it, on small commands: what it writes compiles, and what it does
/// not write is a compile error naming it, never a model that differs in silence.
class CommandModelProcessorTest {
    @TempDir
    Path dir;

    @Test
    void aCommandGetsAModelThatCompiles() throws IOException {
        Result r = compile("""
                package p;
                import picocli.CommandLine.*;
                @Command(name = "go", mixinStandardHelpOptions = true, description = "Goes \\"there\\".")
                class Go implements Runnable {
                    @Parameters(paramLabel = "FILE", arity = "1..*") java.util.List<java.nio.file.Path> files;
                    @Option(names = {"-n", "--rows"}, defaultValue = "5", description = "Rows (default: ${DEFAULT-VALUE}).") int rows;
                    @Option(names = "--usecols", split = ",") java.util.List<String> cols;
                    @Spec Model.CommandSpec spec;
                    public void run() {
                    }
                }
                """);
        assertTrue(r.ok, r.messages);
        String model = Files.readString(dir.resolve("out/p/GoModel.java"));
        assertTrue(model.contains("static picocli.CommandLine.Model.CommandSpec spec(p.Go command)"), model);
        assertTrue(model.contains(".splitRegex(\",\")"), model);
        assertTrue(Files.exists(dir.resolve("out/p/GoModel.class")));
    }

    @Test
    void anAttributeNotWrittenIsACompileError() throws IOException {
        Result r = compile("""
                package p;
                import picocli.CommandLine.*;
                @Command(name = "go")
                class Go {
                    @Option(names = "-x", hidden = true) boolean x;
                }
                """);
        assertFalse(r.ok);
        assertTrue(r.messages.contains("CommandModelProcessor: @Option(hidden = …) is not written yet"), r.messages);
    }

    @Test
    void aPrivateFieldIsACompileError() throws IOException {
        Result r = compile("""
                package p;
                import picocli.CommandLine.*;
                @Command(name = "go")
                class Go {
                    @Option(names = "-x") private int x;
                }
                """);
        assertFalse(r.ok);
        assertTrue(r.messages.contains("it must be an instance field, not private"), r.messages);
    }

    @Test
    void aMultiValuedPositionalWithoutArityIsACompileError() throws IOException {
        Result r = compile("""
                package p;
                import picocli.CommandLine.*;
                @Command(name = "go")
                class Go {
                    @Parameters java.util.List<String> words;
                }
                """);
        assertFalse(r.ok);
        assertTrue(r.messages.contains("give a multi-valued @Parameters its arity"), r.messages);
    }

    @Test
    void annotationsOnASuperclassAreACompileError() throws IOException {
        Result r = compile("""
                package p;
                import picocli.CommandLine.*;
                class Base {
                    @Option(names = "-x") int x;
                }
                @Command(name = "go")
                class Go extends Base {
                    @Option(names = "-y") int y;
                }
                """);
        assertFalse(r.ok);
        assertTrue(r.messages.contains("its superclass p.Base has picocli's annotations"), r.messages);
    }

    @Test
    void literalsEscapeWhatJavaSourceCannotHoldAsIs() {
        assertEquals("\"a\\\"b\\\\c\\n\\u2026\"", ModelSource.literal("a\"b\\c\n…"));
    }

    private record Result(boolean ok, String messages) {
    }

    private Result compile(String source) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/p")).resolve("Go.java");
        Files.writeString(src, source);
        Path out = Files.createDirectories(dir.resolve("out"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            String classpath = System.getProperty("java.class.path");
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-d", out.toString(), "-s", out.toString(), "-classpath", classpath, "-processorpath", classpath,
                            "-processor", CommandModelProcessor.class.getName(), "-proc:full"),
                    null, files.getJavaFileObjects(src)).call();
            String messages = diagnostics.getDiagnostics().stream().map(d -> d.getMessage(null)).collect(Collectors.joining("\n"));
            return new Result(ok, messages);
        }
    }
}
