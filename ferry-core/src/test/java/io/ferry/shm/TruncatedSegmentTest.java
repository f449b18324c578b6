package io.ferry.shm;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A segment truncated by another process after Ferry mapped it cannot be caught on attach: what
/// happens then is what the README says, in a child JVM so that a crash could not take this one.
class TruncatedSegmentTest {
    @Test
    void accessToTruncatedPagesIsAnInternalErrorNotACrash() throws Exception {
        Process child = SweepTest.startJava(TruncatedSegmentMain.class);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child ends");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out + err);
        assertTrue(out.contains("first page: 0"), out);
        assertTrue(out.contains("InternalError: a fault occurred in an unsafe memory access operation"), out);
        assertTrue(out.contains("faults 20000 of 20000"), "every access to a missing page faults, compiled or not: " + out);
        assertTrue(out.strip().endsWith("alive"), out);
        assertTrue(ShmLeakCheck.filesOf(child.pid()).isEmpty(), "the child removed its segment");
    }
}
