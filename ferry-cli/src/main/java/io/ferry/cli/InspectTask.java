package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.array.NdArray;
import io.ferry.hdf5.DatasetInfo;
import io.ferry.hdf5.Hdf5File;
import io.ferry.json.Json;
import io.ferry.proc.Channel;
import io.ferry.proc.WorkerTask;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/// What `ferry inspect` runs in its child JVM: reads the file and sends what it holds as text, a
/// part per dataset, so that what was read before a crash is shown. Its result is null when the
/// file was read, else the problem, naming the file.
///
/// Input: `{"file": PATH, "head": ROWS, "dataset": NAME}` (`dataset` optional).
public final class InspectTask implements WorkerTask {
    static final String FILE = "file";
    static final String HEAD = "head";
    static final String DATASET = "dataset";

    @Override
    public Object run(Object input, Channel channel) {
        Map<String, Object> in = Json.asObject(input, "the inspection's input");
        Path file = Path.of(Json.asString(in.get(FILE), "the file"));
        int head = Math.toIntExact(Json.asLong(in.get(HEAD), "the rows to show"));
        String only = in.get(DATASET) == null ? null : Json.asString(in.get(DATASET), "the dataset");
        Part part = new Part(channel);
        try (Hdf5File f = Hdf5File.open(file); Arena arena = Arena.ofConfined()) {
            part.out.println(file);
            printAttributes(part.out, "", f.attributes());
            List<DatasetInfo> datasets = only == null ? f.datasets() : List.of(f.dataset(only));
            if (datasets.isEmpty()) {
                part.out.println("(no datasets)");
            }
            part.send();
            for (DatasetInfo d : datasets) {
                part.out.println();
                part.out.println("dataset " + d.name());
                part.out.println("  dtype        " + d.dtype().map(Object::toString).orElse("(" + d.typeProblem() + ")"));
                part.out.println("  rows         " + d.rows());
                part.out.println("  shape        " + shape(d.shape()) + "  max " + shape(d.maxShape()));
                part.out.println("  chunks       " + (d.chunk().length == 0 ? "none (contiguous)" : shape(d.chunk())));
                part.out.println("  filters      " + (d.filters().isEmpty() ? "none" : String.join(", ", d.filters())));
                printAttributes(part.out, "  ", d.attributes());
                part.send();
                if (head > 0 && d.dtype().isPresent() && d.shape().length > 0 && d.rows() > 0) {
                    NdArray first = f.read(d.name(), 0, Math.min(head, d.rows()), arena);
                    part.out.println("  first " + first.length() + " of " + d.rows() + " rows:");
                    first.head(head).lines().forEach(l -> part.out.println("    " + l));
                    part.send();
                }
            }
            return null;
        } catch (FerryException e) {
            part.send();
            String m = e.getMessage();
            return m.startsWith(file.toString()) ? m : file + ": " + m;
        }
    }

    /// Text gathered until it is sent as one message.
    private static final class Part {
        final StringWriter text = new StringWriter();
        final PrintWriter out = new PrintWriter(text);
        private final Channel channel;

        Part(Channel channel) {
            this.channel = channel;
        }

        void send() {
            out.flush();
            if (!text.getBuffer().isEmpty()) {
                channel.send(text.toString());
                text.getBuffer().setLength(0);
            }
        }
    }

    private static void printAttributes(PrintWriter out, String indent, Map<String, Object> attributes) {
        if (attributes.isEmpty()) {
            return;
        }
        out.println(indent + "attributes");
        int width = attributes.keySet().stream().mapToInt(String::length).max().orElse(0);
        attributes.forEach((k, v) -> out.println(indent + "  " + k + " ".repeat(width - k.length() + 2) + value(v)));
    }

    private static String value(Object v) {
        return v instanceof List<?> l ? l.stream().map(InspectTask::value).collect(Collectors.joining(", ", "[", "]"))
                : String.valueOf(v);
    }

    private static String shape(long[] s) {
        return Arrays.stream(s).mapToObj(d -> d < 0 ? "unlimited" : Long.toString(d))
                .collect(Collectors.joining(", ", "(", s.length == 1 ? ",)" : ")"));
    }
}
