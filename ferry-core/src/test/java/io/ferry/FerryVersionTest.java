package io.ferry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class FerryVersionTest {
    @Test
    void theDocExample() {
        String v = FerryVersion.get();
        assert !v.isEmpty() && !v.startsWith("${");
        assertTrue(!v.isEmpty() && !v.startsWith("${"), v);
    }

    /// The build stamps the version: classes run from Maven's output know it.
    @Test
    void theBuildStampsTheVersion() {
        assertTrue(FerryVersion.get().matches("\\d+\\.\\d+\\.\\d+.*"), FerryVersion.get());
    }
}
