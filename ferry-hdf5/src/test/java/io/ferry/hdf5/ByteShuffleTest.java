package io.ferry.hdf5;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ByteShuffleTest {
    /// HDF5's definition, byte by byte: byte `j` of element `i` goes to `j * n + i`; a stray tail stays.
    static byte[] reference(byte[] in, int size) {
        byte[] out = in.clone();
        int n = in.length / size;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < size; j++) {
                out[j * n + i] = in[i * size + j];
            }
        }
        return out;
    }

    static byte[] shuffled(byte[] in, int size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(Math.max(1, in.length)).asSlice(0, in.length).copyFrom(MemorySegment.ofArray(in));
            MemorySegment dst = arena.allocate(in.length + 8L);       // longer than needed: only in.length bytes written
            dst.fill((byte) 0x5a);
            ByteShuffle.shuffle(src, dst, size);
            byte[] after = dst.asSlice(in.length).toArray(ValueLayout.JAVA_BYTE);
            for (byte b : after) {
                if (b != 0x5a) {
                    throw new AssertionError("shuffle wrote past its input's length");
                }
            }
            return dst.asSlice(0, in.length).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void shuffleIsHdf5sByteTranspose() {
        byte[] in = {0, 1, 2, 10, 11, 12, 20, 21, 22, 99};     // three 3-byte elements and a stray byte
        assertArrayEquals(new byte[] {0, 10, 20, 1, 11, 21, 2, 12, 22, 99}, shuffled(in, 3));
    }

    @Test
    void tilesAgreeWithTheDefinitionForEverySizeAndCount() {
        // sizes below, at and past 8 (the tile), multiples of 8 and not; counts around multiples of 8
        SplittableRandom r = new SplittableRandom(3);
        for (int size = 1; size <= 41; size++) {
            for (int n : new int[] {0, 1, 2, 7, 8, 9, 15, 16, 17, 64, 100, 1001}) {
                for (int stray : new int[] {0, 1, size - 1}) {
                    byte[] in = new byte[n * size + Math.max(0, Math.min(stray, size - 1))];
                    r.nextBytes(in);
                    assertArrayEquals(reference(in, size), shuffled(in, size), "size " + size + ", n " + n + ", stray " + stray);
                }
            }
        }
    }

    @Test
    void aMethylationChunkOfAMegabyte() {
        byte[] in = new byte[26 * 40_329];                     // the benchmark's chunk: 40329 records of 26 bytes
        new SplittableRandom(5).nextBytes(in);
        assertArrayEquals(reference(in, 26), shuffled(in, 26));
    }
}
