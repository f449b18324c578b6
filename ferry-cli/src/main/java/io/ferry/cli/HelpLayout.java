package io.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/// Lays out `--help` for reading: command descriptions are written in the sources as lines of a paragraph,
/// and picocli takes each line as a paragraph of its own, wrapping it again in the middle. Joining
/// the lines lets picocli wrap whole paragraphs at the help width; an empty line still separates
/// paragraphs. Footers (examples) keep their lines.
final class HelpLayout {
    /// Wide enough for the examples in the footers, narrow enough for a split terminal.
    static final int WIDTH = 100;

    private HelpLayout() {
    }

    /// Reflows the descriptions of `cl`'s command and every subcommand. (Option descriptions are
    /// written as one string each: picocli wraps those itself.)
    static void apply(CommandLine cl) {
        cl.setUsageHelpWidth(WIDTH);
        CommandSpec spec = cl.getCommandSpec();
        String[] description = spec.usageMessage().description();
        if (description.length > 0) {
            String[] paragraphs = paragraphs(description);
            spec.usageMessage().description(paragraphs);
            if (spec.usageMessage().header().length == 0) {
                // The subcommand list shows the header: the first sentence, not a whole paragraph.
                spec.usageMessage().header(firstSentence(paragraphs[0]));
                // ...and only there: the command's own help opens with the whole description.
                List<String> sections = new ArrayList<>(cl.getHelpSectionKeys());
                sections.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER_HEADING);
                sections.remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER);
                cl.setHelpSectionKeys(sections);
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            apply(sub);
        }
    }

    /// {@return `lines` joined into paragraphs at empty lines}
    static String[] paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder p = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank()) {
                if (!p.isEmpty()) {
                    out.add(p.toString());
                    p.setLength(0);
                }
                out.add("");
                continue;
            }
            if (!p.isEmpty()) {
                p.append(' ');
            }
            p.append(line.strip());
        }
        if (!p.isEmpty()) {
            out.add(p.toString());
        }
        return out.toArray(String[]::new);
    }

    /// {@return the text up to its first sentence end (". " or ":"), without the colon}
    static String firstSentence(String paragraph) {
        int dot = paragraph.indexOf(". ");
        int colon = paragraph.indexOf(':');
        int end = paragraph.length();
        if (dot >= 0) {
            end = dot + 1;
        }
        if (colon >= 0 && colon < end) {
            end = colon;
        }
        return paragraph.substring(0, end);
    }
}
