package io.ferry.shm;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
    private static volatile CreatorTag creatorTag;
    private static boolean exitHookAdded;   // guarded by the class's monitor
    /// Segments are made under its read lock; the exit's cleanup takes its write lock to stop that.
    private static final ReentrantReadWriteLock EXIT = new ReentrantReadWriteLock();
    private static volatile boolean exiting;

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
                return create(SegmentName.random(creatorTag()), byteSize);
            } catch (SegmentExistsException e) {
                if (attempt == 9) {   // 36^4 and more names: ten clashes in a row are not chance
                    throw e;
                }
            }
        }
    }

    /// {@return a new segment of `byteSize` bytes under a fresh name, owned by the caller, whose
    /// pages come as they are first touched}
    ///
    /// For memory a run may fill only in part, such as the chunk slots of a conversion, or an
    /// array made as long as its rows could be: only the pages used cost memory, and creating it
    /// costs nothing, whatever `/dev/shm` has free now. A page `/dev/shm` cannot supply later is
    /// an error where it is written through the segment's file ([SharedSegment#write]) or reserved
    /// ([SharedSegment#reserve]), and a SIGBUS (reported by the JVM as an `InternalError`) in
    /// whoever first touches it through a mapping: callers that do size it by what is free.
    public SharedSegment createOnTouch(long byteSize) {
        for (int attempt = 0; ; attempt++) {
            try {
                return create(SegmentName.random(creatorTag()), byteSize, false);
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
        // Made and registered as one step against the exit's cleanup (atExit), which otherwise
        // could take its list of segments between the two, and leave this one behind.
        EXIT.readLock().lock();
        try {
            if (exiting) {
                throw new IllegalStateException("the JVM is exiting: no shared-memory segment is made now ('" + n + "')");
            }
            creatorTag();
            NamedMemory system = NamedMemory.system();
            Arena arena = Arena.ofShared();
            try {
                NamedMemory.Mapping m = system.create(n, byteSize, reserve, arena);
                SharedSegment s = new SharedSegment(m, arena, system, this);
                register(s);
                return s;
            } catch (RuntimeException e) {
                arena.close();
                throw e;
            }
        } finally {
            EXIT.readLock().unlock();
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
            NamedMemory.Mapping m = system.attach(n, minByteSize, arena);
            SharedSegment s = new SharedSegment(m, arena, system, ownership == Ownership.OWNER ? this : null);
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

    /// {@return this process's creator tag, which its segment names carry}
    ///
    /// The first call claims one ([CreatorTags#claim]: its record, for the sweep, under its pid's
    /// tag or another when something holds that) and arranges the exit-time cleanup.
    static synchronized CreatorTag creatorTag() {
        if (creatorTag == null) {
            NamedMemory system = NamedMemory.system();
            if (!(system instanceof DevShm)) {
                return new CreatorTag(ProcessHandle.current().pid(), CreatorTag.PLAIN);   // no records, no sweep there
            }
            // The cleanup first, then the record: a SIGINT between the two used to leave the record
            // with no cleanup to remove it. The cleanup waits for this method (its monitor) to see
            // the tag claimed.
            if (!exitHookAdded) {
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("ferry-shm-exit").unstarted(() -> atExit(system)));
                exitHookAdded = true;
            }
            creatorTag = CreatorTags.claim(system);
        }
        return creatorTag;
    }

    /// {@return this process's creator tag if it has claimed one}, without claiming
    static Optional<CreatorTag> claimedTag() {
        return Optional.ofNullable(creatorTag);
    }

    private static void atExit(NamedMemory system) {
        EXIT.writeLock().lock();   // after every segment being made is registered; none made after
        exiting = true;
        EXIT.writeLock().unlock();
        CreatorTag tag;
        synchronized (SegmentRegistry.class) {
            tag = creatorTag;   // claimed by now, if it was being claimed
        }
        List<String> left = PROCESS.outstanding();
        if (!left.isEmpty()) {
            System.err.println("ferry: removing the shared memory this process still held at its exit: " + String.join(", ", left));
            for (SharedSegment s : List.copyOf(PROCESS.owned.values())) {
                try {
                    s.unlink();
                } catch (RuntimeException ignored) {
                    // keep cleaning the others
                }
            }
        }
        try {
            if (tag != null) {
                CreatorTags.release(system, tag);
            }
        } catch (RuntimeException ignored) {
            // at exit there is no one left to tell
        }
    }
}
