package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.convert.Stitch;
import io.ferry.dtype.DType;
import io.ferry.hdf5.DatasetInfo;
import io.ferry.hdf5.FileEntry;
import io.ferry.hdf5.Hdf5File;
import io.ferry.json.Json;
import io.ferry.proc.Channel;
import io.ferry.proc.WorkerTask;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// What `ferry stitch` runs in its reading JVM: lists the datasets of each part, in order. Before
/// a part it sends `{"reading": INDEX}`, after it `{"part": INDEX, "datasets": [{"name": …,
/// "dtype": DESCR_JSON or null, "problem": …, "shape": […]}, …], "soft": [{"name": …, "target": …,
/// "dangling": …}, …], "external": [{"name": …, "file": …, "object": …}, …], "sources": […]}`
/// ([Stitch.Part]: a dataset once for each of its names), so that a crash names the part being
/// read, and the `"sources": [PATH, …]` its virtual datasets map (a stitched part's). Its result
/// is null, or the problem with a part, naming it.
///
/// Input: `{"parts": [PATH, …]}`.
public final class PartsTask implements WorkerTask {
    static final String PARTS = "parts";

    @Override
    public Object run(Object input, Channel channel) {
        List<Object> parts = Json.asList(Json.asObject(input, "the parts").get(PARTS), "the parts");
        for (int i = 0; i < parts.size(); i++) {
            Path part = Path.of(Json.asString(parts.get(i), "a part"));
            channel.send(Map.of("reading", (long) i));
            List<Object> datasets = new ArrayList<>();
            List<Object> soft = new ArrayList<>();
            List<Object> external = new ArrayList<>();
            Set<Object> sources = new LinkedHashSet<>();
            Map<String, Object> attributes = new LinkedHashMap<>();
            try (Hdf5File f = Hdf5File.open(part)) {
                List<FileEntry> entries = f.entries("/");
                for (FileEntry e : entries) {
                    if (e instanceof FileEntry.Dataset d) {
                        // A virtual dataset's source files, where HDF5 would look for them: beside
                        // the part, and as named (from the working folder)
                        for (var source : d.storage().sources()) {
                            Path named = source.file();
                            Path dir = part.toAbsolutePath().getParent();
                            sources.add((named.isAbsolute() || dir == null ? named : dir.resolve(named)).toString());
                            sources.add(named.toString());
                        }
                    }
                }
                Stitch.Part listed = Stitch.Part.of(entries);
                listed.attributes().forEach((path, names) -> attributes.put(path, List.copyOf(names)));
                for (FileEntry.SoftLink l : listed.softLinks()) {
                    soft.add(Map.of("name", l.path(), "target", l.target(), "dangling", l.dangling()));
                }
                for (FileEntry.ExternalLink l : listed.externalLinks()) {
                    external.add(Map.of("name", l.path(), "file", l.file(), "object", l.object()));
                }
                for (DatasetInfo d : listed.datasets()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", d.name());
                    m.put("dtype", d.dtype().map(DType::descrJson).orElse(null));
                    m.put("problem", d.typeProblem());
                    m.put("shape", Arrays.stream(d.shape()).boxed().map(Object.class::cast).toList());
                    m.put("null", d.nullSpace());
                    datasets.add(m);
                }
            } catch (FerryException e) {
                return e.getMessage().startsWith(part.toString()) ? e.getMessage() : part + ": " + e.getMessage();
            }
            channel.send(Map.of("part", (long) i, "datasets", datasets, "soft", soft, "external", external,
                    "sources", List.copyOf(sources), "attributes", attributes));
        }
        return null;
    }

    /// {@return the part a `{"part": …, "datasets": …}` message lists}, as [Stitch.Part#of] gives
    /// it (without what a stitch does not need: chunks, filters, attributes)
    static Stitch.Part part(Map<String, Object> message) {
        List<FileEntry.SoftLink> soft = new ArrayList<>();
        for (Object o : Json.asList(message.get("soft"), "the soft links")) {
            Map<String, Object> l = Json.asObject(o, "a soft link");
            soft.add(new FileEntry.SoftLink(Json.asString(l.get("name"), "the name"),
                    Json.asString(l.get("target"), "the target"), Boolean.TRUE.equals(l.get("dangling"))));
        }
        List<FileEntry.ExternalLink> external = new ArrayList<>();
        for (Object o : Json.asList(message.get("external"), "the external links")) {
            Map<String, Object> l = Json.asObject(o, "an external link");
            external.add(new FileEntry.ExternalLink(Json.asString(l.get("name"), "the name"),
                    Json.asString(l.get("file"), "the file"), Json.asString(l.get("object"), "the object")));
        }
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        Object a = message.get("attributes");
        if (a != null) {
            Json.asObject(a, "the attributes").forEach((path, names) -> attributes.put(path,
                    Json.asList(names, "attribute names").stream().map(n -> Json.asString(n, "an attribute name")).toList()));
        }
        return new Stitch.Part(datasetsOf(message), soft, external, attributes);
    }

    /// {@return the files the virtual datasets of a `{"part": …}` message's part map}
    static List<Path> sources(Map<String, Object> message) {
        Object s = message.get("sources");
        return s == null ? List.of() : Json.asList(s, "the sources").stream().map(x -> Path.of(Json.asString(x, "a source"))).toList();
    }

    private static List<DatasetInfo> datasetsOf(Map<String, Object> message) {
        List<DatasetInfo> out = new ArrayList<>();
        for (Object o : Json.asList(message.get("datasets"), "the datasets")) {
            Map<String, Object> d = Json.asObject(o, "a dataset");
            Object dtype = d.get("dtype");
            long[] shape = Json.asList(d.get("shape"), "the shape").stream().mapToLong(x -> Json.asLong(x, "a dimension")).toArray();
            out.add(new DatasetInfo(Json.asString(d.get("name"), "the name"),
                    dtype == null ? Optional.empty() : Optional.of(DType.parse(Json.asString(dtype, "the dtype"))),
                    Json.asString(d.get("problem"), "the problem"), shape, shape, new long[0], List.of(), Map.of(),
                    Boolean.TRUE.equals(d.get("null"))));
        }
        return out;
    }
}
