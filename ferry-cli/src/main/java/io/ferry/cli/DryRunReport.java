package io.ferry.cli;

import io.ferry.Sizes;
import io.ferry.dtype.DType;
import io.ferry.pipeline.ConversionPreview;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `ferry convert --dry-run`: what the run would write, for a person (a table) or a program
/// (`--json`: one `{"dry_run": …}` line).
///
/// ```
/// dry run, nothing written: samples.h5 would hold 2 datasets of [('chr', '|S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]
///   dataset   shape (est.)  size (est.)  parts  input
///   /sample1  (~2,990,)     76 KiB       1      examples/sample1.txt
///   /sample4  (~5,038,)     128 KiB      1      examples/sample4.txt.gz
/// ~8,028 rows, ~204 KiB, 2 parts; 2 workers (thread); memory 62 MiB: 48 chunk slots of 40,329 rows (1024 KiB each), 14 MiB for compression
/// ```
///
/// Rows are estimated from each input's size and the lines of its start (comments included): a
/// few percent off for a table of even lines; a big gzip input's are unknown (`?`).
/// With `--append`, the datasets are those the file would get besides its own.
record DryRunReport(Path output, boolean append, DType dtype, String isolation, Map<String, String> attributes,
                    ConversionPreview preview) {

    void print(PrintWriter out) {
        List<ConversionPreview.Dataset> ds = written();
        out.printf("dry run, nothing written: %s would %s %d %sdataset%s of %s%n", output, append ? "get" : "hold", ds.size(),
                append ? "more " : "", ds.size() == 1 ? "" : "s", dtype.descr());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"dataset", "shape (est.)", "size (est.)", "parts", "input"});
        long totalRows = 0, totalBytes = 0;
        boolean unknown = false;
        for (ConversionPreview.Dataset d : ds) {
            long n = d.estimatedRows();
            unknown |= n < 0;
            totalRows += Math.max(0, n);
            totalBytes += Math.max(0, d.estimatedBytes());
            rows.add(new String[]{"/" + d.input().dataset(), shape(d), n < 0 ? "?" : Sizes.human(d.estimatedBytes()),
                    Integer.toString(d.parts()), d.input().file().toString()});
        }
        int[] width = new int[rows.getFirst().length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < r.length; i++) {
                line.append(' ').append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s ", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.printf("~%s, ~%s%s, %d part%s; %d worker%s (%s); memory %s: %d chunk slots of %s rows (%s each), %s for compression%n",
                Units.counted(totalRows, "row"), Sizes.human(totalBytes), unknown ? " and inputs of unknown size" : "",
                preview.parts(), preview.parts() == 1 ? "" : "s", preview.workers(), preview.workers() == 1 ? "" : "s",
                isolation, Sizes.human(preview.memoryBytes()), preview.slots(), Units.count(preview.chunkRows()),
                Sizes.human(preview.slotBytes()), Sizes.human(preview.sinkBytes()));
        if (!attributes.isEmpty()) {
            List<String> kv = new ArrayList<>();
            attributes.forEach((k, v) -> kv.add(k + "=" + io.ferry.json.Json.write(v)));
            out.println("file attributes: " + String.join(", ", kv));
        }
        out.flush();
    }

    /// {@return the datasets the run would write}: not those of the inputs that would fail
    private List<ConversionPreview.Dataset> written() {
        return preview.datasets().stream().filter(d -> !preview.failures().containsKey(d.input())).toList();
    }

    /// Prints the inputs that would fail (keeping going) on `err`, as the run lists its failures.
    void printFailures(PrintWriter err) {
        if (preview.failures().isEmpty()) {
            return;
        }
        err.println("ferry convert: dry run: " + preview.failures().size() + " of " + preview.datasets().size()
                + " inputs would fail and not be in " + output + ":");
        ConvertCommand.listFailures(err, preview.failures().values());
    }

    /// {@return the `dry_run` object of `--json`}
    Map<String, Object> json() {
        List<Object> failures = new ArrayList<>();
        preview.failures().forEach((in, why) -> failures.add(MachineOutput.failure(in, why)));
        List<Object> datasets = new ArrayList<>();
        for (ConversionPreview.Dataset d : written()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.input().dataset());
            m.put("file", d.input().file().toString());
            m.put("dtype", new io.ferry.json.Json.JsonText(dtype.descrJson()));
            List<Object> row = new ArrayList<>();
            Arrays.stream(d.row()).forEach(row::add);
            m.put("row_shape", row);
            m.put("estimated_rows", d.estimatedRows());
            m.put("estimated_bytes", d.estimatedBytes());
            m.put("parts", d.parts());
            datasets.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", output.toString());
        m.put("append", append);
        m.put("datasets", datasets);
        m.put("workers", preview.workers());
        m.put("isolation", isolation);
        m.put("parts", preview.parts());
        m.put("chunk_rows", preview.chunkRows());
        m.put("memory_bytes", preview.memoryBytes());
        m.put("attributes", new LinkedHashMap<Object, Object>(attributes));
        m.put("failures", failures);
        return m;
    }

    private static String shape(ConversionPreview.Dataset d) {
        String rows = d.estimatedRows() < 0 ? "?" : "~" + Units.count(d.estimatedRows());
        StringBuilder s = new StringBuilder("(").append(rows);
        for (long x : d.row()) {
            s.append(", ").append(x);
        }
        return s.append(d.row().length == 0 ? ",)" : ")").toString();
    }
}
