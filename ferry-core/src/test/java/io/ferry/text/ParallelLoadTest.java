package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.file.FileStamp;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A file parsed by several threads, each its own byte range, gives the one-thread load's array
/// byte for byte and its error, whatever the cuts, comments, blank lines and line ends.
class ParallelLoadTest {
    private static final LoadOptions TAB = LoadOptions.builder().delimiter('\t').build();

    @TempDir
    Path dir;

    /// {@return `file` loaded by `threads` threads, a range for every `minRangeBytes`}: the same
    /// whether every range's lines are counted or, as for memory whose pages come on touch, the
    /// last range is bounded by its bytes, or every range (memory with room to spare)
    private static NdArray parallel(TextLoader loader, Path file, int threads, long minRangeBytes, Arena arena)
            throws IOException {
        NdArray counted = parallel(loader, file, threads, minRangeBytes, arena, false, 0);
        assertSameArray(counted, parallel(loader, file, threads, minRangeBytes, arena, true, 0));
        assertSameArray(counted, parallel(loader, file, threads, minRangeBytes, arena, true, Long.MAX_VALUE));
        assertSameArray(counted, throughAFile(loader, file, threads, minRangeBytes, arena, 0, new ArrayList<>()));
        assertSameArray(counted, throughAFile(loader, file, threads, minRangeBytes, arena, Long.MAX_VALUE,
                new ArrayList<>()));
        return counted;
    }

