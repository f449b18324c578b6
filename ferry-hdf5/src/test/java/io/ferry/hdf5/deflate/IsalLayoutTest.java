package io.ferry.hdf5.deflate;

import io.ferry.testing.CFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The offsets [Isal] writes `struct isal_zstream`'s fields at are the installed header's: a C
/// program compiled against `<isa-l/igzip_lib.h>` prints them. Wrong offsets would not always
/// crash; they could make ISA-L read a wrong level or flag, so this is checked, not trusted.
@org.junit.jupiter.api.Tag("process")
class IsalLayoutTest {
    @TempDir
    Path dir;

    static final String PROGRAM = """
            #include <stdio.h>
            #include <stddef.h>
            #include <isa-l/igzip_lib.h>
            #define O(f) printf(#f " %zu\\n", offsetof(struct isal_zstream, f));
            int main(void) {
                O(next_in) O(avail_in) O(next_out) O(avail_out) O(total_out) O(level) O(level_buf_size)
                O(level_buf) O(end_of_stream) O(flush) O(gzip_flag)
                printf("sizeof %zu\\n", sizeof(struct isal_zstream));
                printf("LVL1_DEFAULT %d\\n", ISAL_DEF_LVL1_DEFAULT);
                printf("IGZIP_ZLIB %d\\n", IGZIP_ZLIB);
                printf("NO_FLUSH %d\\n", NO_FLUSH);
                printf("STATELESS_OVERFLOW %d\\n", STATELESS_OVERFLOW);
                return 0;
            }
            """;

    @Test
    void fieldOffsetsAndConstantsMatchTheInstalledHeader() throws IOException {
        Map<String, Long> c = CFacts.of(dir, Path.of("/usr/include/isa-l/igzip_lib.h"), PROGRAM);
        assertEquals(Isal.NEXT_IN, c.get("next_in"));
        assertEquals(Isal.AVAIL_IN, c.get("avail_in"));
        assertEquals(Isal.NEXT_OUT, c.get("next_out"));
        assertEquals(Isal.AVAIL_OUT, c.get("avail_out"));
        assertEquals(Isal.TOTAL_OUT, c.get("total_out"));
        assertEquals(Isal.LEVEL, c.get("level"));
        assertEquals(Isal.LEVEL_BUF_SIZE, c.get("level_buf_size"));
        assertEquals(Isal.LEVEL_BUF, c.get("level_buf"));
        assertEquals(Isal.END_OF_STREAM, c.get("end_of_stream"));
        assertEquals(Isal.FLUSH, c.get("flush"));
        assertEquals(Isal.GZIP_FLAG, c.get("gzip_flag"));
        assertTrue(c.get("sizeof") <= Isal.STREAM_BYTES, "the stream state fits: " + c.get("sizeof"));
        assertEquals(Isal.LEVEL1_BUF_BYTES, c.get("LVL1_DEFAULT"));
        assertEquals(Isal.IGZIP_ZLIB, c.get("IGZIP_ZLIB"));
        assertEquals(0, c.get("NO_FLUSH"));
        assertEquals(Isal.STATELESS_OVERFLOW, c.get("STATELESS_OVERFLOW"));
    }
}
