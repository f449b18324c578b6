package io.ferry.proc;

import io.ferry.json.Json;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/// Tasks the tests run in child JVMs; the child gets the test class path, so they load there.
public final class TestTasks {
    static final Duration LONG = Duration.ofSeconds(30);

    private TestTasks() {
    }

    /// Echoes every message back until "bye", then returns how many it echoed.
    public static final class Echo implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            long echoed = 0;
            while (true) {
                Object m = channel.receive(LONG);
                if ("bye".equals(m)) {
                    return echoed;
                }
                channel.send(m);
                echoed++;
            }
        }
    }

    /// Sends JSON `null`, then returns "sent".
    public static final class SendNull implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            channel.send(null);
            return "sent";
        }
    }

    /// Repeats `word` `times` times: `{"word": "ab", "times": 3}` → `["ab", "ab", "ab"]`.
    public static final class Repeat implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            Map<String, Object> args = Json.asObject(input, "the input");
            String word = Json.asString(args.get("word"), "word");
            long times = Json.asLong(args.get("times"), "times");
            return java.util.Collections.nCopies((int) times, word);
        }
    }

    /// Prints to System.out (which must land on stderr), then exits with the input as exit code.
    public static final class Exit implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            System.out.println("about to exit with " + input);
            System.exit((int) Json.asLong(input, "the exit code"));
            return null;
        }
    }

    /// Prints a line, then throws.
    public static final class Fail implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            System.err.println("working on " + input);
            throw new IllegalStateException("bad line 7 in " + input);
        }
    }

    /// Sends its pid, then sleeps until killed (or the input's seconds have passed).
    public static final class Stall implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) throws InterruptedException {
            channel.send(Map.of("pid", ProcessHandle.current().pid()));
            Thread.sleep(input instanceof Long seconds ? seconds * 1000 : 60_000);
            return "woke up";
        }
    }

    /// Sends "spinning", then keeps a core busy for the input's milliseconds.
    public static final class Spin implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            channel.send("spinning");
            long end = System.nanoTime() + Json.asLong(input, "milliseconds") * 1_000_000;
            long n = 0;
            while (System.nanoTime() < end) {
                n++;
            }
            return n;
        }
    }

    /// Prints plenty to System.out, including text that looks like channel lines, then returns "ok".
    public static final class Chatty implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) throws java.io.IOException {
            for (int i = 0; i < 500; i++) {
                System.out.println("{\"type\": \"result\", \"seq\": 0, \"value\": \"not really\"} " + i);
            }
            // Straight to file descriptor 1, as native code would write: must land on stderr too.
            // (Not closed: that would close descriptor 1 itself.)
            var fd1 = new java.io.FileOutputStream(java.io.FileDescriptor.out);
            fd1.write("{\"type\": \"result\", \"seq\": 0, \"value\": \"raw fd 1\"}\n".getBytes());
            fd1.flush();
            System.out.print("no newline at the end");
            return "ok";
        }
    }

    /// Writes 8 MB of stderr (far past any pipe buffer), ending with one over-long line, then returns "flooded".
    public static final class Flood implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            String line = "x".repeat(79);
            for (int i = 0; i < 100_000; i++) {
                System.err.println(i + " " + line);
            }
            System.err.println("y".repeat(1 << 20));
            return "flooded";
        }
    }

    /// `n` → `[n * n, pid]`; `-1` throws; `-9` kills its own JVM with `kill -9`.
    public static final class Square implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) throws Exception {
            long n = Json.asLong(input, "the input");
            long pid = ProcessHandle.current().pid();
            if (n == -1) {
                throw new IllegalArgumentException("no square for -1");
            }
            if (n == -9) {
                System.err.println("killing myself");
                new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
                Thread.sleep(30_000);
            }
            return List.of(n * n, pid);
        }
    }

    /// Sends three progress messages, waits for the parent's "done", returns the input times ten.
    public static final class Progress implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            long n = Json.asLong(input, "the input");
            for (long step = 1; step <= 3; step++) {
                channel.send(Map.of("input", n, "step", step));
            }
            Object reply = channel.receive(LONG);
            if (!"done".equals(reply)) {
                throw new IllegalStateException("expected \"done\", got " + Json.write(reply));
            }
            return n * 10;
        }
    }

    /// The intermediate parent of the parent-death test: starts a [Stall] grandchild, reports its
    /// pid, then waits to be killed.
    public static final class SpawnGrandchild implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) throws InterruptedException {
            Worker grandchild = Worker.start(Stall.class, null, TestWorkers.OPTIONS);
            Object hello = grandchild.receive(LONG);
            channel.send(Map.of("grandchild", grandchild.pid(), "hello", hello));
            Thread.sleep(60_000);
            return "not killed";
        }
    }

    /// Returns this JVM's own arguments (its `java` command's, the command left out).
    public static final class Arguments implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            return List.of(ProcessHandle.current().info().arguments().orElseThrow());
        }
    }

    /// Starts an [Arguments] child with the test options and returns what it returns.
    public static final class ChildArguments implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) throws Exception {
            try (Worker child = Worker.start(Arguments.class, null, TestWorkers.OPTIONS)) {
                return child.join(LONG);
            }
        }
    }

    /// The example of [WorkerTask]'s documentation.
    public static class Greeting implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            String name = Json.asString(input, "the input");
            channel.send("hello " + name);                        // any number of messages, any time
            Object reply = channel.receive(Duration.ofSeconds(30)); // and replies from the parent
            return name.toUpperCase() + " " + reply;              // the result, sent back as JSON
        }
    }

    /// The example of [WorkerPool]'s documentation.
    public static class Length implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            return (long) Json.asString(input, "the input").length();
        }
    }
}
