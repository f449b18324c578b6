package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.cli.options.OptionException;
import io.ferry.dtype.DTypeSpecException;
import io.ferry.file.Commits;
import io.ferry.json.Json;
import io.ferry.pipeline.ConversionProgress;
import io.ferry.pipeline.ConversionResult;
import io.ferry.pipeline.Input;
import io.ferry.pipeline.ProcessWorkers;
import io.ferry.pipeline.WorkerStalledException;
import io.ferry.proc.WorkerFailedException;
import io.ferry.shm.SharedArray;
import io.ferry.text.TextParseException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `--json`: what a program that drives `ferry` (the Python package) reads on standard output,
/// one JSON object a line, each with one key saying what it is:
///
/// | line | when |
/// |---|---|
/// | `{"array": {"index": 0, "file": "a.txt", "dataset": "a", "handle": {"name": …, "shape": […], "dtype": …}}}` | `share`: an input is loaded and shared |
/// | `{"progress": {"bytes": 1048576, "bytes_done": 917504, "total_bytes": 4194304, "rows": 40329, "files_done": 0, "files": 4, "states": {"queued": 2, "parsing": 1, "writing": 1, "written": 0, "failed": 0}, "seconds": 0.21}}` | `convert`: a few times a second |
/// | `{"result": {"output": "o.h5", "dtype": "<f8", "datasets": [{"name": "a", "file": "a.txt", "rows": 3}], "rows": 3, "bytes_in": 80, "bytes_out": 9216, "seconds": 0.05, "failures": []}}` | `convert`: at the end (exit 0, or 2 with failures) |
/// | `{"dry_run": {"output": "o.h5", "datasets": [{"name": "a", "file": "a.txt", "dtype": "<f8", "row_shape": [6], "estimated_rows": 7, "estimated_bytes": 336, "parts": 1}], "workers": 1, "isolation": "thread", "parts": 1, "chunk_rows": 7, "memory_bytes": 2048, "attributes": {}}}` | `convert --dry-run`: instead of a run; nothing is written |
/// | `{"end": {"exit": 0, "stderr": ""}}` | `serve`: a request is over ([ServeCommand]) |
/// | `{"error": {"kind": "parse", "message": "a.txt:2:6: field 'pos' (2 of 5): …", "file": "a.txt", "line": 2, "column": 6, "field": "field 'pos' (2 of 5)", "text": "x"}}` | the command failed; standard error says the same in its one line |
///
/// An error's `kind` is `parse` (text that does not fit the dtype: `file`, `line`, `column`,
/// `field`, `text` are there when Ferry parsed in this process), `worker` (a worker process died),
/// `usage` (the call is wrong: a dtype Ferry cannot read, an option's value) or `failed`
/// (anything else: an I/O error, a full `/dev/shm`; an input, or a list of them, that is not there
/// has `missing`, its path as Ferry names it: [io.ferry.file.InputMissingException]). Standard error keeps its one line per error.
/// An error whose cause Ferry can guess has a `hint` ([io.ferry.Hint]): `{"reason": "line 1 looks
/// like a header (names where values go)", "option": "skiprows", "value": "1"}`, `value` null
/// meaning "leave the option out"; standard error says it on a `hint:` line.
final class MachineOutput {
    private final PrintStream out;

    MachineOutput(PrintStream out) {
        this.out = out;
    }

