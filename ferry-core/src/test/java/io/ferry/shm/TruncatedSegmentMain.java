package io.ferry.shm;

import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/// A child process for [TruncatedSegmentTest]: maps a segment, has it truncated under it (as
/// another process of the same user could), touches the pages that are gone in interpreted and in
/// compiled code, and prints what each access did. A JVM crash would end it without the last line.
public final class TruncatedSegmentMain {
    private TruncatedSegmentMain() {
    }

    public static void main(String[] args) throws Exception {
        long size = 1 << 20;
        try (SharedSegment s = SharedSegment.create(size)) {
            s.memory().set(ValueLayout.JAVA_LONG, size - 8, 42L);
            try (FileChannel ch = FileChannel.open(Path.of("/dev/shm", s.name()), StandardOpenOption.WRITE)) {
                ch.truncate(4096);      // the first page stays; the rest is gone
            }
            System.out.println("first page: " + s.memory().get(ValueLayout.JAVA_LONG, 0));
            int faults = 0;
            for (int i = 0; i < 20_000; i++) {   // enough for the JIT to compile the loop
                try {
                    s.memory().get(ValueLayout.JAVA_LONG, size - 8 - (i % 64) * 4096L);
                } catch (InternalError e) {
                    faults++;
                    if (faults == 1) {
                        System.out.println("InternalError: " + e.getMessage());
                    }
                }
            }
            System.out.println("faults " + faults + " of 20000");
        }
        System.out.println("alive");
    }
}
