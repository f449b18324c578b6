package io.ferry.examples;

import org.junit.jupiter.api.Test;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Every ```` ```java ```` block of the README compiles against the current API: each becomes the
/// body of a method, with the packages a reader would import, compiled by the JDK's compiler on
/// this test's class path. A README example that no longer compiles fails the build, so the
/// README cannot drift from the code.
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = """
            import io.ferry.array.*;
            import io.ferry.convert.*;
            import io.ferry.dtype.*;
            import io.ferry.examples.*;
            import io.ferry.hdf5.*;
            import io.ferry.json.*;
            import io.ferry.pipeline.*;
            import io.ferry.proc.*;
            import io.ferry.share.*;
            import io.ferry.shm.*;
            import io.ferry.text.*;
            import java.lang.foreign.*;
            import java.nio.file.*;
            import java.time.*;
            import java.util.*;
            """;

    @Test
    void everyJavaBlockOfTheReadmeCompiles() throws IOException {
        Path readme = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
        String text = Files.readString(readme);
        List<JavaFileObject> sources = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(text);
        while (m.find()) {
            int line = text.substring(0, m.start()).split("\n", -1).length + 1;
            String cls = "ReadmeLine" + line;
            String code = IMPORTS + "class " + cls + " {\n    static void example() throws Exception {\n" + m.group(1)
                    + "\n    }\n}\n";
            sources.add(new Source(cls, code));
        }
        assertFalse(sources.isEmpty(), "no ```java blocks in " + readme);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("readme-examples");
        try {
            List<String> options = List.of("-proc:none", "-d", out.toString(), "-classpath", System.getProperty("java.class.path"));
            boolean ok = javac.getTask(new StringWriter(), null, diagnostics, options, null, sources).call();
            StringBuilder why = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    why.append(d.getSource() == null ? "" : d.getSource().getName()).append(" (README block, body line ")
                            .append(d.getLineNumber() - IMPORTS.lines().count() - 2).append("): ")
                            .append(d.getMessage(null)).append('\n');
                }
            }
            assertTrue(ok, "README examples do not compile:\n" + why);
        } finally {
            try (var files = Files.walk(out)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className + ".java"), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