    /// `share`: input `index` (`file`) is in `shared`.
    void array(int index, Path file, String dataset, SharedArray shared) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("index", index);
        a.put("file", file.toString());
        a.put("dataset", dataset);
        a.put("handle", new Json.JsonText(shared.handleJson()));
        emit("array", a);
    }

    /// `convert`: how far the conversion is. `bytes` are the bytes parsed; `bytes_done` measure the
    /// whole job, up to the last chunk written (see [ConversionProgress#bytesDone(int)]), and agree
    /// with `rows`, the rows written; `states` counts the files in each state.
    void progress(ConversionProgress p) {
        ProgressSnapshot s = ProgressSnapshot.of(p);
        Map<String, Object> states = new LinkedHashMap<>();
        for (ConversionProgress.State state : ConversionProgress.State.values()) {
            states.put(ProgressDisplay.label(state),
                    s.files().stream().filter(f -> f.state() == state).count());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytes", p.totalBytesRead());
        m.put("bytes_done", s.done());
        m.put("total_bytes", s.size());
        m.put("rows", s.rows());
        m.put("files_done", s.filesFinished());
        m.put("files", s.files().size());
        m.put("states", states);
        m.put("seconds", s.seconds());
        emit("progress", m);
    }

    /// `convert`: what was written.
    void result(Path output, long bytesOut, ConversionResult r, io.ferry.dtype.DType dtype) {
        List<Object> datasets = new ArrayList<>();
        List<Object> failures = new ArrayList<>();
        for (Input in : r.inputs()) {
            Throwable failed = r.failures().get(in);
            if (failed != null) {
                failures.add(failure(in, failed));
                continue;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", in.dataset());
            d.put("file", in.file().toString());
            d.put("rows", r.rows()[in.index()]);
            datasets.add(d);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", output.toString());
        m.put("dtype", new io.ferry.json.Json.JsonText(dtype.descrJson()));   // --dtype infer's choice too
        m.put("datasets", datasets);
        m.put("rows", r.totalRows());
        m.put("bytes_in", r.bytesIn());
        m.put("bytes_out", bytesOut);
        m.put("seconds", r.seconds());
        m.put("failures", failures);
        emit("result", m);
    }

    /// {@return input `in`'s failure `why` as `--json` lists it}: `{"file", "dataset", "error"}`
    static Map<String, Object> failure(Input in, Throwable why) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("file", in.file().toString());
        f.put("dataset", in.dataset());
        f.put("error", error(why));
        return f;
    }

    /// `convert --dry-run`: what would be written ([DryRunReport#json()]).
    void dryRun(DryRunReport report) {
        emit("dry_run", report.json());
    }

    /// `serve`: a request is read and runs: `{"started": {}}`, before anything of it is done. A
    /// driver whose server dies before this line may send the request again; after it, it may not.
    void started() {
        emit("started", Map.of());
    }

    /// `serve`: a request is over; `end` holds its exit code and standard error.
    void end(Map<String, Object> end) {
        emit("end", end);
    }

    /// The command failed with `t`.
    void failed(Throwable t) {
        emit("error", error(t));
    }

    /// {@return `t` as an error object}: its kind, the message standard error shows, and a parse
    /// error's file, line, column, field and text
    static Map<String, Object> error(Throwable t) {
        Map<String, Object> e = new LinkedHashMap<>();
        TextParseException parse = find(t, TextParseException.class);
        e.put("kind", kind(t, parse));
        e.put("message", Main.describe(t));
        e.putAll(FerryException.detailsIn(t)); // a child JVM's parse error sends the same facts
        HintLine.find(t).ifPresent(h -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reason", h.reason());
            m.put("option", h.option());
            m.put("value", h.value());
            e.put("hint", m);
        });
        return e;
    }

    private static String kind(Throwable t, TextParseException parse) {
        if (parse != null) {
            return "parse";
        }
        ProcessWorkers.PartFailedException part = find(t, ProcessWorkers.PartFailedException.class);
        if (part != null && part.getMessage() != null && isParseType(part)) {
            return "parse";   // parsed in a child JVM
        }
        if (find(t, WorkerFailedException.class) != null || find(t, WorkerStalledException.class) != null) {
            return "worker";   // one that died, or stalled and was killed
        }
        if (t instanceof OptionException || t instanceof DTypeSpecException || t instanceof IllegalArgumentException) {
            return "usage";
        }
        return "failed";
    }

    private static boolean isParseType(ProcessWorkers.PartFailedException part) {
        return TextParseException.class.getName().equals(part.type());
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private synchronized void emit(String key, Map<String, Object> body) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put(key, body);
        out.println(Json.write(line));
        out.flush();
    }

    /// Runs `body`, reporting a failure as an `error` line before it propagates to `ferry`'s own
    /// handling (one line on standard error, the exit code). A failure once the run is ending for
    /// a signal is the exit's doing, as `ferry`'s handling takes it ([Commits#exiting()]): a load
    /// whose segment the exit's hooks removed said "was unlinked before it was filled", and its
    /// driver read that where the exit code said SIGTERM.
    static <T> T reportingFailures(MachineOutput machine, java.util.concurrent.Callable<T> body) throws Exception {
        try {
            return body.call();
        } catch (Exception | Error e) {
            if (machine != null && !Commits.exiting()) {
                machine.failed(e);
            }
            throw e;
        }
    }
}
