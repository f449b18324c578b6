package io.ferry.shm;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/// Runs after every other test class of the module (see `junit-platform.properties`) and checks
/// that the suite left no segment of this JVM in `/dev/shm` and nothing outstanding in the registry.
@Order(Integer.MAX_VALUE)
class ShmSuiteLeakTest {
    @Test
    void theSuiteLeftNoSegmentOfThisJvm() {
        assertEquals(java.util.Set.of(), ShmLeakCheck.snapshot(),
                "segments of this JVM (prefix " + SegmentName.processPrefix() + ") left in /dev/shm or still owned");
    }
}
