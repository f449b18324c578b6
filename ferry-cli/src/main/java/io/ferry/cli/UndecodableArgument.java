package io.ferry.cli;

import io.ferry.file.RawNames;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// An argument whose bytes are not valid in the encoding the JVM gives file names (`sun.jnu.encoding`,
/// from the locale; UTF-8 under the `ferry` launcher), such as a file name in Latin-1 (`caf\xe9.txt`).
///
/// The JVM decodes such bytes to U+FFFD and encodes that back as three other bytes, so the file
/// it would open is not the one named: where it said "no such file", Ferry says what happened.
/// The bytes as given are read from `/proc/self/cmdline`, whose last arguments are the program's.
final class UndecodableArgument {
    private static final char REPLACEMENT = '\uFFFD';

    private UndecodableArgument() {
    }

    /// The options whose value is text Ferry writes or reads as text (a dataset name, an attribute,
    /// a dtype, a delimiter), not a file's name: bytes not of the encoding there are a usage error.
    private static final java.util.Set<String> TEXT_OPTIONS = java.util.Set.of("--attr", "--group", "--name", "--dtype",
            "-d", "--delimiter", "--comments", "--quotechar", "--usecols", "--compression");

    /// An argument the JVM could not decode: the one-line message about it, and whether it is the
    /// value of an option of text (`--attr`, `--group`, `--dtype` …), a mistake in the call (exit
    /// 64), rather than a file's name.
    record Found(String message, boolean optionText) {
    }

    /// {@return the option whose value `args[i]` is (`--attr X` or `--attr=X`)}, or empty for an
    /// operand
    private static Optional<String> option(String[] args, int i) {
        if (args[i].startsWith("-") && args[i].indexOf('=') > 0) {
            return Optional.of(args[i].substring(0, args[i].indexOf('=')));
        }
        if (i > 0 && args[i - 1].startsWith("-") && args[i - 1].indexOf('=') < 0 && !args[i - 1].equals("--")) {
            return Optional.of(args[i - 1]);
        }
        return Optional.empty();
    }

    /// {@return the first argument the JVM could not decode}, or empty when every argument is as
    /// it was given
    static Optional<Found> find(String[] args) {
        if (java.util.Arrays.stream(args).noneMatch(a -> a.indexOf(REPLACEMENT) >= 0)) {
            return Optional.empty();
        }
        Charset encoding = RawNames.fileNameEncoding();
        List<byte[]> raw = programArguments(args.length);
        for (int i = 0; i < args.length; i++) {
            if (args[i].indexOf(REPLACEMENT) < 0 || raw != null && RawNames.decodes(raw.get(i), encoding)) {
                continue;
            }
            String shown = raw == null ? args[i].replace(REPLACEMENT, '?') : RawNames.escaped(raw.get(i));
            Optional<String> option = option(args, i).filter(TEXT_OPTIONS::contains);
            return Optional.of(option.isPresent() ? new Found(textMessage(option.get(), shown, encoding), true)
                    : new Found(message(shown, encoding), false));
        }
        return Optional.empty(); // a U+FFFD the user wrote, in valid bytes
    }

    /// An option's text, such as an attribute, in bytes that are not text of `encoding`: it went
    /// into the file as other bytes, and the message spoke of renaming a file.
    private static String textMessage(String option, String argument, Charset encoding) {
        String value = argument.startsWith(option + "=") ? argument.substring(option.length() + 1) : argument;
        return option + ": '" + value + "' is not valid " + encoding.name() + " text, which this option takes"
                + " (names and attributes are written as UTF-8); give it in " + encoding.name();
    }

    private static String message(String argument, Charset encoding) {
        String why = argument + ": this name is not valid " + encoding.name() + ", the encoding of file names under"
                + " this locale, so Java cannot open the file it names; ";
        if (encoding.equals(StandardCharsets.US_ASCII)) { // the C or POSIX locale
            return why + "run ferry under a UTF-8 locale (LC_ALL=C.UTF-8), as the ferry launcher does";
        }
        return why + "rename the file " + RawNames.LATIN1_RENAME + ", or run ferry under a locale of the name's encoding";
    }

    /// {@return the last `n` arguments of this process as bytes}, or null when they cannot be read
    private static List<byte[]> programArguments(int n) {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<byte[]> all = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                all.add(java.util.Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        return all.size() < n ? null : all.subList(all.size() - n, all.size());
    }
}
