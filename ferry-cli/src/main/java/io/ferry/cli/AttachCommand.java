package io.ferry.cli;

import io.ferry.shm.ArrayHandle;
import io.ferry.shm.SharedArray;
import io.ferry.shm.Ownership;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/// `ferry attach HANDLE`: maps a shared array by its handle and shows what is in it.
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Attach a shared array by its handle and print its shape, dtype and first rows.",
                "The segment is only read and left as it is."},
        footer = {"", "Examples:",
                "  ferry attach '{\"name\": \"fy1k2j_8c0x3a9z\", \"shape\": [3], \"dtype\": \"<f4\"}'",
                "  ferry attach handle.json --rows 20",
                "  python3 make.py | ferry attach -"})
final class AttachCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "HANDLE",
            description = "The handle JSON ({\"name\": …, \"shape\": […], \"dtype\": …}), a file holding it, or - for standard input.")
    String handle;

    @Option(names = {"-n", "--rows"}, paramLabel = "N", defaultValue = "10", description = "Rows to print (default: ${DEFAULT-VALUE}).")
    int rows;

    @Override
    public Integer call() {
        ArrayHandle h = ArrayHandle.parse(handleText());
        PrintWriter out = spec.commandLine().getOut();
        try (SharedArray a = SharedArray.attach(h, Ownership.VIEW)) {
            long[] shape = a.array().shape();
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) {
                s.append(i == 0 ? "" : ", ").append(shape[i]);
            }
            s.append(shape.length == 1 ? ",)" : ")");
            out.println("segment  " + a.name() + " (" + a.segment().byteSize() + " bytes)");
            out.println("shape    " + s);
            out.println("dtype    " + a.array().dtype().descr());
            long shown = Math.min(Math.max(rows, 0), a.array().length());
            out.println("rows     " + (shown < a.array().length() ? "first " + shown + " of " + a.array().length() : "all " + shown));
            out.print(a.array().head((int) shown));
            out.flush();
        }
        return 0;
    }

    private String handleText() {
        String t = handle.strip();
        if (t.startsWith("{")) {
            return t;
        }
        try {
            if (t.equals("-")) {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(t), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("no handle file '" + t + "'; give the handle JSON itself, a file holding it, or - for standard input");
        } catch (IOException e) {
            throw new CliException("cannot read the handle from '" + t + "': " + e.getMessage());
        }
    }
}
