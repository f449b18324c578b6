package io.ferry.shm;

import io.ferry.array.Column;
import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.json.Json;
import io.ferry.testing.PythonPeer;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Ferry's segments and handles against numpy's real `SharedMemory`, both ways.
///
/// Python before 3.13 registers every segment it *attaches* with its resource tracker, which
/// unlinks it when the Python process exits (and warns about a "leaked" object). The tests show
/// the hazard, and the fix documented in `docs/python.md`: `resource_tracker.unregister` after
/// attaching (`track=False` on 3.13+). The tracker is a separate process that cleans up after
/// Python has exited, so the tests wait for it (its pid is printed) before judging.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class PythonInteropTest {
    static final DType METHYLATION = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");

    // Exactly the code of the handle's documentation, plus the optional untracking line.
    static final String ATTACH_RECORDS = """
            import hashlib, json, sys
            import numpy as np
            from multiprocessing.shared_memory import SharedMemory
            from multiprocessing import resource_tracker
            h = json.loads(sys.argv[1])
            shm = SharedMemory(name=h["name"])
            if sys.argv[2] == "untrack":
                resource_tracker.unregister(shm._name, "shared_memory")
            a = np.ndarray(tuple(h["shape"]), dtype=[tuple(f) for f in h["dtype"]], buffer=shm.buf)
            out = {"sha256": hashlib.sha256(a.tobytes()).hexdigest(), "n": len(a),
                   "rows": [[r["chr"].decode(), int(r["pos"]), float(r["pct"]), int(r["c"]), int(r["t"])] for r in a[:3]],
                   "tracker": resource_tracker._resource_tracker._pid}
            a["c"][0] = 777          # and Java sees what Python writes
            print(json.dumps(out))
            del a
            shm.close()
            """;

    static final String ATTACH_PLAIN = """
            import hashlib, json, sys
            import numpy as np
            from multiprocessing.shared_memory import SharedMemory
            from multiprocessing import resource_tracker
            h = json.loads(sys.argv[1])
            shm = SharedMemory(name=h["name"])
            resource_tracker.unregister(shm._name, "shared_memory")
            a = np.ndarray(tuple(h["shape"]), dtype=np.dtype(h["dtype"]), buffer=shm.buf)
            print(json.dumps({"sha256": hashlib.sha256(a.tobytes()).hexdigest(), "shape": list(a.shape),
                              "v": float(a[1, 2, 3]), "sum": float(a.sum(dtype="<f8")),
                              "tracker": resource_tracker._resource_tracker._pid}))
            del a
            shm.close()
            """;

    static final String CREATE_RECORDS = """
            import json
            import numpy as np
            from multiprocessing.shared_memory import SharedMemory
            from multiprocessing import resource_tracker
            dt = np.dtype([("chr", "S10"), ("pos", "<i4"), ("pct", "<f4"), ("c", "<i4"), ("t", "<i4")])
            n = 5
            shm = SharedMemory(create=True, size=dt.itemsize * n)
            a = np.ndarray((n,), dtype=dt, buffer=shm.buf)
            a["chr"] = [b"chr1", b"chr2", b"chrX", b"chrY", b"chrM"]
            a["pos"] = np.arange(n) * 100 + 7
            a["pct"] = np.array([0.1, 0.2, 0.3, 0.4, 0.5], dtype="<f4")
            a["c"] = np.arange(n)
            a["t"] = -np.arange(n)
            # Java takes the segment over: keep this process's tracker from unlinking it at exit.
            resource_tracker.unregister(shm._name, "shared_memory")
            print(json.dumps({"name": shm.name, "shape": list(a.shape), "dtype": a.dtype.descr}))
            print(resource_tracker._resource_tracker._pid)
            del a
            shm.close()
            """;

    @BeforeAll
    static void numpy() {
        PythonPeer.require("numpy");
    }

    static SharedArray methylation(int n) {
        SharedArray s = SharedArray.create(METHYLATION, n);
        NdArray a = s.array();
        Column chr = a.column("chr");
        for (int i = 0; i < n; i++) {
            chr.setBytes(i, ("chr" + (i % 22 + 1)).getBytes(StandardCharsets.US_ASCII));
            a.column("pos").setLong(i, 10_000 + 7L * i);
            a.column("pct").setDouble(i, i / 10.0f);
            a.column("c").setLong(i, i);
            a.column("t").setLong(i, 2L * i);
        }
        return s;
    }

    static String sha256(NdArray a) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(a.segment().toArray(ValueLayout.JAVA_BYTE)));
    }

    static Map<String, Object> runPython(String script, String... args) {
        String out = PythonPeer.run(script, args);
        return Json.asObject(Json.parse(out.lines().findFirst().orElseThrow()), "python's answer");
    }

    static void awaitTracker(Object pid) throws Exception {
        long p = ((Number) pid).longValue();
        var h = ProcessHandle.of(p);
        if (h.isPresent()) {
            h.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void pythonReadsAJavaTableOfRecordsWithTheHandleAsItIs() throws Exception {
        try (SharedArray shared = methylation(1000)) {
            String javaSha = sha256(shared.array());
            Map<String, Object> py = runPython(ATTACH_RECORDS, shared.handleJson(), "untrack");
            awaitTracker(py.get("tracker"));
            assertEquals(javaSha, py.get("sha256"));
            assertEquals(1000L, py.get("n"));
            assertEquals(List.of(List.of("chr1", 10_000L, 0.0, 0L, 0L), List.of("chr2", 10_007L, (double) 0.1f, 1L, 2L),
                    List.of("chr3", 10_014L, (double) 0.2f, 2L, 4L)), py.get("rows"));
            assertEquals(777, shared.array().column("c").getInt(0));
            assertTrue(ShmLeakCheck.exists(shared.name()), "with the tracker told, Python leaves the segment to Java");
        }
    }

    @Test
    void pythonsResourceTrackerUnlinksWhatItOnlyAttached() throws Exception {
        try (SharedArray shared = methylation(10)) {
            String javaSha = sha256(shared.array());
            Map<String, Object> py = runPython(ATTACH_RECORDS, shared.handleJson(), "as-documented-by-python");
            awaitTracker(py.get("tracker"));
            assertEquals(javaSha, py.get("sha256"));
            assertFalse(ShmLeakCheck.exists(shared.name()),
                    "Python < 3.13 (and 3.13+ without track=False) unlinks an attached segment at exit: see docs/python.md");
            assertEquals(777, shared.array().column("c").getInt(0), "Java's mapping outlives the name");
        }   // unlinking an unlinked name is fine
    }

    @Test
    void pythonReadsAStackOfJavaGrids() throws Exception {
        try (SharedArray shared = SharedArray.create(DType.parse("<f4"), 4, 30, 60)) {
            NdArray a = shared.array();
            double sum = 0;
            for (long i = 0; i < a.size(); i++) {
                float v = i * 0.25f - 7;
                a.setDouble(i, v);
                sum += v;
            }
            Map<String, Object> py = runPython(ATTACH_PLAIN, shared.handleJson());
            awaitTracker(py.get("tracker"));
            assertEquals(sha256(a), py.get("sha256"));
            assertEquals(List.of(4L, 30L, 60L), py.get("shape"));
            assertEquals((double) a.getFloat(a.index(1, 2, 3)), py.get("v"));
            assertEquals(sum, (Double) py.get("sum"), 1e-6);
        }
    }

    @Test
    void javaReadsAndTakesOverANumpyArrayPythonCreated() throws Exception {
        List<String> lines = PythonPeer.run(CREATE_RECORDS).lines().toList();
        String handle = lines.get(0);
        awaitTracker(Long.parseLong(lines.get(1).strip()));
        ArrayHandle h = ArrayHandle.parse(handle);
        assertTrue(h.name().startsWith("psm_"), h.name());
        try {
            assertEquals(METHYLATION, h.dtype());
            try (SharedArray taken = SharedArray.attach(h, Ownership.OWNER)) {
                NdArray a = taken.array();
                assertEquals(5, a.length());
                assertEquals("chrX", a.column("chr").getString(2));
                assertEquals(407, a.column("pos").getInt(4));
                assertEquals(0.3f, a.column("pct").getFloat(2));
                assertEquals(-3, a.column("t").getInt(3));
                assertEquals("(b'chr1', 7, 0.1, 0, 0)\n(b'chr2', 107, 0.2, 1, -1)\n", a.head(2));
            }
            assertFalse(ShmLeakCheck.exists(h.name()), "the owner's close unlinked Python's segment");
        } finally {
            ShmLeakCheck.remove(h.name());   // this test made it (through Python)
        }
    }

    static final String CONSUME_PUBLISHED = """
            import json, os, sys, time
            import numpy as np
            from multiprocessing.shared_memory import SharedMemory
            from multiprocessing import resource_tracker
            h = json.loads(sys.stdin.readline())
            shm = SharedMemory(name=h["name"])
            resource_tracker.unregister(shm._name, "shared_memory")
            a = np.ndarray(tuple(h["shape"]), dtype=np.dtype(h["dtype"]), buffer=shm.buf)
            print("attached", flush=True)
            deadline = time.time() + 10
            while os.path.exists("/dev/shm/" + h["name"]) and time.time() < deadline:
                time.sleep(0.01)
            gone = not os.path.exists("/dev/shm/" + h["name"])
            print(json.dumps({"gone": gone, "sum": int(a.sum())}), file=sys.stderr, flush=True)
            del a
            shm.close()
            print("done", flush=True)
            """;

    @Test
    void aPublishedArrayLosesItsNameAsSoonAsTheConsumerHasAttached() throws Exception {
        java.nio.file.Path script = java.nio.file.Files.createTempFile("ferry-consumer", ".py");
        java.nio.file.Path err = java.nio.file.Files.createTempFile("ferry-consumer", ".err");
        try (SharedArray shared = SharedArray.create(DType.parse("<i8"), 100)) {
            java.nio.file.Files.writeString(script, CONSUME_PUBLISHED);
            for (int i = 0; i < 100; i++) {
                shared.array().setLong(i, i);
            }
            Process py = new ProcessBuilder(System.getProperty("ferry.python", "/usr/bin/python3"), script.toString())
                    .redirectError(err.toFile()).start();
            shared.publish(new java.io.BufferedReader(new java.io.InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8)),
                    new java.io.PrintStream(py.getOutputStream(), true, StandardCharsets.UTF_8));
            assertTrue(py.waitFor(60, TimeUnit.SECONDS));
            String report = java.nio.file.Files.readString(err);
            assertEquals(0, py.exitValue(), report);
            assertTrue(shared.segment().isUnlinked());
            assertEquals(Map.of("gone", true, "sum", 4950L), Json.parse(report.lines().findFirst().orElseThrow()), report);
        } finally {
            java.nio.file.Files.deleteIfExists(script);
            java.nio.file.Files.deleteIfExists(err);
        }
    }
}
