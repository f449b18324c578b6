package io.ferry.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// A child process for [OutputFileExitTest]: starts writing the output named by its first argument,
/// prints the temporary file's path, then, as its second argument says, `exit`s from another
/// thread while this one goes on writing (as a served conversion's watch does when its driver
/// goes), `commit`s and exits (`commit-large`: a file the commit swaps in), or `wait`s to be
/// stopped by a signal.
public final class TemporaryWriterMain {
    private TemporaryWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        OutputFile out = OutputFile.of(Path.of(args[0]), true, List.of());
        Path temporary = out.createTemporary();
        Files.writeString(temporary, "partial\n");
        System.out.println(temporary);
        System.out.flush();
        switch (args[1]) {
            case "exit" -> {
                Thread.ofPlatform().start(() -> System.exit(143));
                while (true) {
                    Files.writeString(temporary, "more\n", java.nio.file.StandardOpenOption.APPEND);
                }
            }
            case "commit" -> {
                out.commit();
                System.exit(0);
            }
            case "commit-large" -> { // large enough to be swapped in rather than renamed
                try (var f = new java.io.RandomAccessFile(temporary.toFile(), "rw")) {
                    f.setLength(OutputFile.EXCHANGE_BYTES);
                }
                out.commit();
                System.exit(0);
            }
            case "wait" -> Thread.sleep(600_000);
            default -> throw new IllegalArgumentException(args[1]);
        }
    }
}
