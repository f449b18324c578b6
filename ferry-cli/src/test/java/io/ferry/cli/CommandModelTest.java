package io.ferry.cli;

import io.ferry.cli.options.LoaderOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// The commands' models written at compile time (`ferry-cli-model`, [Main#model(Object)]) are the
/// models picocli makes by reading the annotations at run time: the same help, options, defaults
/// and subcommands, and the same fields set by the same arguments, mistakes included.
class CommandModelTest {
    /// Every command the `ferry` command line has, the root first.
    static Stream<String> commands() {
        return Stream.of("ferry", "convert", "stitch", "load", "generate", "share", "serve", "attach", "shm", "inspect");
    }

    private static Object command(String name) {
        return name.equals("ferry") ? new Main() : Main.subcommand(name);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void theWrittenModelIsTheModelPicocliReads(String name) {
        CommandLine written = new CommandLine(Main.model(command(name)));
        CommandLine read = new CommandLine(command(name)); // picocli's reflection
        assertSameModel(read, written, name);
    }

    @Test
    void aCommandWithoutAModelIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Main.model(new Object()));
        assertEquals("no model of java.lang.Object", e.getMessage());
    }

    @Test
    void theModelSetsTheSpecAndMakesTheMixin() {
        LoadCommand load = new LoadCommand();
        CommandSpec spec = Main.model(load);
        assertEquals(spec, load.spec);
        assertNotNull(load.loaderOptions);
        assertEquals(spec.mixins().get("loaderOptions").userObject(), load.loaderOptions);
    }

    /// Argument lines, each run against both models: the fields they set, or the error they give.
    static Stream<List<String>> argumentLines() {
        return Stream.of(
                List.of("load", "x.txt", "--dtype", "f8"),
                List.of("load", "x.txt", "--dtype", "chr:S10,pos:i4", "-d", ",", "--comments", "#", "--comments", "//",
                        "--usecols", "1,0", "--max-rows", "3", "--skiprows", "2", "--quotechar", "\"", "--lenient",
                        "--max-line-bytes", "2M", "-o", "y.npy", "-f", "-w", "2", "-n", "7"),
                List.of("load", "x.txt"),
                List.of("load", "--dtype", "f8"),
                List.of("load", "x.txt", "--dtype", "f8", "-n", "many"),
                List.of("load", "x.txt", "--dtype", "f8", "--force=true"),
                List.of("convert", "a.txt", "b.txt.gz", "-o", "out.h5", "--dtype", "f4", "-w", "3", "--isolation",
                        "process", "--memory", "64M", "--compression", "gzip:4", "--shuffle", "--chunk-rows", "1000",
                        "--force", "--keep-going", "--attr", "a=1", "--attr", "b=2", "--name", "{stem}", "--group",
                        "g", "--append", "--quiet", "--json", "--dry-run", "--stall-timeout", "5"),
                List.of("convert", "--inputs-from", "list.txt", "-o", "out.h5", "--dtype", "infer", "--header",
                        "--infer-size", "100"),
                List.of("convert", "-o", "out.h5"),
                List.of("share", "a.txt", "b.txt", "--dtype", "f8", "--json", "--timeout", "1.5", "-w", "2"),
                List.of("share", "--dtype", "f8"),
                List.of("stitch", "p1.h5", "p2.h5", "-o", "all.h5", "-f", "--timeout", "9"),
                List.of("generate", "-o", "g.txt", "--lines", "10", "--seed", "3"),
                List.of("attach", "{}", "-n", "2"),
                List.of("inspect", "f.h5", "--head", "3", "--dataset", "d"),
                List.of("shm", "clean", "--creator", "12"),
                List.of("shm", "list"),
                List.of("serve"),
                List.of("load", "x.txt", "--dtype", "f8", "--no-such-option"),
                List.of("lod", "x.txt"));
    }

    @ParameterizedTest
    @MethodSource("argumentLines")
    void anArgumentLineSetsTheSameFields(List<String> line) {
        String[] args = line.toArray(String[]::new);
        assertEquals(parsed(args, Main::model), parsed(args, CommandSpec::forAnnotatedObject), line.toString());
    }

    /// {@return what parsing `args` with the models `model` makes gives}: each command's annotated
    /// fields, or the error
    private static String parsed(String[] args, Function<Object, CommandSpec> model) {
        CommandLine root = new CommandLine(model.apply(new Main()));
        for (String name : Main.SUBCOMMANDS) {
            root.addSubcommand(name, model.apply(Main.subcommand(name)));
        }
        try {
            CommandLine.ParseResult result = root.parseArgs(args);
            StringBuilder s = new StringBuilder();
            for (CommandLine c : result.asCommandLineList()) {
                s.append(c.getCommandName()).append(' ').append(fields(c.getCommand())).append('\n');
            }
            return s.toString();
        } catch (CommandLine.ParameterException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /// {@return the values of `o`'s picocli-annotated fields, its mixins' too}, by name
    private static Map<String, String> fields(Object o) {
        Map<String, String> values = new TreeMap<>();
        for (Field f : o.getClass().getDeclaredFields()) {
            boolean option = f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class);
            boolean mixin = f.isAnnotationPresent(CommandLine.Mixin.class);
            if (!option && !mixin) {
                continue;
            }
            try {
                f.setAccessible(true);
                Object v = f.get(o);
                values.put(f.getName(), mixin ? fields(v).toString() : v instanceof Object[] a ? Arrays.toString(a)
                        : v == null ? "null" : v.getClass().getSimpleName() + " " + v);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return values;
    }

    private static void assertSameModel(CommandLine read, CommandLine written, String where) {
        assertEquals(read.getUsageMessage(), written.getUsageMessage(), where + ": usage");
        CommandSpec r = read.getCommandSpec();
        CommandSpec w = written.getCommandSpec();
        assertEquals(describe(r), describe(w), where);
        assertEquals(List.copyOf(r.mixins().keySet()), List.copyOf(w.mixins().keySet()), where + ": mixins");
        if (r.versionProvider() != null || w.versionProvider() != null) {
            assertInstanceOf(r.versionProvider().getClass(), w.versionProvider(), where + ": version");
        }
        assertEquals(List.copyOf(read.getSubcommands().keySet()), List.copyOf(written.getSubcommands().keySet()), where + ": subcommands");
        for (String sub : read.getSubcommands().keySet()) {
            assertSameModel(read.getSubcommands().get(sub), written.getSubcommands().get(sub), where + " " + sub);
        }
    }

    /// {@return every attribute of `spec` a user meets}, one line each
    private static List<String> describe(CommandSpec spec) {
        List<String> out = new ArrayList<>();
        out.add("name " + spec.name() + " qualified " + spec.qualifiedName() + " aliases " + Arrays.toString(spec.aliases()));
        UsageMessageSpec u = spec.usageMessage();
        out.add("usage sort " + u.sortOptions() + " width " + u.width() + " exit codes " + u.exitCodeList()
                + " footer " + Arrays.toString(u.footer()) + " description " + Arrays.toString(u.description()));
        out.add("exit codes on success " + spec.exitCodeOnSuccess() + ", usage " + spec.exitCodeOnUsageHelp()
                + ", version " + spec.exitCodeOnVersionHelp() + ", invalid input " + spec.exitCodeOnInvalidInput()
                + ", exception " + spec.exitCodeOnExecutionException());
        out.add("help command " + spec.helpCommand() + ", standard help options " + spec.mixinStandardHelpOptions());
        for (OptionSpec o : spec.options()) {
            out.add("option " + Arrays.toString(o.names()) + " " + arg(o) + " usage help " + o.usageHelp()
                    + " version help " + o.versionHelp() + " negatable " + o.negatable() + " order " + o.order());
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            out.add("positional " + p.index() + " " + arg(p));
        }
        return out;
    }

    private static String arg(ArgSpec a) {
        return "label " + a.paramLabel() + " arity " + a.arity() + " required " + a.required() + " type "
                + a.type().getName() + " aux " + Arrays.stream(a.auxiliaryTypes()).map(Class::getName).toList()
                + " default " + a.defaultValue() + " initial " + a.initialValue() + " has initial " + a.hasInitialValue()
                + " split " + a.splitRegex() + " hidden " + a.hidden() + " interactive " + a.interactive()
                + " description " + Arrays.toString(a.description()) + " shows default " + a.showDefaultValue()
                + " is " + a + " multi " + a.isMultiValue() + " scope " + a.scopeType();
    }

    @Test
    void theLoaderOptionsModelIsTheOnePicocliReads() {
        assertEquals(describe(CommandSpec.forAnnotatedObject(new LoaderOptions())),
                describe(io.ferry.cli.options.LoaderOptionsModel.spec(new LoaderOptions())));
    }
}
