package io.ferry.cli;

import io.ferry.json.Json;
import io.ferry.shm.SharedArray;
import io.ferry.testing.Checkout;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.ferry.testing.Checkout.EXAMPLES;
import static io.ferry.testing.Checkout.SAMPLE_DTYPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry serve` in a child JVM, driven as the Python package's `ferry.Session` drives it: requests
/// and words on its standard input, each request's lines and its `end` on its standard output.
@ExtendWith(ShmLeakCheck.class)
@Tag("process")
class ServeCommandTest {
    @TempDir
    Path dir;

    /// One `ferry serve` and its two pipes.
    private static final class Server implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final Writer in;

        Server() throws IOException {
            List<String> cmd = new ArrayList<>(FerryJvm.javaCommand());
            cmd.add("serve");
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            out = process.inputReader(StandardCharsets.UTF_8);
            in = process.outputWriter(StandardCharsets.UTF_8);
        }

        void say(String line) throws IOException {
            in.write(line + "\n");
            in.flush();
        }

        /// The `started` lines read so far, one a request as it is read.
        int started;

        /// {@return the next line of standard output, as the one key it has and its value}, past a
        /// request's `started` (counted in [#started])
        Map.Entry<String, Object> next() throws IOException {
            while (true) {
                String line = out.readLine();
                assertTrue(line != null, "ferry serve closed its output");
                Map<String, Object> m = Json.asObject(Json.parse(line), "line");
                assertEquals(1, m.size(), line);
                if (m.containsKey("started")) {
                    assertEquals(Map.of(), m.get("started"), line);
                    started++;
                    continue;
                }
                return m.entrySet().iterator().next();
            }
        }

        /// {@return the `end` that follows, checking its exit code}
        Map<String, Object> end(long exit) throws IOException {
            Map.Entry<String, Object> e = next();
            assertEquals("end", e.getKey());
            Map<String, Object> end = Json.asObject(e.getValue(), "end");
            assertEquals(exit, end.get("exit"), String.valueOf(end));
            return end;
        }

        int exit() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ferry serve exits");
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }

    private static String request(String... args) {
        return Arrays.stream(args).map(a -> Json.write(a)).collect(Collectors.joining(", ", "[", "]"));
    }

    /// Sends `request` and reads its `count` arrays' positions here as a consumer would, then says `done`.
    private static List<long[]> takeArrays(Server s, String request, int count) throws IOException {
        s.say(request);
        List<long[]> positions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map.Entry<String, Object> line = s.next();
            assertEquals("array", line.getKey());
            String handle = Json.write(Json.asObject(line.getValue(), "array").get("handle"));
            try (SharedArray a = SharedArray.attach(handle)) {
                long[] pos = new long[(int) a.array().length()];
                for (int r = 0; r < pos.length; r++) {
                    pos[r] = a.array().column("pos").getLong(r);
                }
                positions.add(pos);
                names.add(a.name());
            }
        }
        s.say("done");
        s.end(0);
        for (String n : names) {
            assertFalse(Files.exists(Path.of("/dev/shm", n)), "removed after done: " + n);
        }
        return positions;
    }

    @Test
    void requestsOneAfterAnotherInOneJvmAndErrorsThatDoNotEndIt() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.txt"), "chr1\t10\t1.5\t3\t4\nchr1\tx\t1.5\t3\t4\n");
        try (Server s = new Server()) {
            List<long[]> first = takeArrays(s, request("share", EXAMPLES.resolve("sample1.txt").toString(), "--dtype", SAMPLE_DTYPE), 1);
            assertEquals(3000, first.getFirst().length);
            assertEquals(3383229, first.getFirst()[0]);

            s.say(request("share", bad.toString(), "--dtype", SAMPLE_DTYPE, "--json"));
            Map.Entry<String, Object> error = s.next();
            assertEquals(2, s.started, "each request said it had started before its first line");
            assertEquals("error", error.getKey());
            assertEquals(2L, Json.asObject(error.getValue(), "error").get("line"));
            assertTrue(((String) s.end(1).get("stderr")).startsWith("ferry share: " + bad + ":2:"));

            s.say(request("convert", "--help"));     // a text, not JSON lines: in the end line
            Map<String, Object> help = s.end(0);
            assertTrue(((String) help.get("stdout")).startsWith("Usage: ferry convert"), help.toString());
            s.say(request("share", "--dtype"));      // picocli's usage error: on the end's stderr only
            assertTrue(((String) s.end(64).get("stderr")).contains("--dtype"));
            s.say("[\"load\", \"a.txt\"]");
            assertEquals("error", s.next().getKey());
            assertTrue(((String) s.end(64).get("stderr")).contains("runs share and convert requests"));

            s.say("");
            s.say("done");                           // late: no share waits for it, ignored
            List<long[]> again = takeArrays(s, request("share", EXAMPLES.resolve("sample1.txt").toString(),
                    EXAMPLES.resolve("sample4.txt.gz").toString(), "--dtype", SAMPLE_DTYPE, "-w", "2"), 2);
            assertArrayEquals(first.getFirst(), again.getFirst());
            assertEquals(2, again.size());
            s.in.close();
            assertEquals(0, s.exit(), "the end of standard input between requests: exit 0");
        }
    }

    /// The driver going away (its end of standard input closing) before it took the arrays: they
    /// are removed, and the server exits with the request's code.
    @Test
    void theEndOfStandardInputDuringARequestRemovesItsArrays() throws Exception {
        try (Server s = new Server()) {
            s.say(request("share", EXAMPLES.resolve("sample3.txt").toString(), "--dtype", SAMPLE_DTYPE));
            Map.Entry<String, Object> line = s.next();
            assertEquals("array", line.getKey());
            String name = (String) Json.asObject(Json.asObject(line.getValue(), "a").get("handle"), "h").get("name");
            assertTrue(Files.exists(Path.of("/dev/shm", name)));
            s.in.close();
            assertEquals("error", s.next().getKey());
            s.end(1);
            assertEquals(1, s.exit());
            assertFalse(Files.exists(Path.of("/dev/shm", name)));
        }
    }

    @Test
    void aRequestIsShareArgumentsAsAJsonArrayWithJsonAdded() {
        assertArrayEquals(new String[]{"share", "--json", "--", "a.txt"}, ServeCommand.request("[\"share\", \"--\", \"a.txt\"]"));
        assertArrayEquals(new String[]{"share", "a.txt", "--json"}, ServeCommand.request("[\"share\", \"a.txt\", \"--json\"]"));
        assertTrue(assertThrows(UsageException.class, () -> ServeCommand.request("share a.txt")).getMessage()
                .startsWith("not a request: a request is the arguments of ferry share or convert as a JSON array"));
        assertTrue(assertThrows(UsageException.class, () -> ServeCommand.request("[\"share\", 3]")).getMessage()
                .contains("strings, not 3"));
        assertThrows(UsageException.class, () -> ServeCommand.request("[]"));
        assertThrows(UsageException.class, () -> ServeCommand.request("[\"load\", \"a.txt\"]"));
        assertArrayEquals(new String[]{"convert", "--json", "a.txt"}, ServeCommand.request("[\"convert\", \"a.txt\"]"));
    }

    /// Requests written all at once, standard input closed behind them: each is served in turn,
    /// then `ferry serve` exits 0.
    @Test
    void requestsQueuedBeforeTheEndOfInputAreAllServed() throws Exception {
        Path requests = Files.writeString(dir.resolve("requests"), String.join("\n",
                request("share", EXAMPLES.resolve("sample1.txt").toString(), "--dtype", SAMPLE_DTYPE), "done",
                request("convert", EXAMPLES.resolve("sample2.txt").toString(), "-o", dir.resolve("q.h5").toString(),
                        "--dtype", SAMPLE_DTYPE),
                request("share", EXAMPLES.resolve("sample3.txt").toString(), "--dtype", SAMPLE_DTYPE), "done", ""));
        List<String> cmd = new ArrayList<>(FerryJvm.javaCommand());
        cmd.add("serve");
        Process p = new ProcessBuilder(cmd).redirectInput(requests.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> ends = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("{\"end\"")).toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals(List.of("{\"end\": {\"exit\": 0, \"stderr\": \"\"}}"), ends.stream().distinct().toList());
        assertEquals(3, ends.size());
        assertTrue(Files.exists(dir.resolve("q.h5")));
    }

    /// Conversions between shares: each writes its file and ends with its result; one that fails
    /// leaves no output; `-` is refused, by a conversion and a share (standard input carries the requests).
    @Test
    void conversionsAmongShares() throws Exception {
        Path out = dir.resolve("o.h5");
        try (Server s = new Server()) {
            s.say(request("convert", EXAMPLES.resolve("sample1.txt").toString(), EXAMPLES.resolve("sample2.txt").toString(),
                    "-o", out.toString(), "--dtype", SAMPLE_DTYPE));
            Map.Entry<String, Object> line;
            do {
                line = s.next();
            } while (line.getKey().equals("progress"));
            assertEquals("result", line.getKey());
            assertEquals(7000L, Json.asObject(line.getValue(), "result").get("rows"));
            s.end(0);
            assertTrue(Files.size(out) > 0);

            takeArrays(s, request("share", EXAMPLES.resolve("sample1.txt").toString(), "--dtype", SAMPLE_DTYPE), 1);

            Path bad = Files.writeString(dir.resolve("bad.txt"), "chr1\tx\t1.5\t3\t4\n");
            s.say(request("convert", bad.toString(), "-o", dir.resolve("bad.h5").toString(), "--dtype", SAMPLE_DTYPE));
            do {
                line = s.next();
            } while (line.getKey().equals("progress"));
            assertEquals("error", line.getKey());
            s.end(1);
            assertFalse(Files.exists(dir.resolve("bad.h5")));

            s.say(request("convert", "-", "-o", dir.resolve("in.h5").toString(), "--dtype", SAMPLE_DTYPE));
            assertEquals("error", s.next().getKey());
            assertTrue(((String) s.end(64).get("stderr")).contains("standard input carries the requests"));
            s.say(request("share", "-", "--dtype", SAMPLE_DTYPE));
            assertEquals("error", s.next().getKey());
            assertTrue(((String) s.end(64).get("stderr")).contains("standard input carries the requests"));
            s.in.close();
            assertEquals(0, s.exit());
        }
        assertEquals(List.of("bad.txt", "o.h5"), names());
    }

    /// The driver going away during a conversion stops it as SIGTERM does: exit 143, no output,
    /// no temporary file.
    @Test
    void theEndOfStandardInputDuringAConversionStopsIt() throws Exception {
        Path big = dir.resolve("big.txt");
        io.ferry.sample.MethylationTable.write(big, 3_000_000, 7);
        try (Server s = new Server()) {
            // gzip:9 keeps it going for seconds: uncompressed, a fast machine converted the 3M
            // lines (0.8 s) before the server saw its standard input end, and it exited 0
            s.say(request("convert", big.toString(), "-o", dir.resolve("big.h5").toString(), "--dtype", SAMPLE_DTYPE,
                    "-w", "1", "--compression", "gzip:9", "--memory", "5M"));
            assertEquals("progress", s.next().getKey(), "the conversion has started");
            s.in.close();
            assertEquals(143, s.exit());
        }
        assertEquals(List.of("big.txt"), names());
    }

    private List<String> names() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /// `ferry serve --help`'s example, run as written from the checkout's root.
    @Test
    void theHelpExampleWorksAsWritten() throws Exception {
        List<String> help = new ArrayList<>(FerryJvm.javaCommand());
        help.addAll(List.of("serve", "--help"));
        Process h = new ProcessBuilder(help).start();
        List<String> lines = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, h.waitFor());
        int start = lines.indexOf("Example:") + 1;
        String example = (lines.get(start).strip().replaceAll("\\\\$", "") + " " + lines.get(start + 1).strip())
                .replace("| ferry ", "| " + FerryJvm.javaCommand().stream().map(ServeCommandTest::quoted)
                        .collect(Collectors.joining(" ")) + " ");
        Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; " + example).directory(Checkout.ROOT.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.valueOf(said));
        assertEquals(3, said.size(), String.valueOf(said));
        assertEquals("{\"started\": {}}", said.get(0));
        assertTrue(said.get(1).startsWith("{\"array\": {\"index\": 0, \"file\": \"examples/sample1.txt\""), said.get(1));
        assertEquals("{\"end\": {\"exit\": 0, \"stderr\": \"\"}}", said.get(2));
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
