package io.ferry.pipeline;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/// A deliberately simple [PartReader] for pipeline tests: lines of exactly 8 bytes, `%07d\n`, each an
/// `<i8` record. A line `bad!!!!\n` fails with its line number.
class FixedWidthReader implements PartReader {
    private final RandomAccessFile file;
    private final Path path;
    private long line;
    private final long endLine;
    private long bytes;

    /// Writes `lines` lines, `first`, `first + 1`, …, to `dir/name`. {@return the file}
    static Path write(Path dir, String name, long first, int lines) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            b.append(String.format("%07d\n", first + i));
        }
        return Files.writeString(dir.resolve(name), b);
    }

    /// {@return the records of a file [#write] wrote, as the bytes of `<i8` numbers}
    static byte[] expected(long first, int lines) {
        ByteBuffer b = ByteBuffer.allocate(lines * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < lines; i++) {
            b.putLong(first + i);
        }
        return b.array();
    }

    FixedWidthReader(Path path, long start, long end) throws IOException {
        this.path = path;
        this.file = new RandomAccessFile(path.toFile(), "r");
        long lines = file.length() / 8;
        this.line = (start + 7) / 8;                      // lines whose first byte is in [start, end)
        this.endLine = end == Long.MAX_VALUE ? lines : Math.min(lines, (end + 7) / 8);
    }

    @Override
    public long read(MemorySegment target, long maxRows) throws IOException {
        long n = 0;
        byte[] buf = new byte[8];
        while (n < maxRows && line < endLine) {
            file.seek(line * 8);
            file.readFully(buf);
            String text = new String(buf, 0, 7);
            if (text.startsWith("bad")) {
                throw new IOException(path + ":" + (line + 1) + ": bad line");
            }
            target.set(ValueLayout.JAVA_LONG_UNALIGNED, n * 8, Long.parseLong(text));
            line++;
            n++;
            bytes += 8;
        }
        return n;
    }

    @Override
    public long bytesRead() {
        return bytes;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
