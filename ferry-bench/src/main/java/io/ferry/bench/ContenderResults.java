package io.ferry.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/// What the session learned about one contender: whether it could run, whether its output was
/// right, and its timed runs.
final class ContenderResults {
    private final Contender contender;
    private final List<RunRecord> runs = new ArrayList<>();
    private String unavailable;
    private String check = "";
    private Object checkDetail;

    ContenderResults(Contender contender) {
        this.contender = contender;
    }

    Contender contender() {
        return contender;
    }

    List<RunRecord> runs() {
        return runs;
    }

    /// {@return why it cannot run}, empty while it can
    Optional<String> unavailable() {
        return Optional.ofNullable(unavailable);
    }

    void markUnavailable(String reason) {
        unavailable = reason;
    }

    /// {@return `ok`, `failed: …`, or "" before the check ran (or for a limit)}
    String check() {
        return check;
    }

    Object checkDetail() {
        return checkDetail;
    }

    void checked(String result, Object detail) {
        check = result;
        checkDetail = detail;
    }

    /// {@return the successful runs}
    List<RunRecord> good() {
        return runs.stream().filter(r -> r.run().exitCode() == 0).toList();
    }

    /// {@return the median wall time of the successful runs in seconds}, or NaN without any
    double medianSeconds() {
        return median(good().stream().mapToDouble(RunRecord::wallSeconds).toArray());
    }

    double minSeconds() {
        return good().stream().mapToDouble(RunRecord::wallSeconds).min().orElse(Double.NaN);
    }

    double maxSeconds() {
        return good().stream().mapToDouble(RunRecord::wallSeconds).max().orElse(Double.NaN);
    }

    double medianPeakMemoryBytes() {
        return median(good().stream().mapToDouble(r -> r.run().peakMemoryBytes()).toArray());
    }

    double medianShmGrowthBytes() {
        return median(good().stream().mapToDouble(r -> r.run().peakShmGrowthBytes()).toArray());
    }

    double medianCpuSeconds() {
        return median(good().stream().mapToDouble(r -> r.run().cpuNanos() / 1e9).toArray());
    }

    double medianOutputBytes() {
        return median(good().stream().mapToDouble(RunRecord::outputBytes).toArray());
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
