package io.ferry.bench;

import io.ferry.json.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/// The generated inputs: `sample1.txt` … `sampleN.txt` of the methylation table
/// (`chr pos pct c t`, tab-separated), made once per size and reused while the manifest matches.
///
/// Generation is one pluggable step: a shell command template, run once per file, with
/// `{lines}`, `{seed}` (the file's number, so inputs are deterministic), `{index}` and `{out}`
/// replaced; a template without `{out}` writes the table to its stdout.
final class InputTables {
    private static final String MANIFEST = "inputs.json";

    private final List<Path> files;
    private final long linesPerFile;
    private final long totalBytes;

    InputTables(List<Path> files, long linesPerFile, long totalBytes) {
        this.files = List.copyOf(files);
        this.linesPerFile = linesPerFile;
        this.totalBytes = totalBytes;
    }

    List<Path> files() {
        return files;
    }

    long linesPerFile() {
        return linesPerFile;
    }

    long totalBytes() {
        return totalBytes;
    }

    /// {@return the inputs for `o`}, generated unless a matching set is already in `o.work()`
    static InputTables prepare(EndToEndOptions o) throws IOException, InterruptedException {
        Path dir = o.work().resolve("inputs-" + o.files() + "x" + o.lines());
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= o.files(); i++) {
            files.add(dir.resolve("sample" + i + ".txt").toAbsolutePath());
        }
        Path manifest = dir.resolve(MANIFEST);
        if (matches(manifest, files, o)) {
            System.err.println("e2e: reusing inputs in " + dir);
            return new InputTables(files, o.lines(), sizes(files));
        }
        Files.deleteIfExists(manifest);
        System.err.println("e2e: generating " + o.files() + " x " + o.lines() + " lines in " + dir + " with: " + o.generateCmd());
        int parallel = Math.max(1, Runtime.getRuntime().availableProcessors());
        List<Process> running = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            running.add(start(o, i + 1, files.get(i), dir));
            indices.add(i + 1);
            if (running.size() >= parallel || i == files.size() - 1) {
                for (int k = 0; k < running.size(); k++) {
                    await(running.get(k), indices.get(k), o, dir);
                }
                running.clear();
                indices.clear();
            }
        }
        for (Path f : files) {
            long n = countLines(f);
            if (n != o.lines()) {
                throw new IllegalStateException("the generator wrote " + n + " lines to " + f + ", not " + o.lines()
                        + "; check --generate-cmd (" + o.generateCmd() + ")");
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lines", o.lines());
        m.put("files", (long) o.files());
        m.put("generate_cmd", o.generateCmd());
        List<Object> sz = new ArrayList<>();
        for (Path f : files) {
            sz.add(Files.size(f));
        }
        m.put("sizes", sz);
        Files.writeString(manifest, Json.write(m) + "\n");
        return new InputTables(files, o.lines(), sizes(files));
    }

    private static Process start(EndToEndOptions o, int index, Path file, Path dir) throws IOException {
        String t = o.generateCmd();
        String cmd = t.replace("{lines}", Long.toString(o.lines()))
                .replace("{seed}", Integer.toString(index))
                .replace("{index}", Integer.toString(index))
                .replace("{out}", shellQuote(file.toString()));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd).directory(o.root().toFile())
                .redirectError(dir.resolve("generate-" + index + ".err").toFile());
        if (t.contains("{out}")) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        } else {
            pb.redirectOutput(file.toFile());
        }
        return pb.start();
    }

    private static void await(Process p, int index, EndToEndOptions o, Path dir) throws IOException, InterruptedException {
        if (!p.waitFor(o.timeoutSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("input generation timed out after " + o.timeoutSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            String err = CommandRun.summary(dir.resolve("generate-" + index + ".err"));
            throw new IllegalStateException("input generation failed (exit " + p.exitValue() + "): " + err
                    + "\n  command template: " + o.generateCmd()
                    + "\n  pass --generate-cmd 'TEMPLATE' with {lines} {seed} {index} {out} (without {out}, stdout is the file)");
        }
    }

    private static boolean matches(Path manifest, List<Path> files, EndToEndOptions o) throws IOException {
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            Map<String, Object> m = Json.asObject(Json.parse(Files.readString(manifest)), "manifest");
            List<Object> sz = Json.asList(m.get("sizes"), "sizes");
            if (Json.asLong(m.get("lines"), "lines") != o.lines() || sz.size() != files.size()
                    || !o.generateCmd().equals(m.get("generate_cmd"))) {
                return false;
            }
            for (int i = 0; i < files.size(); i++) {
                if (!Files.isRegularFile(files.get(i)) || Files.size(files.get(i)) != Json.asLong(sz.get(i), "size")) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static long sizes(List<Path> files) throws IOException {
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        return total;
    }

    /// {@return the number of lines in `f`}, a last line without `\n` included
    static long countLines(Path f) throws IOException {
        long n = 0;
        byte last = '\n';
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    last = buf.get();
                    if (last == '\n') {
                        n++;
                    }
                }
                buf.clear();
            }
        }
        return last == '\n' ? n : n + 1;
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /// {@return the first line of `f`}, for the report
    static String firstLine(Path f) throws IOException {
        try (var r = Files.newBufferedReader(f, StandardCharsets.US_ASCII)) {
            String l = r.readLine();
            return l == null ? "" : l;
        }
    }
}
