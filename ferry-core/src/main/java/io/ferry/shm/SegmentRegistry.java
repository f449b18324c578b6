package io.ferry.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/// The segments this process owns and has not released yet, like an allocator that refuses to
/// close while buffers are out.
///
/// Every [Ownership#OWNER] handle is counted here from creation (or taking over) until it is
/// unlinked or [disowned][SharedSegment#disown]. [#close()] unlinks whatever is still counted and
/// throws a [SegmentLeakException] naming it, so a leak is an error with a name, not a surprise in
/// `/dev/shm`.
///
/// [#process()] counts all of this process's segments; at the JVM's normal exit (including
/// `System.exit` and SIGTERM) it unlinks any still counted and says so on standard error.
/// A scope from [#open(String)] counts only the segments made through it (a pipeline run, a
/// test) and also reports them to the process registry.
///
/// ```java
/// try (SegmentRegistry run = SegmentRegistry.open("my run")) {
///     SharedSegment s = run.create(4096);
///     s.memory().set(ValueLayout.JAVA_INT, 0, 42);
///     s.close();                                 // an owner's close unlinks: nothing outstanding
///     assert run.outstanding().isEmpty();
/// }
/// ```
public final class SegmentRegistry implements AutoCloseable {
    private static final SegmentRegistry PROCESS = new SegmentRegistry(null, "this process");
    private static boolean creatorReady;

    private final SegmentRegistry parent;
    private final String label;
    private final Map<String, SharedSegment> owned = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private SegmentRegistry(SegmentRegistry parent, String label) {
        this.parent = parent;
        this.label = label;
    }

    /// {@return the registry of every segment this process owns}
    public static SegmentRegistry process() {
        return PROCESS;
    }

    /// {@return a new scope}; `label` names it in leak reports
    public static SegmentRegistry open(String label) {
        return new SegmentRegistry(PROCESS, Objects.requireNonNull(label, "label"));
    }

    /// {@return a new segment of `byteSize` bytes under a fresh name, owned by the caller}
    /// @throws SharedMemoryFullException when `/dev/shm` has not that much left
    public SharedSegment create(long byteSize) {
        for (int attempt = 0; ; attempt++) {
            try {
                return create(SegmentName.random(), byteSize);
            } catch (SegmentExistsException e) {
                if (attempt == 9) {   // 36^6 and more names: ten clashes in a row are not chance
                    throw e;
                }
            }
        }
    }

