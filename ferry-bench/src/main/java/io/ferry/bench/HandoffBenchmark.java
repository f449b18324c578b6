package io.ferry.bench;

import io.ferry.json.Json;
import io.ferry.proc.Worker;
import io.ferry.proc.WorkerOptions;
import io.ferry.shm.ArrayHandle;
import io.ferry.shm.Ownership;
import io.ferry.shm.SharedArray;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/// Handing a large array from a child process to its parent: Ferry (child JVM → parent JVM through
/// named shared memory, only the handle crosses) beside Python's `multiprocessing.Queue` (the array
/// pickled through a pipe), on the same machine in one run.
///
/// Ferry's figure is split in two: the handoff (from the child sending the handle to the parent
/// holding a mapped array), and the cost of mapping its pages on first touch (a full read pass),
/// which any consumer pays once however the memory arrived.
///
/// Run: `java --enable-native-access=ALL-UNNAMED -cp ferry-bench/target/benchmarks.jar io.ferry.bench.HandoffBenchmark [GiB] [runs]`
public final class HandoffBenchmark {
    private HandoffBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double gib = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long elements = (long) (gib * (1L << 30)) / 8;
        System.out.printf("handing %.2f GiB (%d x <f8) from a child to its parent, %d runs each%n", gib, elements, runs);

        List<Double> handoff = new ArrayList<>(), attach = new ArrayList<>(), touch = new ArrayList<>();
        WorkerOptions opts = WorkerOptions.DEFAULT.withJvmOptions(List.of("-Xmx64m"));
        for (int r = 0; r < runs; r++) {
            try (Worker w = Worker.start(HandoffTask.class, elements, opts)) {
                Map<String, Object> m = Json.asObject(w.receive(Duration.ofMinutes(5)), "message");
                long received = HandoffTask.micros(Instant.now());
                long t0 = System.nanoTime();
                ArrayHandle h = ArrayHandle.parse(Json.write(m.get("handle")));
                try (SharedArray a = SharedArray.attach(h, Ownership.OWNER)) {
                    a.unlink(); // both sides have it mapped: the name can go now
                    long t1 = System.nanoTime();
                    long attachedMicros = received + (t1 - t0) / 1000;
                    w.send("attached");
                    var seg = a.array().segment();
                    double sum = 0;
                    for (long off = 0; off < seg.byteSize(); off += 8) {
                        sum += seg.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, off);
                    }
                    long t2 = System.nanoTime();
                    double expect = (double) elements * (elements - 1) / 2;
                    if (Math.abs(sum - expect) > expect * 1e-9) {
                        throw new IllegalStateException("sum " + sum + " != " + expect);
                    }
                    handoff.add((attachedMicros - Json.asLong(m.get("sentMicros"), "sentMicros")) / 1000.0);
                    attach.add((t1 - t0) / 1e6);
                    touch.add((t2 - t1) / 1e6);
                }
                w.join(Duration.ofMinutes(1));
            }
        }
        List<Double> python = python(gib, runs);
        System.out.println();
        System.out.println("| contender | median ms | min ms | max ms |");
        System.out.println("|---|---:|---:|---:|");
        row("Ferry handoff (send handle → parent has the array mapped)", handoff);
        row("  of which attach (open + mmap + checks)", attach);
        row("Ferry first full read of the array (page mapping + sum)", touch);
        row("Python multiprocessing.Queue (put → get returns)", python);
    }

    private static void row(String name, List<Double> ms) {
        if (ms.isEmpty()) {
            System.out.printf("| %s | n/a | | |%n", name);
            return;
        }
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        System.out.printf("| %s | %.2f | %.2f | %.2f |%n", name, s.get(s.size() / 2), s.getFirst(), s.getLast());
    }

    private static List<Double> python(double gib, int runs) throws IOException, InterruptedException {
        Path script = Files.createTempFile("ferry-queue", ".py");
        try (InputStream in = HandoffBenchmark.class.getResourceAsStream("/python/queue_handoff.py")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), Double.toString(gib), Integer.toString(runs))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                System.out.println("python contender failed");
                return List.of();
            }
            List<Double> ms = new ArrayList<>();
            for (String line : out.strip().split("\n")) {
                ms.add(Double.parseDouble(line.strip()));
            }
            return ms;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