    /// {@return `file` loaded into a mapped file whose rows are written to the file, not through
    /// the mapping}, as shared memory and `.npy` outputs take them ([ParallelLoad.Memory#write]);
    /// every range but the first starts at a cut that is not a multiple of a page, and the gaps
    /// that comments leave are closed by writes too
    private static NdArray throughAFile(TextLoader loader, Path file, int threads, long minRangeBytes, Arena arena,
                                        long freeBytes, List<Long> released) throws IOException {
        Path out = Files.createTempFile(file.getParent(), "rows", ".bin");
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment[] memory = new MemorySegment[1];
            ParallelLoad.Loaded loaded = ParallelLoad.load(loader, file, threads, minRangeBytes, new ParallelLoad.Memory() {
                @Override
                public MemorySegment allocate(long rows, long columns, long rowBytes) throws IOException {
                    ch.truncate(0);
                    ch.write(ByteBuffer.allocate(1), Math.max(1, rows * rowBytes) - 1);
                    return memory[0] = ch.map(FileChannel.MapMode.READ_WRITE, 0, Math.max(1, rows * rowBytes), arena);
                }

                @Override
                public void prepare(MemorySegment memory, long offset, long length) {
                    // the writes allocate
                }

                @Override
                public void write(MemorySegment memory, long offset, byte[] rows, int length) throws IOException {
                    ByteBuffer b = ByteBuffer.wrap(rows, 0, length);
                    while (b.hasRemaining()) {
                        ch.write(b, offset + b.position());
                    }
                }

                @Override
                public void read(MemorySegment memory, long offset, byte[] into, int length) throws IOException {
                    ByteBuffer b = ByteBuffer.wrap(into, 0, length);
                    while (b.hasRemaining()) {
                        assertTrue(ch.read(b, offset + b.position()) > 0);
                    }
                }

                @Override
                public boolean pagesOnTouch() {
                    return true;
                }

                @Override
                public long freeBytes() {
                    return freeBytes;
                }

                @Override
                public void release(MemorySegment memory, long offset) throws IOException {
                    synchronized (released) {
                        released.add(offset);
                        ch.truncate(offset);
                    }
                }
            }, () -> false);
            // Nothing of the rows was past a cut.
            long rowsEnd = java.util.Arrays.stream(loaded.shape()).reduce(1, Math::multiplyExact) * loader.dtype().itemSize();
            assertTrue(released.stream().allMatch(cut -> cut >= rowsEnd), released + " below " + rowsEnd);
            return NdArray.wrap(loader.dtype(), memory[0].asSlice(0, Math.min(memory[0].byteSize(), ch.size())), loaded.shape());
        } finally {
            Files.delete(out);
        }
    }

    private static NdArray parallel(TextLoader loader, Path file, int threads, long minRangeBytes, Arena arena,
                                    boolean pagesOnTouch, long freeBytes) throws IOException {
        return parallel(loader, file, threads, minRangeBytes, arena, pagesOnTouch, freeBytes, new long[1]);
    }

    /// As the one above, `made[0]` set to the rows the memory was asked for.
    private static NdArray parallel(TextLoader loader, Path file, int threads, long minRangeBytes, Arena arena,
                                    boolean pagesOnTouch, long freeBytes, long[] made) throws IOException {
        MemorySegment[] memory = new MemorySegment[1];
        ParallelLoad.Loaded loaded = ParallelLoad.load(loader, file, threads, minRangeBytes, new ParallelLoad.Memory() {
            @Override
            public MemorySegment allocate(long rows, long columns, long rowBytes) {
                made[0] = rows;
                return memory[0] = arena.allocate(Math.max(1, rows * rowBytes), 8);
            }

            @Override
            public boolean pagesOnTouch() {
                return pagesOnTouch;
            }

            @Override
            public long freeBytes() {
                return freeBytes;
            }
        }, () -> false);
        return NdArray.wrap(loader.dtype(), memory[0], loaded.shape());
    }

    /// {@return a methylation table of `lines` lines}
    private Path methylation(long lines, long seed) throws IOException {
        Path file = dir.resolve("m.txt");
        MethylationTable.write(file, lines, seed);
        return file;
    }

    private static final TextLoader METHYLATION = TextLoader.of(MethylationTable.DTYPE, TAB);

    private static void assertSameArray(NdArray expected, NdArray actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.segment().toArray(ValueLayout.JAVA_BYTE), actual.segment().toArray(ValueLayout.JAVA_BYTE));
    }

    /// A file written to after its size was read (here as the memory is made, so the timing is
    /// certain): one range was loaded with exit 0, rows of neither file; several were refused.
    @Test
    void aFileWrittenDuringTheLoadIsRefusedWithOneRangeAsWithSeveral() throws IOException {
        for (int threads : new int[]{1, 2}) {
            Path file = methylation(2_000, 4);
            try (Arena arena = Arena.ofShared()) {
                IOException e = assertThrows(IOException.class, () -> ParallelLoad.load(METHYLATION, file, threads, 1,
                        (rows, columns, rowBytes) -> {
                            Files.writeString(file, "chr9\t1\t2.5\t3\t4\n", StandardOpenOption.APPEND);
                            return arena.allocate(Math.max(1, rows * rowBytes));
                        }, () -> false));
                assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("changed while it was read"),
                        threads + ": " + e.getMessage());
            }
        }
    }

    /// A file cut short mid-line during the load failed as a bad row ("row has 3 fields") at a
    /// line that neither the file before nor the file after holds: the change is what is said.
    @Test
    void aFileCutShortDuringTheLoadIsSaidToHaveChangedNotToHoldABadRow() throws IOException {
        for (int threads : new int[]{1, 2}) {
            Path file = methylation(2_000, 5);
            long cut = Files.size(file) / 2 + 3;   // most likely mid-line; any cut is a change
            try (Arena arena = Arena.ofShared()) {
                IOException e = assertThrows(IOException.class, () -> ParallelLoad.load(METHYLATION, file, threads, 1,
                        (rows, columns, rowBytes) -> {
                            try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
                                ch.truncate(cut);
                            }
                            return arena.allocate(Math.max(1, rows * rowBytes));
                        }, () -> false));
                assertTrue(e instanceof FileStamp.FileChangedException && e.getMessage().contains("changed while it was read"),
                        threads + ": " + e);
            }
        }
    }

    /// The loader's one-thread entry, `load(file, arena)`, keeps the promise the threaded one
    /// keeps: a file cut short while it is read (here after its first chunk of rows, so the timing
    /// is certain) fails saying it changed. Cut mid-line, it failed as a bad row ("row has 1
    /// field") at a line neither file holds; cut at a line's end, it loaded the rows before the
    /// cut with no error (a tester found it).
    @Test
    void aFileCutShortDuringAOneThreadLoadIsSaidToHaveChanged() throws IOException {
        Path original = methylation(200_000, 6);   // about 5 MB: far more than the reader holds at once
        byte[] text = Files.readAllBytes(original);
        int lineStart = 1 + new String(text, StandardCharsets.ISO_8859_1).indexOf('\n', text.length / 2);
        for (int cut : new int[]{lineStart + 3, lineStart}) {   // "chr" of a line, then the line's start
            Path file = Files.write(dir.resolve("cut.txt"), text);
            int[] chunks = new int[1];
            Runnable cutOnce = () -> {
                if (chunks[0]++ == 0) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(cut);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };
            try (Arena arena = Arena.ofConfined()) {
                IOException e = assertThrows(IOException.class, () -> METHYLATION.load(file, arena, 1 << 20, cutOnce));
                assertTrue(e instanceof FileStamp.FileChangedException
                        && e.getMessage().startsWith(file + " changed while it was read"), cut + ": " + e);
                assertTrue(chunks[0] > 0 && Files.size(file) == cut, "cut after the first chunk");
                if (cut != lineStart) {   // the bad row the cut made, for whoever looks further
                    assertTrue(e.getSuppressed().length == 1 && e.getSuppressed()[0] instanceof TextParseException,
                            java.util.Arrays.toString(e.getSuppressed()));
                }
            }
        }
        try (Arena arena = Arena.ofConfined()) {   // unchanged, the same file loads
            assertEquals(200_000, METHYLATION.load(original, arena).length());
        }
    }

    /// The loader's threaded entry with a confined arena, as the loader's example has it: a file
    /// large enough for three threads threw a `WrongThreadException` from a parsing thread, where a
    /// smaller one (parsed by the caller's thread) loaded (a tester found it). The array is the
    /// one-thread load's, owned by the confined arena: its thread's alone, freed when it closes.
    @Test
    void aConfinedArenaTakesALoadOfSeveralThreads() throws Exception {
        Path file = dir.resolve("grid.txt");
        try (var out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < 1_000_000; i++) {
                out.write(i + ".25\t-" + (i % 1000) + ".5\n");
            }
        }
        assertTrue(Files.size(file) >= 3 * ParallelLoad.MIN_RANGE_BYTES, "a range for each of three threads");
        TextLoader loader = TextLoader.of(DType.parse("f8"));
        MemorySegment kept;
        try (Arena arena = Arena.ofConfined()) {
            NdArray one = loader.load(file, arena);
            NdArray three = loader.load(file, arena, 3);
            assertSameArray(one, three);
            kept = three.segment();
            assertTrue(kept.isAccessibleBy(Thread.currentThread()));
            MemorySegment s = kept;
            Thread other = Thread.ofPlatform().unstarted(() -> s.get(ValueLayout.JAVA_DOUBLE, 0));
            assertFalse(s.isAccessibleBy(other), "confined to the arena's thread, as its own memory is");
        }
        assertFalse(kept.scope().isAlive(), "freed with the arena");

        // A bad row in the last range fails as that row, not as a thread that may not write.
        Files.writeString(file, "1.0\tx\n", StandardOpenOption.APPEND);
        try (Arena arena = Arena.ofConfined()) {
            TextParseException e = assertThrows(TextParseException.class, () -> loader.load(file, arena, 3));
            assertTrue(e.getMessage().contains(":1000001:"), e.getMessage());
        }
        Arena closed = Arena.ofConfined();
        closed.close();
        assertThrows(IllegalStateException.class, () -> loader.load(file, closed, 3));
    }

    @Test
    void aMethylationTableInAnyNumberOfRanges() throws IOException {
        Path file = methylation(20_000, 3);
        try (Arena arena = Arena.ofShared()) {
            NdArray one = METHYLATION.load(file, arena);
            for (int threads : new int[]{1, 2, 3, 7, 16}) {
                assertSameArray(one, parallel(METHYLATION, file, threads, 1, arena));
            }
        }
    }

    @Test
    void commentsBlankLinesAndEveryLineEndLeaveNoGap() throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        String[] ends = {"\n", "\r\n", "\r"};
        for (int trial = 0; trial < 40; trial++) {
            StringBuilder text = new StringBuilder(trial % 2 == 0 ? "a b\n" : "");
            int lines = 1 + random.nextInt(400);
            for (int i = 0; i < lines; i++) {
                switch (random.nextInt(8)) {
                    case 0 -> text.append("# a comment ").append(i);
                    case 1 -> text.append("   ");
                    default -> text.append(random.nextInt(100_000)).append(' ').append(random.nextInt(1000)).append(" # why");
                }
                if (i < lines - 1 || random.nextBoolean()) {
                    text.append(ends[random.nextInt(ends.length)]);
                }
            }
            Path file = Files.writeString(dir.resolve("t" + trial + ".txt"), text, StandardCharsets.UTF_8);
            LoadOptions options = LoadOptions.builder().skipRows(trial % 2 == 0 ? 1 : 0).build();
            for (String dtype : new String[]{"a:i4,b:i8", "i8"}) {
                TextLoader loader = TextLoader.of(DType.parse(dtype), options);
                try (Arena arena = Arena.ofShared()) {
                    NdArray one = loader.load(file, arena);
                    for (int threads = 2; threads <= 6; threads++) {
                        assertSameArray(one, parallel(loader, file, threads, 1 + random.nextInt(64), arena));
                    }
                }
            }
        }
    }

    @Test
    void theFirstErrorInTheFileIsTheOneReported() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 4000; i++) {
            text.append(i == 1500 ? "x" : "").append(i).append(i == 3800 ? ".5" : "").append('\n');
        }
        Path file = Files.writeString(dir.resolve("bad.txt"), text);
        TextLoader loader = TextLoader.of(DType.parse("i4"));
        TextParseException alone = assertThrows(TextParseException.class, () -> loader.load(file, Arena.ofAuto()));
        try (Arena arena = Arena.ofShared()) {
            for (int threads = 2; threads <= 8; threads++) {
                // every range counted; the last not; none
                for (long[] memory : new long[][]{{0, 0}, {1, 0}, {1, Long.MAX_VALUE}}) {
                    int t = threads;
                    TextParseException e = assertThrows(TextParseException.class,
                            () -> parallel(loader, file, t, 1, arena, memory[0] == 1, memory[1]));
                    assertEquals(alone.getMessage(), e.getMessage());
                    assertTrue(e.getMessage().contains("bad.txt:1500:1"), e.getMessage());
                }
            }
        }
    }

    @Test
    void maxRowsAndSmallFilesTakeOneThread() throws IOException {
        Path file = methylation(1000, 1);
        AtomicInteger calls = new AtomicInteger();
        TextLoader loader = TextLoader.of(MethylationTable.DTYPE, LoadOptions.builder().delimiter('\t').maxRows(10).build());
        try (Arena arena = Arena.ofShared()) {
            ParallelLoad.Loaded loaded = ParallelLoad.load(loader, file, 4, 1, (rows, columns, rowBytes) -> {
                calls.incrementAndGet();
                return arena.allocate(rows * rowBytes);
            }, () -> false);
            assertEquals(10, loaded.rows());
            assertEquals(1, calls.get());
        }
    }

    @Test
    void aCancelledLoadStopsWithNoResult() throws IOException {
        Path file = methylation(1000, 1);
        try (Arena arena = Arena.ofShared()) {
            assertThrows(ParallelLoad.Cancelled.class, () -> ParallelLoad.load(METHYLATION, file, 3, 1,
                    (rows, columns, rowBytes) -> arena.allocate(rows * rowBytes), () -> true));
        }
    }

    @Test
    void gzipAndOtherFilesAreNotCut() throws IOException {
        Path gz = dir.resolve("m.txt.gz");
        MethylationTable.write(gz, 100, 1, true);
        assertTrue(!ParallelLoad.applies(gz) && !ParallelLoad.applies(dir) && !ParallelLoad.applies(Path.of("-")));
        TextLoader loader = TextLoader.of(MethylationTable.DTYPE, TAB);
        assertThrows(IllegalArgumentException.class, () -> ParallelLoad.load(loader, gz, 2,
                (rows, columns, rowBytes) -> MemorySegment.NULL, () -> false));
        try (Arena arena = Arena.ofShared()) { // the loader's own entry reads it whole
            assertEquals(100, loader.load(gz, arena, 4).length());
        }
    }

    @Test
    void theDensestTableFitsTheBoundItsBytesGive() throws IOException {
        // A row of one byte and its line break: as many rows as LineBound.rowsIn allows, and no more.
        TextLoader loader = TextLoader.of(DType.parse("i1"));
        for (int lines = 1; lines <= 40; lines++) {
            for (String end : new String[]{"", "\n"}) {
                String text = "7\n".repeat(lines - 1) + "7" + end;
                assertEquals(lines, LineBound.rowsIn(text.length()), text);
                Path file = Files.writeString(dir.resolve("dense.txt"), text);
                try (Arena arena = Arena.ofShared()) {
                    for (int threads = 1; threads <= 4; threads++) {
                        for (long free : new long[]{0, Long.MAX_VALUE}) {
                            assertEquals(lines, parallel(loader, file, threads, 1, arena, true, free).length());
                        }
                    }
                }
            }
        }
    }

    /// Memory whose pages come on touch, with room for twice the rows that could be moved, counts
    /// no line: every range takes the bound its bytes give, and the rows moved down over the gaps
    /// (here by both threads, a range being more than a chunk a thread) are the counted load's.
    /// With less room, the ranges but the last are counted, as the move holds the moved rows twice.
    @Test
    void memoryWithRoomCountsNoLineAndMovesTheRowsDown() throws IOException {
        Path file = methylation(1_000_000, 9); // about 24 MB: two ranges of 12 MB
        long size = Files.size(file);
        List<ByteRange> cuts = ByteRange.split(size, 2);
        long loose = LineBound.rowsIn(cuts.get(0).length()) + LineBound.rowsIn(size - cuts.get(1).start());
        long firstLines = LineBound.breaks(file, 0, cuts.get(0).end() - 1) + 1;
        long rowBytes = METHYLATION.dtype().itemSize();
        long room = 2 * LineBound.rowsIn(size - cuts.get(1).start()) * rowBytes;
        try (Arena arena = Arena.ofShared()) {
            NdArray one = METHYLATION.load(file, arena);
            for (long free : new long[]{room, room - 1}) {
                long[] made = new long[1];
                NdArray loaded = parallel(METHYLATION, file, 2, 1, arena, true, free, made);
                assertEquals(free == room ? loose : firstLines + LineBound.rowsIn(size - cuts.get(1).start()), made[0]);
                assertSameArray(one, loaded);
            }
            // Through a file, the last range's source given back from the top down as its chunks
            // move, down to where it started: the first range's loose bound.
            List<Long> released = new ArrayList<>();
            assertSameArray(one, throughAFile(METHYLATION, file, 2, 1, arena, room, released));
            assertTrue(released.size() > 1, released.toString());
            for (int i = 1; i < released.size(); i++) {
                assertTrue(released.get(i) < released.get(i - 1), released.toString());
            }
            assertEquals(LineBound.rowsIn(cuts.get(0).length()) * rowBytes, released.getLast());
        }
    }

    /// A file whose size is 0 may have lines (procfs makes them as it is read): it is no plain
    /// file to cut by its size, but one to read from its start ([GrowingLoad]), as numpy does.
    @Test
    void aFileOfSizeZeroIsReadFromItsStart() throws IOException {
        Path printk = Path.of("/proc/sys/kernel/printk");
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        for (Path file : List.of(printk, empty)) {
            assertFalse(ParallelLoad.applies(file), file.toString());
            assertTrue(GrowingLoad.applies(file), file.toString());
        }
        String[] fields;
        try (var in = Files.newInputStream(printk)) { // Files.readString reads nothing of a file of size 0
            fields = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip().split("\\s+");
        }
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = TextLoader.of(DType.parse("i8"), LoadOptions.DEFAULT).load(printk, arena, 2);
            assertArrayEquals(new long[]{fields.length}, a.shape());
            for (int i = 0; i < fields.length; i++) {
                assertEquals(Long.parseLong(fields[i]), a.segment().getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i));
            }
        }
    }

    @Test
    void anAddressSpaceLimitMeansCountingTheLines() {
        String header = "Limit                     Soft Limit           Hard Limit           Units     \n";
        assertTrue(ParallelLoad.AddressSpace.unlimited(header
                + "Max address space         unlimited            unlimited            bytes     \n"));
        assertFalse(ParallelLoad.AddressSpace.unlimited(header
                + "Max address space         8589934592           unlimited            bytes     \n"));
        assertFalse(ParallelLoad.AddressSpace.unlimited(""), "no /proc: the safe side");
    }

    @Test
    void theLineBoundCountsEveryBreakByte() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] alphabet = {'\n', '\r', 'a', 0, 1, (byte) 0x8a, (byte) 0x8d, 0x0b, (byte) 0xff};
        for (int trial = 0; trial < 500; trial++) {
            byte[] b = new byte[random.nextInt(100)];
            long expected = 0;
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[random.nextInt(alphabet.length)];
                expected += b[i] == '\n' || b[i] == '\r' ? 1 : 0;
            }
            assertEquals(expected, LineBound.breaks(MemorySegment.ofArray(b)));
        }
    }

    /// A file's pieces are read a megabyte at a time: pieces that start and end anywhere, over
    /// several buffers and past the file's end, count the break bytes that are in them.
    @Test
    void theLineBoundOfAFilesPieceCountsItsBreakBytesAcrossBuffers() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        byte[] b = new byte[(3 << 20) + 13];
        byte[] alphabet = {'\n', '\r', 'a', '7', '\t', (byte) 0x8a};
        long[] before = new long[b.length + 1]; // break bytes before each index
        for (int i = 0; i < b.length; i++) {
            b[i] = alphabet[random.nextInt(alphabet.length)];
            before[i + 1] = before[i] + (b[i] == '\n' || b[i] == '\r' ? 1 : 0);
        }
        Path file = Files.write(dir.resolve("breaks.txt"), b);
        for (int trial = 0; trial < 40; trial++) {
            int start = random.nextInt(b.length + 1);
            int end = start + random.nextInt(b.length + 100 - start);
            assertEquals(before[Math.min(end, b.length)] - before[start], LineBound.breaks(file, start, end),
                    "[" + start + ", " + end + ")");
        }
        assertEquals(before[b.length], LineBound.breaks(file, 0, Long.MAX_VALUE));
        assertEquals(0, LineBound.breaks(file, b.length, b.length + 10));
    }

    /// Every counted range is bounded by exactly its lines when they end in `\n`, so a table
    /// without comment or blank lines is parsed into place with no gap to close: its rows are
    /// written once, none moved, in any number of ranges (the bound used to be one more than a
    /// range's lines, and every range after the second moved down a row).
    @Test
    void aTableWithoutCommentsIsWrittenOnceInAnyNumberOfRanges() throws IOException {
        Path file = methylation(20_000, 5);
        try (Arena arena = Arena.ofShared()) {
            NdArray one = METHYLATION.load(file, arena);
            for (int threads : new int[]{2, 3, 5, 8}) {
                java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
                MemorySegment[] memory = new MemorySegment[1];
                ParallelLoad.Loaded loaded = ParallelLoad.load(METHYLATION, file, threads, 1, new ParallelLoad.Memory() {
                    @Override
                    public MemorySegment allocate(long rows, long columns, long rowBytes) {
                        return memory[0] = arena.allocate(Math.max(1, rows * rowBytes), 8);
                    }

                    @Override
                    public void write(MemorySegment target, long offset, byte[] rows, int length) {
                        written.addAndGet(length);
                        MemorySegment.copy(rows, 0, target, ValueLayout.JAVA_BYTE, offset, length);
                    }
                }, () -> false);
                assertSameArray(one, NdArray.wrap(METHYLATION.dtype(), memory[0], loaded.shape()));
                assertEquals(loaded.rows() * METHYLATION.dtype().itemSize(), written.get(), threads + " threads");
                assertEquals(loaded.rows() * METHYLATION.dtype().itemSize(), memory[0].byteSize(),
                        threads + " threads: the memory made is the rows' exactly");
            }
        }
    }
}
