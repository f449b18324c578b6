package io.ferry.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// One meaning per short option: in every command and subcommand (as picocli builds them for
/// `ferry --help`), a short option stands for the same long option, and its default rows agree.
class ShortOptionsTest {
    @Test
    void aShortOptionMeansOneLongOptionEverywhere() {
        Map<String, Map<String, List<String>>> meanings = new TreeMap<>(); // -x -> long name -> commands
        for (CommandLine c : commands(Main.commandLine())) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                String longName = null;
                List<String> shorts = new ArrayList<>();
                for (String n : o.names()) {
                    if (n.startsWith("--")) {
                        longName = longName == null ? n : longName;
                    } else {
                        shorts.add(n);
                    }
                }
                for (String s : shorts) {
                    meanings.computeIfAbsent(s, k -> new TreeMap<>()).computeIfAbsent(String.valueOf(longName),
                            k -> new ArrayList<>()).add(c.getCommandSpec().qualifiedName());
                }
            }
        }
        assertTrue(meanings.containsKey("-d") && meanings.containsKey("-n"), meanings.toString());
        meanings.forEach((s, longNames) -> assertEquals(1, longNames.size(), s + " means " + longNames));
        assertEquals("--delimiter", meanings.get("-d").keySet().iterator().next());
        assertEquals("--rows", meanings.get("-n").keySet().iterator().next());
    }

    @Test
    void rowsShownByDefaultAreTheSame() {
        for (String command : List.of("load", "attach", "inspect")) {
            CommandLine c = Main.commandLine().getSubcommands().get(command);
            assertEquals("5", c.getCommandSpec().findOption("-n").defaultValue(), command);
        }
    }

    /// The long names a short option lost still work.
    @Test
    void inspectsOldNamesStillWork() {
        CommandLine inspect = Main.commandLine().getSubcommands().get("inspect");
        assertTrue(inspect.getCommandSpec().findOption("--head") != null);
        assertTrue(inspect.getCommandSpec().findOption("--dataset") != null);
    }

    private static List<CommandLine> commands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>(List.of(root));
        for (CommandLine sub : root.getSubcommands().values()) {
            all.addAll(commands(sub));
        }
        return all;
    }
}
