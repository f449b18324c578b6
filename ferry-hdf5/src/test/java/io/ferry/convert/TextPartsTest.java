package io.ferry.convert;

import io.ferry.dtype.DType;
import io.ferry.json.Json;
import io.ferry.pipeline.PartReader;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;
import io.ferry.text.TextParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// A worker process rebuilds the loader from the JSON its parent sends: every option arrives, and
/// the child's readers read as the parent's do.
class TextPartsTest {
    private static final DType DT = DType.parse("s:S4,n:i2");

    @TempDir
    Path dir;

    private static PartReader.Factory child(TextLoader loader) {
        return new TextParts().readers(Json.parse(Json.write(TextParts.config(loader))));
    }

    @Test
    void commentsColumnsAndRowsCross() throws IOException {
        Path f = Files.writeString(dir.resolve("t.csv"), "skip\na,1,x // c\n@ d\nc,2\nd,3,z\n");
        TextLoader here = TextLoader.of(DT, LoadOptions.builder().delimiter(',').comments("@", "//").skipRows(1)
                .useCols(0, 1).maxRows(2).lenient(true).build());
        byte[] rows = read(TextParts.readers(here), f);
        assertEquals(2 * 6, rows.length);
        assertArrayEquals(rows, read(child(here), f));
    }

    @Test
    void quotesAndTheLineLimitCross() throws IOException {
        TextLoader here = TextLoader.of(DT, LoadOptions.builder().delimiter(',').quoteChar('"').maxLineBytes(1 << 20).build());
        Path f = Files.writeString(dir.resolve("q.csv"), "\"a,b\",1\n\"c\"\"\",2\n");
        assertArrayEquals(read(TextParts.readers(here), f), read(child(here), f));
        Path longLine = Files.writeString(dir.resolve("l.csv"), "a,1\nb," + " ".repeat(1 << 21) + "2\n");
        assertEquals(longLine + ":2: line longer than 1048576 bytes (1 MiB, the line limit)",
                assertThrows(TextParseException.class, () -> read(child(here), longLine)).getMessage());
    }

    private static byte[] read(PartReader.Factory readers, Path f) throws IOException {
        try (PartReader r = readers.open(f, 0, Long.MAX_VALUE, true); Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(6 * 10);
            long n = r.read(m, 10);
            return m.asSlice(0, n * 6).toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
