package io.ferry.cli;

import io.ferry.FerryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/// The `ferry` command: one subcommand per job.
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "Zero-copy shared arrays between JVMs and numpy; many text tables into one HDF5 file.",
        subcommands = {ConvertCommand.class, StitchCommand.class, LoadCommand.class, GenerateCommand.class, ShareCommand.class, AttachCommand.class, ShmCommand.class,
                InspectCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done, 1 failed (nothing left behind), 2 done without the inputs that failed",
                "(--keep-going), 64 bad command line, 130 interrupted, 143 terminated."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /// {@return the exit code of running `ferry` with `args`}
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /// {@return the command line, with Ferry's error handling}
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        HelpLayout.apply(cl);
        cl.setExitCodeExceptionMapper(t -> ExitCode.FAILED);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + describe(ex));
            // Ferry's own errors and I/O errors are the user's to fix; anything else is a bug in
            // Ferry, and its stack trace is what a bug report needs.
            boolean expected = ex instanceof FerryException || ex instanceof IOException || ex instanceof InterruptedException;
            if (!expected || System.getenv("FERRY_DEBUG") != null) {
                ex.printStackTrace(c.getErr());
            }
            c.getErr().flush();
            return ex instanceof InterruptedException ? ExitCode.INTERRUPTED : ExitCode.FAILED;
        });
        return cl;
    }

    /// {@return one line saying what went wrong}: Ferry's own messages as they are, the JDK's file
    /// errors reworded to say what and why.
    static String describe(Throwable ex) {
        return switch (ex) {
            case FerryException f -> f.getMessage();
            case NoSuchFileException e -> e.getFile() + ": no such file or directory";
            case AccessDeniedException e -> e.getFile() + ": permission denied";
            case FileAlreadyExistsException e -> e.getFile() + ": already exists";
            case IOException e -> e.getMessage() != null ? e.getMessage() : e.toString();
            default -> ex.getMessage() != null ? ex.getClass().getSimpleName() + ": " + ex.getMessage() : ex.toString();
        };
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
