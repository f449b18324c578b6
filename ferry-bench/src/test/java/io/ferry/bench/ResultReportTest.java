package io.ferry.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultReportTest {
    @Test
    void mediansOfOddEvenAndNone() {
        assertEquals(2.0, ContenderResults.median(new double[] {3, 1, 2}));
        assertEquals(2.5, ContenderResults.median(new double[] {4, 1, 2, 3}));
        assertTrue(Double.isNaN(ContenderResults.median(new double[0])));
    }

    @Test
    void tableHasRatiosToFerryAndNotAvailableRows() throws Exception {
        ContenderResults recipe = results("recipe-process", Contender.Kind.PYTHON, 4.0, 3.0, 5.0);
        ContenderResults ferry = results("ferry-thread", Contender.Kind.FERRY, 1.0, 2.0, 1.5);
        ContenderResults missing = results("ferry-process", Contender.Kind.FERRY);
        missing.markUnavailable("exited 2: Unmatched argument | usage");
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date_utc", "2026-01-01T00:00:00Z");
        env.put("cores", 2);
        env.put("loadavg_start", "0.00 0.00 0.00");
        env.put("sample_ms", 20);
        var inputs = new InputTables(List.of(Path.of("sample1.txt")), 1000, 1_000_000_000L);
        String md = new ResultReport(env, inputs, List.of(recipe, ferry, missing), 3).markdown();
        assertTrue(md.contains("| recipe-process | none | 4.00 | 3.00–5.00 | 250 |"), md);
        assertTrue(md.contains("| 2.67 | ok |"), md);
        assertTrue(md.contains("| ferry-process | none | (not available: exited 2: Unmatched argument \\| usage) |"), md);
        String csv = new ResultReport(env, inputs, List.of(recipe, ferry, missing), 3).csv();
        assertEquals(7, csv.lines().count());
    }

    @Test
    void gzipFastIsComparedWithThePythonGzipRuns() {
        ContenderResults recipe = results("recipe-process", Contender.GZIP, Contender.Kind.PYTHON, 1000, 8.0, 9.0, 7.0);
        ContenderResults gzip = results("ferry-thread", Contender.GZIP, Contender.Kind.FERRY, 900, 3.0);
        ContenderResults fast = results("ferry-thread", Contender.GZIP_FAST, Contender.Kind.FERRY, 1100, 2.0);
        Map<String, Object> env = Map.of("date_utc", "2026-01-01T00:00:00Z", "cores", 2, "loadavg_start", "0", "sample_ms", 20);
        var inputs = new InputTables(List.of(Path.of("sample1.txt")), 1000, 1_000_000_000L);
        String md = new ResultReport(env, inputs, List.of(recipe, gzip, fast), 3).markdown();
        assertTrue(md.contains("| recipe-process | gzip:4+shuffle | 8.00 |"), md);
        assertTrue(md.contains("| 2.67 | ok |"), md);
        assertTrue(md.contains("Against ferry-thread with gzip:fast+shuffle: recipe-process (gzip:4+shuffle) takes 4.00×"
                + " the time, for an output 0.91× the size."), md);
        assertEquals(List.of("--compression", "gzip:fast", "--shuffle"), Contender.filterArgs(Contender.GZIP_FAST));
    }

    private static ContenderResults results(String name, Contender.Kind kind, double... seconds) {
        return results(name, Contender.NONE, kind, 1000, seconds);
    }

    private static ContenderResults results(String name, String filters, Contender.Kind kind, long outBytes, double... seconds) {
        Contender c = new Contender(name, filters, kind, name, List.of("true"), List.of(), "",
                Optional.of(Path.of("/tmp/x.h5")), Optional.empty());
        ContenderResults r = new ContenderResults(c);
        int round = 0;
        for (double s : seconds) {
            CommandRun run = new CommandRun(0, (long) (s * 1e9), 1_000_000_000L, 1L << 30, 1L << 30, 1L << 31, 0, 2,
                    10, 1, Path.of("o"), Path.of("e"));
            r.runs().add(new RunRecord(++round, 1, c, run, outBytes, 0.5, Instant.EPOCH));
        }
        if (seconds.length > 0) {
            r.checked("ok", null);
        }
        return r;
    }
}
