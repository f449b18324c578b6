package io.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/// The `ferry` command: one subcommand per job.
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = "Zero-copy shared arrays between JVMs and numpy; many text tables into one HDF5 file.",
        subcommands = {CommandLine.HelpCommand.class, InspectCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /// {@return the exit code of running `ferry` with `args`}
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