    /// {@return a new segment of `byteSize` bytes under a fresh name, owned by the caller, whose
    /// pages come as they are first touched}
    ///
    /// For scratch memory a run may fill only in part, such as the chunk slots of a conversion:
    /// only the pages used cost memory, and creating it costs nothing. `/dev/shm` must have the
    /// whole size free now; if it fills up later, the first access to a page it cannot supply
    /// fails (SIGBUS, reported by the JVM as an `InternalError`) in whoever touches it, where
    /// [#create(long)] would have failed here.
    /// @throws SharedMemoryFullException when `/dev/shm` has not that much left
    public SharedSegment createOnTouch(long byteSize) {
        for (int attempt = 0; ; attempt++) {
            try {
                return create(SegmentName.random(), byteSize, false);
            } catch (SegmentExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }

    /// {@return a new segment of `byteSize` bytes called `name`, owned by the caller}
    /// @throws SegmentExistsException when the name is taken
    /// @throws SharedMemoryFullException when `/dev/shm` has not that much left
    public SharedSegment create(String name, long byteSize) {
        return create(name, byteSize, true);
    }

    private SharedSegment create(String name, long byteSize, boolean reserve) {
        String n = SegmentName.validate(name);
        if (byteSize <= 0) {
            throw new IllegalArgumentException("a segment needs a positive size, not " + byteSize + " (for '" + n + "')");
        }
        checkOpen();
        NamedMemory system = NamedMemory.system();
        prepareCreator(system);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment m = system.create(n, byteSize, reserve, arena);
            SharedSegment s = new SharedSegment(n, arena, m, system, this);
            register(s);
            return s;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /// {@return the existing segment `name` of at least `minByteSize` bytes, mapped whole}
    ///
    /// Does not touch the segment's pages. With [Ownership#OWNER] the caller takes over unlinking.
    /// @throws SegmentNotFoundException, SegmentTooSmallException, ForeignSegmentException naming the segment
    public SharedSegment attach(String name, long minByteSize, Ownership ownership) {
        String n = SegmentName.validate(name);
        Objects.requireNonNull(ownership, "ownership");
        checkOpen();
        NamedMemory system = NamedMemory.system();
        Arena arena = Arena.ofShared();
        try {
            MemorySegment m = system.attach(n, minByteSize, arena);
            SharedSegment s = new SharedSegment(n, arena, m, system, ownership == Ownership.OWNER ? this : null);
            if (ownership == Ownership.OWNER) {
                register(s);
            }
            return s;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /// {@return the names of the segments owned through this registry and not yet released}
    public List<String> outstanding() {
        return owned.keySet().stream().sorted().toList();
    }

    /// Unlinks and unmaps every segment still outstanding.
    ///
    /// A scope cannot be used afterwards; the process registry can (closing it is a check).
    /// @throws SegmentLeakException naming the segments that were outstanding
    @Override
    public void close() {
        if (parent != null) {
            closed = true;
        }
        List<String> names = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (SharedSegment s : List.copyOf(owned.values())) {
            names.add(s.name());
            described.add(s.name() + " (" + s.byteSize() + " bytes)");
            s.close();
        }
        owned.clear();
        if (!names.isEmpty()) {
            throw new SegmentLeakException("shared-memory segments of " + label + " were never released (now unlinked): "
                    + String.join(", ", described) + "; close or unlink each owner, or disown it when another party unlinks",
                    names);
        }
    }

    @Override
    public String toString() {
        return "SegmentRegistry[" + label + ", " + owned.size() + " outstanding]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("segment registry '" + label + "' is closed");
        }
    }

    private void register(SharedSegment s) {
        for (SegmentRegistry r = this; r != null; r = r.parent) {
            r.owned.put(s.name(), s);
        }
    }

    void forget(SharedSegment s) {
        for (SegmentRegistry r = this; r != null; r = r.parent) {
            r.owned.remove(s.name(), s);
        }
    }

    /// Before this process creates its first segment: record who it is (for the sweep), remove what
    /// a dead earlier holder of this pid left, and arrange the exit-time cleanup.
    private static synchronized void prepareCreator(NamedMemory system) {
        if (creatorReady || !(system instanceof DevShm)) {
            return;
        }
        long pid = ProcessHandle.current().pid();
        String prefix = SegmentName.processPrefix(pid);
        // Nothing can be ours yet: any name with our pid is an earlier process's.
        for (NamedMemory.Entry e : system.list()) {
            if (e.name().startsWith(prefix) && SegmentName.creatorPid(e.name()).isPresent()) {
                system.unlink(e.name());
            }
        }
        try {
            CreatorRecord.write(system.directory(), pid, CreatorRecord.self());
        } catch (IOException e) {
            throw new SharedMemoryException("cannot write this process's creator record "
                    + system.directory().resolve(CreatorRecord.fileName(pid)) + ": " + e, e);
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ferry-shm-exit").unstarted(() -> atExit(system, pid)));
        creatorReady = true;
    }

    private static void atExit(NamedMemory system, long pid) {
        List<String> left = PROCESS.outstanding();
        if (!left.isEmpty()) {
            System.err.println("ferry: unlinking shared-memory segments never released by this process: " + String.join(", ", left));
            for (SharedSegment s : List.copyOf(PROCESS.owned.values())) {
                try {
                    s.unlink();
                } catch (RuntimeException ignored) {
                    // keep cleaning the others
                }
            }
        }
        // Keep the record while disowned segments remain: the sweep needs it to judge them.
        String prefix = SegmentName.processPrefix(pid);
        try {
            if (system.list().stream().noneMatch(e -> e.name().startsWith(prefix))) {
                system.unlink(CreatorRecord.fileName(pid));
            }
        } catch (RuntimeException ignored) {
            // at exit there is no one left to tell
        }
    }
}
