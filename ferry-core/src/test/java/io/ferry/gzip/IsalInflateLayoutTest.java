package io.ferry.gzip;

import io.ferry.testing.CFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The offsets [IsalInflate] reads and writes `struct inflate_state`'s fields at are the installed
/// header's: a C program compiled against `<isa-l/igzip_lib.h>` prints them. Loading checks the
/// binding on a small stream too; this says which field moved.
@org.junit.jupiter.api.Tag("process")
class IsalInflateLayoutTest {
    @TempDir
    Path dir;

    static final String PROGRAM = """
            #include <stdio.h>
            #include <stddef.h>
            #include <isa-l/igzip_lib.h>
            #define O(f) printf(#f " %zu\\n", offsetof(struct inflate_state, f));
            int main(void) {
                O(next_out) O(avail_out) O(next_in) O(avail_in) O(read_in_length) O(block_state) O(crc_flag)
                printf("sizeof %zu\\n", sizeof(struct inflate_state));
                printf("ISAL_BLOCK_FINISH %d\\n", ISAL_BLOCK_FINISH);
                printf("ISAL_DEFLATE %d\\n", ISAL_DEFLATE);
                return 0;
            }
            """;

    @Test
    void fieldOffsetsAndConstantsMatchTheInstalledHeader() throws IOException {
        Map<String, Long> c = CFacts.of(dir, Path.of("/usr/include/isa-l/igzip_lib.h"), PROGRAM);
        assertEquals(IsalInflate.NEXT_OUT, c.get("next_out"));
        assertEquals(IsalInflate.AVAIL_OUT, c.get("avail_out"));
        assertEquals(IsalInflate.NEXT_IN, c.get("next_in"));
        assertEquals(IsalInflate.AVAIL_IN, c.get("avail_in"));
        assertEquals(IsalInflate.READ_IN_LENGTH, c.get("read_in_length"));
        assertEquals(IsalInflate.BLOCK_STATE, c.get("block_state"));
        assertEquals(IsalInflate.CRC_FLAG, c.get("crc_flag"));
        assertTrue(c.get("sizeof") <= IsalInflate.STATE_BYTES, "the state fits: " + c.get("sizeof"));
        assertEquals(IsalInflate.BLOCK_FINISH, c.get("ISAL_BLOCK_FINISH"));
        assertEquals(0, c.get("ISAL_DEFLATE"));
    }
}
