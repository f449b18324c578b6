package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.file.FileKind;
import io.ferry.shm.ArrayHandle;
import io.ferry.shm.SharedArray;
import io.ferry.shm.Ownership;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    @Option(names = {"-n", "--rows"}, paramLabel = "N", defaultValue = "5", description = "Rows to print (default: ${DEFAULT-VALUE}).")
    int rows;

    @Override
    public Integer call() throws IOException {
        if (rows < 0) {
            throw new UsageException("--rows takes a number of rows to print, 0 or more, not " + rows);
        }
        ArrayHandle h = ArrayHandle.parse(handleText());
        PrintWriter out = spec.commandLine().getOut();
        try (SharedArray a = SharedArray.attach(h, Ownership.VIEW)) {
            long[] shape = a.array().shape();
            out.println("segment  " + a.name() + " (" + a.segment().byteSize() + " bytes)");
            out.println("shape    " + LoadCommand.shape(shape));
            out.println("dtype    " + a.array().dtype().descr());
            long shown = Math.min(rows, a.array().length());
            out.println("rows     " + (shown < a.array().length() ? "first " + shown + " of " + a.array().length() : "all " + shown));
            out.print(a.array().head((int) shown));
            out.flush();
        }
        return 0;
    }

    /// {@return the handle's text}: the argument itself, or what a file, a pipe or standard input
    /// holds, read up to a handle's size ([ArrayHandle#MAX_JSON_CHARS]) so that a wrong file or an
    /// endless stream (`/dev/zero`) is refused at once
    private String handleText() throws IOException {
        String t = handle.strip();
        if (t.startsWith("{")) {
            return t;
        }
        if (t.equals("-")) {
            return read(System.in, "standard input");
        }
        Path file = Path.of(t);
        FileKind kind = FileKind.of(file);
        return switch (kind) {
            case MISSING -> throw new FerryException(t + ": no such file; give the handle JSON itself, a file holding it,"
                    + " or - for standard input");
            // A named pipe (a process substitution, <(…)) is read as standard input is.
            case REGULAR, FIFO -> {
                try (InputStream in = Files.newInputStream(file)) {
                    yield read(in, t);
                }
            }
            default -> throw new FerryException(t + ": is " + kind.description() + ", not a file holding a handle;"
                    + " give the handle JSON itself, a file holding it, or - for standard input");
        };
    }

    private static String read(InputStream in, String source) throws IOException {
        byte[] text = in.readNBytes(ArrayHandle.MAX_JSON_CHARS + 1);
        if (text.length > ArrayHandle.MAX_JSON_CHARS) {
            throw new FerryException(source + ": holds more than " + ArrayHandle.MAX_JSON_CHARS / 1024
                    + " KiB, the most a handle takes; a handle is a few hundred bytes of JSON"
                    + " ({\"name\": …, \"shape\": […], \"dtype\": …}): is it the right file?");
        }
        return new String(text, StandardCharsets.UTF_8);
    }
}
