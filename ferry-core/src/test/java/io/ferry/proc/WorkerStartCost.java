package io.ferry.proc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;

/// Measures what a worker costs: starting a child JVM up to its first answer, a message round
/// trip, and a pool's map. A note for the design, not a test; run it by hand on a quiet machine:
///
/// ```text
/// mvn -q -pl ferry-core test-compile
/// java -cp ferry-core/target/classes:ferry-core/target/test-classes io.ferry.proc.WorkerStartCost
/// ```
public final class WorkerStartCost {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private WorkerStartCost() {
    }

    public static void main(String[] args) {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        WorkerOptions plain = WorkerOptions.DEFAULT.withEchoStderr(false);
        WorkerOptions small = plain.withJvmOptions(
                List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC"));
        for (int round = 0; round < 2; round++) { // alternate, and let the first round warm the page cache
            System.out.println("round " + round);
            startToFirstAnswer("default JVM options", plain, starts);
            startToFirstAnswer("-Xmx64m -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC", small, starts);
        }
        roundTrips(plain, "\"x\"", "x", 20_000);
        roundTrips(plain, "1 MiB string", "y".repeat(1 << 20), 50);
        poolMap(plain);
    }

    private static void startToFirstAnswer(String what, WorkerOptions options, int times) {
        List<Double> start = new ArrayList<>();
        List<Double> firstAnswer = new ArrayList<>();
        List<Double> stop = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            long t0 = System.nanoTime();
            try (Worker w = Worker.start(TestTasks.Echo.class, null, options)) {
                long t1 = System.nanoTime();
                w.send("x");
                w.receive(WAIT);
                long t2 = System.nanoTime();
                w.send("bye");
                w.join(WAIT);
                long t3 = System.nanoTime();
                start.add(ms(t1 - t0));
                firstAnswer.add(ms(t2 - t0));
                stop.add(ms(t3 - t2));
            }
        }
        System.out.printf("  %-62s start() %.1f ms, start to first echo %.0f ms (min %.0f), bye to exit %.0f ms%n",
                what, median(start), median(firstAnswer), Collections.min(firstAnswer), median(stop));
    }

    private static void roundTrips(WorkerOptions options, String what, Object message, int count) {
        try (Worker w = Worker.start(TestTasks.Echo.class, null, options)) {
            for (int i = 0; i < Math.min(count, 2_000); i++) { // warm up both JITs
                w.send(message);
                w.receive(WAIT);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                w.send(message);
                w.receive(WAIT);
            }
            long t1 = System.nanoTime();
            w.send("bye");
            w.join(WAIT);
            System.out.printf("  round trip of %-14s %.1f µs each (%d trips)%n", what, (t1 - t0) / 1e3 / count, count);
        }
    }

    private static void poolMap(WorkerOptions options) {
        List<Long> inputs = LongStream.range(0, 1000).boxed().toList();
        long t0 = System.nanoTime();
        WorkerPool pool = WorkerPool.start(2, options);
        pool.map(TestTasks.Square.class, List.of(1, 2));
        long t1 = System.nanoTime();
        pool.map(TestTasks.Square.class, inputs); // cold: both JVMs still interpret
        long t2 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            pool.map(TestTasks.Square.class, inputs);
        }
        long t3 = System.nanoTime();
        pool.map(TestTasks.Square.class, inputs);
        long t4 = System.nanoTime();
        pool.close();
        long t5 = System.nanoTime();
        System.out.printf("  pool of 2: start + map of 2 inputs %.0f ms; map of 1000 tiny inputs: cold %.0f µs, warm %.0f µs per input; close %.0f ms%n",
                ms(t1 - t0), (t2 - t1) / 1e3 / inputs.size(), (t4 - t3) / 1e3 / inputs.size(), ms(t5 - t4));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
