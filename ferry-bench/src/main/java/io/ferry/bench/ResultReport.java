package io.ferry.bench;

import io.ferry.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Writes a session's results: `results.md` (a table to paste into the README), `runs.csv` and
/// `runs.json` (every timed run, raw).
final class ResultReport {
    private final Map<String, Object> environment;
    private final InputTables inputs;
    private final List<ContenderResults> results;
    private final int runs;

    ResultReport(Map<String, Object> environment, InputTables inputs, List<ContenderResults> results, int runs) {
        this.environment = environment;
        this.inputs = inputs;
        this.results = results;
        this.runs = runs;
    }

    /// Writes the three files into `dir`; {@return the markdown}
    String write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String md = markdown();
        Files.writeString(dir.resolve("results.md"), md);
        Files.writeString(dir.resolve("runs.csv"), csv());
        Files.writeString(dir.resolve("runs.json"), json());
        return md;
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        long text = inputs.totalBytes();
        b.append("Inputs: ").append(inputs.files().size()).append(" files × ").append(inputs.linesPerFile())
                .append(" lines of the methylation table, ").append("%.1f".formatted(text / 1e6))
                .append(" MB of text in all; ").append(runs).append(" runs per contender, alternating; ")
                .append(environment.get("date_utc")).append(", ").append(environment.get("cores")).append(" cores, load ")
                .append(environment.get("loadavg_start")).append(" at the start.\n\n");
        b.append("| contender | filters | median s | min–max s | text MB/s | peak memory MiB | of it /dev/shm MiB | CPU s | output MB | time ÷ Ferry thread | output check |\n");
        b.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (ContenderResults r : results) {
            Contender c = r.contender();
            b.append("| ").append(c.name()).append(" | ").append(c.compression()).append(" | ");
            Optional<String> na = r.unavailable();
            if (r.good().isEmpty()) {
                String why = brief(na.orElse("no successful run"));
                b.append("(not available: ").append(why).append(") | | | | | | | | |\n");
                continue;
            }
            double med = r.medianSeconds();
            b.append("%.2f".formatted(med)).append(" | ")
                    .append("%.2f–%.2f".formatted(r.minSeconds(), r.maxSeconds())).append(" | ")
                    .append("%.0f".formatted(text / 1e6 / med)).append(" | ")
                    .append("%.0f".formatted(RunRecord.mib((long) r.medianPeakMemoryBytes()))).append(" | ")
                    .append("%.0f".formatted(RunRecord.mib((long) r.medianShmGrowthBytes()))).append(" | ")
                    .append("%.1f".formatted(r.medianCpuSeconds())).append(" | ")
                    .append(c.output().isPresent() ? "%.0f".formatted(r.medianOutputBytes() / 1e6) : "").append(" | ")
                    .append(ratio(r)).append(" | ")
                    .append(brief(r.check()));
            if (na.isPresent()) {
                b.append(" (stopped: ").append(brief(na.get())).append(")");
            }
            b.append(" |\n");
        }
        b.append(fastComparison());
        b.append("""

                Wall time from start to exit of the whole command (the launcher, interpreters and JVMs
                included), inputs read into page cache (`cat … > /dev/null`) and `sync` run just before each
                run; no contender syncs its output. Text MB/s = input bytes (10^6) ÷ median wall time.
                Peak memory = the largest sample (every %s ms) of Σ(Pss − Pss_Shmem) over the process tree
                + max(Σ Pss_Shmem, growth of /dev/shm), median over runs: each shared page counted once,
                segments waiting in /dev/shm unmapped included; /dev/shm is machine-wide, so another
                program's segments would count too. CPU s = user + system time of the tree. Time ÷ Ferry
                thread: this median over `ferry-thread` with the same filters (limits: over ferry-thread/none).
                """.formatted(environment.get("sample_ms")));
        return b.toString();
    }

    /// {@return a line comparing the Python contenders' gzip 4 with Ferry's gzip:fast}, in time and
    /// output size (the same filter, written by another deflater), or nothing without both
    private String fastComparison() {
        Optional<ContenderResults> fast = results.stream().filter(f -> f.contender().name().equals("ferry-thread")
                && f.contender().compression().equals(Contender.GZIP_FAST) && !f.good().isEmpty()).findFirst();
        if (fast.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (ContenderResults r : results) {
            if (r.contender().kind() == Contender.Kind.PYTHON && r.contender().compression().equals(Contender.GZIP)
                    && !r.good().isEmpty()) {
                b.append(b.isEmpty() ? "\nAgainst ferry-thread with gzip:fast+shuffle: " : "; ")
                        .append(r.contender().name()).append(" (gzip:4+shuffle) takes ")
                        .append("%.2f×".formatted(r.medianSeconds() / fast.get().medianSeconds()))
                        .append(" the time, for an output ")
                        .append("%.2f×".formatted(r.medianOutputBytes() / fast.get().medianOutputBytes()))
                        .append(" the size");
            }
        }
        return b.isEmpty() ? "" : b.append(".\n").toString();
    }

    /// {@return `why` cut to fit a table cell}, the whole of it stays in runs.json
    private static String brief(String why) {
        String s = why.length() <= 140 ? why : why.substring(0, 137) + "...";
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private String ratio(ContenderResults r) {
        String compression = r.contender().kind() == Contender.Kind.LIMIT ? Contender.NONE : r.contender().compression();
        for (ContenderResults f : results) {
            if (f.contender().name().equals("ferry-thread") && f.contender().compression().equals(compression)
                    && !f.good().isEmpty()) {
                return "%.2f".formatted(r.medianSeconds() / f.medianSeconds());
            }
        }
        return "—";
    }

    String csv() {
        StringBuilder b = new StringBuilder(RunRecord.CSV_HEADER).append('\n');
        for (RunRecord r : allRuns()) {
            b.append(r.csv(inputs.totalBytes())).append('\n');
        }
        return b.toString();
    }

    String json() {
        Map<String, Object> in = new LinkedHashMap<>();
        List<Object> files = new ArrayList<>();
        for (Path f : inputs.files()) {
            files.add(f.toString());
        }
        in.put("files", files);
        in.put("lines_per_file", inputs.linesPerFile());
        in.put("text_bytes", inputs.totalBytes());
        StringBuilder b = new StringBuilder("{\n\"environment\": ").append(Json.write(environment))
                .append(",\n\"inputs\": ").append(Json.write(in)).append(",\n\"contenders\": [");
        String sep = "\n";
        for (ContenderResults r : results) {
            Contender c = r.contender();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("name", c.name());
            m.put("compression", c.compression());
            m.put("kind", c.kind().name().toLowerCase());
            m.put("description", c.description());
            m.put("command", c.command().size() > 40 ? c.command().subList(0, 40) : c.command());
            m.put("available", r.unavailable().isEmpty());
            m.put("reason", r.unavailable().orElse(null));
            m.put("check", r.check());
            m.put("check_detail", r.checkDetail());
            if (!r.good().isEmpty()) {
                m.put("median_s", r.medianSeconds());
                m.put("min_s", r.minSeconds());
                m.put("max_s", r.maxSeconds());
            }
            b.append(sep).append(Json.write(m));
            sep = ",\n";
        }
        b.append("\n],\n\"runs\": [");
        sep = "\n";
        for (RunRecord r : allRuns()) {
            b.append(sep).append(Json.write(r.json(inputs.totalBytes())));
            sep = ",\n";
        }
        return b.append("\n]\n}\n").toString();
    }

    private List<RunRecord> allRuns() {
        List<RunRecord> all = new ArrayList<>();
        results.forEach(r -> all.addAll(r.runs()));
        all.sort((a, c) -> a.round() != c.round() ? Integer.compare(a.round(), c.round())
                : Integer.compare(a.position(), c.position()));
        return all;
    }
}
