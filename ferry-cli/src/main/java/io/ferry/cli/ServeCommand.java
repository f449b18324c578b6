package io.ferry.cli;

import io.ferry.json.Json;
import io.ferry.json.JsonException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/// `ferry serve`: one JVM for many `ferry share --json` and `ferry convert --json` runs, asked for
/// one after another on standard input by a program that loads again and again (the Python
/// package's `ferry.Session`, and the JVM its `ferry.loadtxt` keeps between calls). A JVM's first
/// load of a table pays the JVM's start and runs its parse loop interpreted, then in C1's code,
/// until C2 has compiled it: 0.7 s for 5M lines where a warm JVM takes 0.2-0.3 s. Here every
/// request after the first runs on C2's code.
///
/// The conversation, a line each way at a time:
///
/// | standard input | standard output |
/// |---|---|
/// | `["share", "a.txt", "--dtype", "f8"]`: a request, the arguments of `ferry share` or `ferry convert` as a JSON array (`--json` is added when absent) | `{"started": {}}` at once, then its lines (`{"array": …}`, `{"progress": …}`, `{"result": …}`, `{"error": …}`: [MachineOutput]) |
/// | a share's `done` (or `attached`) once every array is mapped | |
/// | | `{"end": {"exit": 0, "stderr": ""}}`: the request is over, with its exit code and what it said on standard error (and, as `"stdout"`, a text such as `--help`'s, which is never among the JSON lines) |
///
/// Blank lines, and a word that comes when no share waits for it, are ignored; any other line
/// that is not a request is answered by a usage error and an `end` with exit 64. A conversion
/// cannot read `-` (standard input carries the requests). The end of standard input ends
/// `ferry serve`: between requests with exit 0; during a share, as `ferry share --json` ends when
/// its driver goes (its arrays removed, exit 1); during a conversion, as `ferry convert --json`
/// does (stopped as for SIGTERM, nothing written, exit 143). Nothing outlives a request but this
/// JVM's creator record in `/dev/shm`, removed when it exits.
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve programs that load again and again (Python's ferry.Session): run the 'ferry share --json'",
                "and 'ferry convert --json' requests given on standard input, a JSON array of the command's",
                "arguments a line, one after another in this one JVM, whose compiled code makes every request",
                "after the first 2-3 times faster. Each request is answered {\"started\": {}} at once, then",
                "its own lines, then {\"end\": {\"exit\": CODE, \"stderr\": TEXT}}. The end of standard input ends it."},
        footer = {"", "Example:",
                "  printf '%%s\\n' '[\"share\", \"examples/sample1.txt\", \"--dtype\", \"f4\", \"--usecols\", \"2\"]' done \\",
                "    | ferry serve",
                "", "Exit codes: 0 standard input ended between requests, else the exit code of the request it",
                "ended during (1 for a share whose driver went: its arrays removed; 143 for a conversion);",
                "64 bad command line, 130 interrupted, 143 terminated."})
final class ServeCommand implements Callable<Integer> {
    /// The commands a request may run.
    private static final List<String> REQUESTS = List.of("share", "convert");
    /// How long one wait for standard input's next line lasts before it waits again.
    private static final long WAIT_MILLIS = 60_000;

    @Override
    public Integer call() throws Exception {
        // Blocking reads: this JVM ends only once they have seen the input's end, and an idle
        // session should not wake 50 times a second (PolledStandardInput is for commands that
        // end while their input stays open).
        ConsumerWords input = ConsumerWords.listen(System.in);
        MachineOutput out = new MachineOutput(System.out);
        while (true) {
            String line = input.next(WAIT_MILLIS);
            if (line == ConsumerWords.END) {
                return ExitCode.OK;
            }
            if (line == null || line.isEmpty() || line.equals("attached") || line.equals("done")) {
                continue; // nothing, or a word that came late: no share waits for it
            }
            out.started();   // before any of it is done: a driver then knows not to send it again
            Answer answer = serve(line, input, out);
            if (answer.inputEnded()) {
                return answer.exit();
            }
        }
    }

    /// How a request ended: its exit code, and whether standard input had ended, with nothing
    /// left to read, before its `end` was written (its driver went during it; a driver that
    /// closes its end after reading `end` has not).
    private record Answer(int exit, boolean inputEnded) {
    }

    /// Runs the request `line` as `ferry share` or `ferry convert` does, its driver's words coming
    /// from `input`, and ends its answer.
    private static Answer serve(String line, ConsumerWords input, MachineOutput out) {
        StringWriter said = new StringWriter();
        StringWriter shown = new StringWriter(); // --help's or --version's text: never among the JSON lines
        int exit;
        try {
            String[] args = request(line);
            CommandLine cl = Main.commandLine(args, args[0].equals("share") ? new ShareCommand(input) : new ConvertCommand(input));
            cl.setErr(new PrintWriter(said, true));
            cl.setOut(new PrintWriter(shown, true));
            exit = cl.execute(args);
        } catch (UsageException e) {
            out.failed(e);
            said.append("ferry serve: ").append(e.getMessage()).append('\n');
            exit = ExitCode.USAGE;
        }
        boolean inputEnded = input.drained();
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("exit", exit);
        end.put("stderr", said.toString());
        if (!shown.getBuffer().isEmpty()) {
            end.put("stdout", shown.toString());
        }
        out.end(end);
        return new Answer(exit, inputEnded);
    }

    /// {@return the command line that `line` asks for}, with `--json`
    /// @throws UsageException when it is not a JSON array of strings starting with "share" or "convert"
    static String[] request(String line) {
        List<Object> words;
        try {
            words = Json.asList(Json.parse(line), "a request");
        } catch (JsonException e) {
            throw new UsageException("not a request: a request is the arguments of ferry share or convert as a JSON"
                    + " array of strings, [\"share\", \"a.txt\", \"--dtype\", \"f8\"] (" + e.getMessage() + ")");
        }
        List<String> args = new ArrayList<>();
        for (Object w : words) {
            if (!(w instanceof String s)) {
                throw new UsageException("not a request: its arguments are strings, not " + Json.write(w));
            }
            args.add(s);
        }
        if (args.isEmpty() || !REQUESTS.contains(args.getFirst())) {
            throw new UsageException("ferry serve runs share and convert requests, [\"share\", FILE..., OPTION...] or"
                    + " [\"convert\", FILE..., OPTION...], not " + Json.write(words));
        }
        if (!args.contains("--json")) {
            args.add(1, "--json"); // where it is an option, whatever follows
        }
        return args.toArray(String[]::new);
    }
}
