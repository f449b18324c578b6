package io.ferry.hdf5;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChunkCompressorTest {
    @Test
    void shuffleIsHdf5sByteTranspose() {
        byte[] in = {0, 1, 2, 10, 11, 12, 20, 21, 22, 99};     // three 3-byte elements and a stray byte
        byte[] out = new byte[in.length];
        ChunkCompressor.shuffle(in, out, 3);
        assertArrayEquals(new byte[] {0, 10, 20, 1, 11, 21, 2, 12, 22, 99}, out);
        byte[] back = new byte[in.length];
        ChunkCompressor.unshuffle(out, back, 3);
        assertArrayEquals(in, back);
    }

    @Test
    void compressedChunksInflateToTheShuffledBytes() throws DataFormatException {
        SplittableRandom r = new SplittableRandom(1);
        int size = 26 * 1000;
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i % 26 < 4 ? r.nextInt(3) : i % 7);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(size).copyFrom(MemorySegment.ofArray(data));
            for (boolean shuffle : new boolean[] {false, true}) {
                ChunkCompressor c = new ChunkCompressor(size, 26, shuffle, 4);
                c.load(chunk);
                byte[] z = c.compress().toArray(ValueLayout.JAVA_BYTE);
                assertEquals(0x78, z[0] & 0xff);       // a zlib header, as HDF5's deflate filter writes
                Inflater inf = new Inflater();
                inf.setInput(z);
                byte[] plain = new byte[size];
                assertEquals(size, inf.inflate(plain));
                byte[] want = data;
                if (shuffle) {
                    want = new byte[size];
                    ChunkCompressor.shuffle(data, want, 26);
                }
                assertArrayEquals(want, plain);
                c.close();
            }
        }
    }

    @Test
    void shuffleWithoutDeflateStoresShuffledBytes() {
        byte[] data = new byte[64];
        Arrays.setAll(new int[64], i -> data[i] = (byte) i);
        try (Arena arena = Arena.ofConfined()) {
            ChunkCompressor c = new ChunkCompressor(64, 8, true, 0);
            c.load(arena.allocate(64).copyFrom(MemorySegment.ofArray(data)));
            byte[] want = new byte[64];
            ChunkCompressor.shuffle(data, want, 8);
            assertArrayEquals(want, c.compress().toArray(ValueLayout.JAVA_BYTE));
            c.close();
        }
    }
}
