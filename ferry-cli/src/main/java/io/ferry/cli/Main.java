package io.ferry.cli;

import io.ferry.FerryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/// The `ferry` command: one subcommand per job.
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "Zero-copy shared arrays between JVMs and numpy; many text tables into one HDF5 file.",
        subcommands = {AttachCommand.class, ShmCommand.class, CommandLine.HelpCommand.class})
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

    /// {@return the configured command line}, for tests that capture its output
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::failure);
    }

    /// Ferry's own errors are one clear line and exit code 1; anything else is a bug and keeps its stack trace.
    private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof FerryException) {
            cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            cl.getErr().flush();
            return 1;
        }
        throw e;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
