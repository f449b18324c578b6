package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.file.Commits;
import io.ferry.cli.options.OptionException;
import io.ferry.file.OutputFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/// The `ferry` command: one subcommand per job.
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = VersionOption.class,
        description = "Zero-copy shared arrays between JVMs and numpy; many text tables into one HDF5 file.",
        footer = {"", "Exit codes: 0 done, 1 failed (nothing left behind), 2 done without the inputs that failed",
                "(--keep-going), 64 bad command line, 130 interrupted, 143 terminated."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        // What a command printed and standard output could not take is a failure, as for other
        // Unix tools (PrintStream keeps such errors to itself): a pipe whose reader went (`| head`)
        // ends it silently, as SIGPIPE ends them; anything else (/dev/full) is said. Unless the
        // command made its output file: then that is said, and the run succeeded.
        if (code == ExitCode.OK && System.out.checkError()) {
            List<Path> made = OutputFile.committed();
            if (!made.isEmpty()) {
                // The output is what was asked for, made whole; the report is extra. Exit 1 says
                // "failed, no output", and a script would have retried or removed a good file.
                System.err.println(name(args) + ": cannot write to standard output; " + made.stream().map(Path::toString)
                        .collect(java.util.stream.Collectors.joining(", ")) + " written all the same");
            } else if (stdoutIsAPipe()) {
                code = 128 + 13;
            } else {
                System.err.println(name(args) + ": cannot write to standard output");
                code = ExitCode.FAILED;
            }
        }
        System.exit(code);
    }

    /// The subcommands, in the order `ferry --help` lists them. A run builds the model of the one
    /// it names only.
    static final List<String> SUBCOMMANDS = List.of("convert", "stitch", "load", "generate", "share", "serve",
            "attach", "shm", "inspect", "help");

    // A switch, not a static map of constructor references: with the map, the JDK 25.0.3 AOT
    // cache writer the launcher trains crashed (one of the lambdas made a picocli class, whose
    // class file, in picocli's released jar, was too old to archive, and the archived map pointed
    // at it). ferry-picocli's classes can be archived; the switch costs nothing and stays.
    static Object subcommand(String name) {
        return switch (name) {
            case "convert" -> new ConvertCommand();
            case "stitch" -> new StitchCommand();
            case "load" -> new LoadCommand();
            case "generate" -> new GenerateCommand();
            case "share" -> new ShareCommand();
            case "serve" -> new ServeCommand();
            case "attach" -> new AttachCommand();
            case "shm" -> new ShmCommand();
            case "inspect" -> new InspectCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    /// {@return picocli's model of `command`}, as its annotations describe it, written as code when
    /// Ferry was compiled (io.ferry.cli.model.CommandModelProcessor): picocli's reading of the
    /// annotations by reflection cost a run about 50 ms. picocli's own help command alone is read so.
    static CommandSpec model(Object command) {
        // instanceof, not a switch on types: that switch's bootstrap spins a class at the first run, 7 ms
        if (command instanceof Main c) {
            return MainModel.spec(c);
        } else if (command instanceof ConvertCommand c) {
            return ConvertCommandModel.spec(c);
        } else if (command instanceof StitchCommand c) {
            return StitchCommandModel.spec(c);
        } else if (command instanceof LoadCommand c) {
            return LoadCommandModel.spec(c);
        } else if (command instanceof GenerateCommand c) {
            return GenerateCommandModel.spec(c);
        } else if (command instanceof ShareCommand c) {
            return ShareCommandModel.spec(c);
        } else if (command instanceof ServeCommand c) {
            return ServeCommandModel.spec(c);
        } else if (command instanceof AttachCommand c) {
            return AttachCommandModel.spec(c);
        } else if (command instanceof ShmCommand c) {
            return ShmCommandModel.spec(c);
        } else if (command instanceof InspectCommand c) {
            return InspectCommandModel.spec(c);
        } else if (command instanceof CommandLine.HelpCommand c) {
            return CommandSpec.forAnnotatedObject(c);
        }
        throw new IllegalArgumentException("no model of " + command.getClass().getName());
    }

    /// What the launcher runs, once per build, to have HDF5's native libraries copied into a folder
    /// beside the jar, which later runs load them from ([io.ferry.hdf5.Hdf5Natives]).
    static final String EXTRACT_NATIVES = "--extract-natives";

    /// {@return the exit code of running `ferry` with `args`}
    public static int run(String... args) {
        var undecodable = UndecodableArgument.find(args);
        if (undecodable.isPresent()) {
            System.err.println(name(args) + ": " + undecodable.get().message());
            return undecodable.get().optionText() ? ExitCode.USAGE : ExitCode.FAILED;
        }
        if (args.length == 2 && args[0].equals(CacheTraining.ARGUMENT)) { // the launcher's, once per build
            return CacheTraining.run(java.nio.file.Path.of(args[1]));
        }
        if (args.length == 2 && args[0].equals(EXTRACT_NATIVES)) { // the launcher's, once per build
            try {
                io.ferry.hdf5.Hdf5Natives.extract(java.nio.file.Path.of(args[1]));
                return ExitCode.OK;
            } catch (IOException | LinkageError e) {
                System.err.println("ferry: cannot extract HDF5's libraries into " + args[1] + ": " + e);
                return ExitCode.FAILED;
            }
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // What picocli would print, without the 100 ms of reading every command's annotations.
            for (String line : new VersionOption().getVersion()) {
                System.out.println(line);
            }
            return ExitCode.OK;
        }
        boolean converts = args.length > 0 && args[0].equals("convert");
        Preload.start(Preload.forCommand(args)); // beside the reading of the command line
        TerminatingSignals.install(!(args.length > 0 && args[0].equals("serve")));
        try {
            return commandLine(args).execute(args);
        } finally {
            if (converts) {
                Preload.await();
            }
        }
    }

    private static boolean stdoutIsAPipe() {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/1")).toString().startsWith("pipe:");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /// {@return `ferry` and the subcommand `args` start with, if they name one}
    private static String name(String[] args) {
        return args.length > 0 && SUBCOMMANDS.contains(args[0]) ? "ferry " + args[0] : "ferry";
    }

    /// {@return the whole command line, with Ferry's error handling}
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /// {@return the command line for `arguments`}: with only the subcommand they start with when they
    /// name one other than `help`, else with all (for `--help`, `help`, and mistakes, whose
    /// message suggests the nearest name)
    static CommandLine commandLine(String[] arguments) {
        String first = arguments.length > 0 ? arguments[0] : "";
        return commandLine(arguments, SUBCOMMANDS.contains(first) && !first.equals("help") ? subcommand(first) : null);
    }

    /// {@return the command line for `arguments`, which start with the name of `command`}, or with
    /// every subcommand when `command` is null
    static CommandLine commandLine(String[] arguments, Object command) {
        CommandLine cl = new CommandLine(model(new Main()));
        if (command != null) {
            cl.addSubcommand(arguments[0], model(command));
        } else {
            for (String name : SUBCOMMANDS) {
                cl.addSubcommand(name, model(subcommand(name)));
            }
        }
        HelpLayout.apply(cl);
        // A leading @ is part of a file's name, as for every other Unix tool: picocli would read a
        // file named by the rest as more arguments (`ferry load @list` loaded the files `list`
        // named; `--name @tmpl` took a `--force` from `tmpl`). Lists of inputs are --inputs-from's.
        cl.setExpandAtFiles(false);
        // Paths as picocli would make them (Paths.get), but by a method reference: picocli's own
        // converter calls Paths.get by reflection, whose first call spins method-handle classes
        // the JVM's start-up cache does not keep (3 of them, on every run's way).
        cl.registerConverter(Path.class, PathArgument::of);
        CommandLine.IExecutionStrategy run = cl.getExecutionStrategy();
        cl.setExecutionStrategy(parsed -> {
            Outputs.refuseMistypedOutput(parsed);
            return run.execute(parsed);
        });
        cl.setExitCodeExceptionMapper(t -> ExitCode.FAILED);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            String name = c.getCommandSpec().qualifiedName();
            err.println(name + ": " + mistake(ex, c) + " (see '" + name + " --help')");
            err.flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (Commits.exiting()) {
                // The run is ending for a signal (or its driver went): what failed since is the
                // exit's doing (a reader killed by its hooks, "killed by signal 9"), not news.
                return ExitCode.INTERRUPTED;
            }
            if (ex instanceof OptionException) { // UsageException, or a shared option's
                c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage()));
                HintLine.of(ex).ifPresent(c.getErr()::println);
                c.getErr().flush();
                return ExitCode.USAGE;
            }
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + Printable.of(describe(ex)));
            HintLine.of(ex, c.getCommandSpec()).ifPresent(c.getErr()::println);
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

    /// {@return what is wrong with the command line, on one line}: a word that is not a
    /// subcommand, or an option the command has not, with the names nearest it
    private static String mistake(CommandLine.ParameterException ex, CommandLine c) {
        if (ex instanceof CommandLine.MissingParameterException m && m.getMissing().stream()
                .anyMatch(a -> a instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("--comments"))) {
            // A comment such as "--" or "-h": the parser takes it for the end of options or an option
            return oneLine(ex.getMessage()) + "; a comment that looks like an option goes in a JSON array:"
                    + " --comments '[\"--\"]'";
        }
        if (ex.getCause() instanceof PathArgument.Refused refused) {
            CommandLine.Model.ArgSpec arg = ex.getArgSpec();
            String what = arg instanceof CommandLine.Model.OptionSpec o ? o.longestName() : arg.paramLabel();
            return what + ": " + refused.getMessage();
        }
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return oneLine(ex.getMessage());
        }
        String typed = u.getUnmatched().getFirst();
        if (typed.isEmpty() && !c.getCommandSpec().positionalParameters().isEmpty()) {
            // where picocli takes a list of files, it leaves an empty one unmatched, unconverted
            return c.getCommandSpec().positionalParameters().getFirst().paramLabel() + ": "
                    + PathArgument.EMPTY;
        }
        boolean option = typed.startsWith("-");
        if (!option && c.getSubcommands().isEmpty() || option && !u.isUnknownOption()) {
            return oneLine(ex.getMessage()) + didYouMean(typed, u.getSuggestions());
        }
        List<String> names = option ? c.getCommandSpec().optionsMap().keySet().stream().toList()
                : List.copyOf(c.getSubcommands().keySet());
        String word = option ? typed.split("=", 2)[0] : typed;
        return (option ? "unknown option '" + word + "'" : "'" + word + "' is not a command")
                + didYouMean(word, names);
    }

    /// {@return "; did you mean X?" with the names of `names` nearest `typed`}, or nothing
    private static String didYouMean(String typed, List<String> names) {
        List<String> nearest = NearestNames.nearest(typed, names);
        return nearest.isEmpty() ? "" : "; did you mean " + String.join(" or ", nearest) + "?";
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

    /// {@return `message` on one line}: its lines joined with "; "
    static String oneLine(String message) {
        return message == null ? "" : String.join("; ", message.strip().lines().map(String::strip)
                .filter(l -> !l.isEmpty()).toList());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
