package io.ferry.gzip;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// Fuzzes [GzipStream] with multi-member streams built from the fuzzer's bytes (valid members
/// with every header flag, BGZF blocks, stored and compressed deflate data), then damaged: cut
/// anywhere, a byte flipped, bytes appended, zeros and bytes appended, or any bytes as they are.
/// The stream either gives all the text of the valid members, or throws [GzipFormatException]:
/// never fewer bytes without an error, never another exception, never a hang. Where the damage
/// leaves a valid file (a cut at a member boundary, zero padding) the text must be exactly that
/// file's; where a flipped byte makes another valid file (in a header field no CRC covers),
/// `gzip -dc` is the reference.
///
/// Input layout:
///
/// ```text
///  byte 0:   bits 0-2 damage: 0 none, 1 cut, 2 flip a byte, 3 append, 4 zeros then append,
///            5-7 the rest of the input is the file as it is
///            bits 3-4 members - 1
///  then per member:
///   byte:    header flags: 0 FNAME, 1 FCOMMENT, 2 FEXTRA with another subfield, 3 BGZF's BC
///            subfield (FEXTRA), 4 FHCRC; bits 5-6 deflate level 0 (stored), 1, 6, 9;
///            bit 7 the text 512 times over (more than the stream's 64 KiB input buffer)
///   byte:    text length n, then n bytes of text (deflated in two halves, a full flush between)
///  then:     2 bytes, little-endian: where to cut or flip (mod the file's length);
///            1 byte: what to flip with, or how many zeros; the rest: the bytes to append
/// ```
///
/// `mvn test` runs the committed corpus (`src/test/resources/io/ferry/gzip/GzipStreamFuzzTestInputs/`);
/// `JAZZER_FUZZ=1` fuzzes for the `maxDuration` below.
@org.junit.jupiter.api.Tag("fuzz")
class GzipStreamFuzzTest {
    private static final int[] LEVELS = {0, 1, 6, 9};

    @FuzzTest(maxDuration = "30s")
    void givesAllTheTextOrRefuses(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int mode = input[0] & 0xff;
        int damage = mode & 7;
        if (damage >= 5) {
            read(Arrays.copyOfRange(input, 1, input.length)); // any bytes: text or GzipFormatException
            return;
        }
        Cursor in = new Cursor(input, 1);
        List<Member> members = new ArrayList<>();
        for (int m = 0; m <= ((mode >> 3) & 3); m++) {
            members.add(Member.of(in.next(), in.bytes(in.next())));
        }
        int where = in.next() | in.next() << 8;
        int value = in.next();
        byte[] tail = in.rest();

        byte[] file = concat(members.stream().map(Member::bytes).toList());
        byte[] text = concat(members.stream().map(Member::text).toList());
        switch (damage) {
            case 0 -> assertWhole(members, file);
            case 1 -> {
                int cut = where % file.length;
                int end = 0;
                for (int m = 0; m < members.size(); m++) {
                    end += members.get(m).bytes().length;
                    if (end == cut) { // a member boundary: a shorter valid file
                        assertWhole(members.subList(0, m + 1), Arrays.copyOf(file, cut));
                        return;
                    }
                }
                refused(Arrays.copyOf(file, cut), "cut at byte " + cut);
            }
            case 2 -> {
                int at = where % file.length;
                byte[] flipped = file.clone();
                flipped[at] ^= (byte) (value == 0 ? 1 : value);
                byte[] got = read(flipped);
                if (got != null && !Arrays.equals(text, got)) {
                    // A flip in a header field no CRC covers (an extra field's length, a flag) can
                    // make another valid file, one whose text is not the members': gzip must agree.
                    assertGzipGives(flipped, got, "byte " + at + " flipped: all the text, an error, or what gzip reads");
                }
            }
            case 3 -> {
                if (tail.length == 0) {
                    return;
                }
                byte[] got = read(concat(List.of(file, tail)));
                if (got != null) {  // the appended bytes may be a valid member
                    assertTrue(tail[0] == 0x1f || allZero(tail), "appended bytes that are not gzip were accepted");
                    assertArrayEquals(text, Arrays.copyOf(got, text.length), "the members' text comes first");
                    if (allZero(tail)) {
                        assertEquals(text.length, got.length, "zeros are padding");
                    }
                }
            }
            case 4 -> {
                byte[] padded = concat(List.of(file, new byte[1 + value], tail));
                if (allZero(tail)) {
                    assertWhole(members, padded);
                } else {
                    refused(padded, "zeros then other bytes");
                }
            }
            default -> throw new AssertionError(damage);
        }
    }

    /// Asserts that `file`, made of `members` (and padding), gives their text, unless every member
    /// is a BGZF block and the last is not empty: BGZF's end block is due, so it is refused.
    private static void assertWhole(List<Member> members, byte[] file) {
        boolean bgzfEndDue = members.stream().allMatch(Member::bgzf) && members.getLast().text().length > 0;
        if (bgzfEndDue) {
            assertEquals(GzipFormatException.Problem.NO_BGZF_END, refused(file, "BGZF without its end block").problem());
        } else {
            assertArrayEquals(concat(members.stream().map(Member::text).toList()), read(file));
        }
    }

    /// {@return the stream's text of `file`}, or null when it threw [GzipFormatException]
    private static byte[] read(byte[] file) {
        try (InputStream s = new GzipStream(new ByteArrayInputStream(file), "fuzz.gz", file.length)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] b = new byte[8191];
            for (int n; (n = s.read(b, 0, b.length)) >= 0; ) {
                assertTrue(n > 0, "a read gave 0 bytes");
                out.write(b, 0, n);
            }
            return out.toByteArray();
        } catch (GzipFormatException refused) {
            assertTrue(refused.getMessage().startsWith("fuzz.gz: "), refused.getMessage());
            assertTrue(refused.offset() >= 0 && refused.offset() <= file.length, refused.getMessage());
            return null;
        } catch (IOException e) {
            throw new AssertionError("a stream over memory threw " + e, e);
        }
    }

    /// Asserts that `gzip -dc` reads `file` without an error or warning and gives `text`.
    private static void assertGzipGives(byte[] file, byte[] text, String what) {
        try {
            Process gzip = new ProcessBuilder("gzip", "-dc").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread feeder = Thread.ofVirtual().start(() -> {
                try (var in = gzip.getOutputStream()) {
                    in.write(file);
                } catch (IOException ignored) {
                    // gzip stopped reading: its exit status says why
                }
            });
            byte[] out = gzip.getInputStream().readAllBytes();
            feeder.join();
            assertEquals(0, gzip.waitFor(), what + ": gzip refuses the file this stream read");
            assertArrayEquals(out, text, what + ": gzip reads other text");
        } catch (IOException e) {
            throw new AssertionError("cannot run gzip", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static GzipFormatException refused(byte[] file, String what) {
        try (InputStream s = new GzipStream(new ByteArrayInputStream(file), "fuzz.gz", file.length)) {
            s.readAllBytes();
        } catch (GzipFormatException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return fail(what + ": read without an error");
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /// One valid member, its bytes and the text they hold.
    private record Member(byte[] bytes, byte[] text, boolean bgzf) {
        static Member of(int flags, byte[] seed) {
            byte[] text = (flags & 128) != 0 ? concat(java.util.Collections.nCopies(512, seed)) : seed;
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            int flg = ((flags & 1) != 0 ? GzipMember.FNAME : 0) | ((flags & 2) != 0 ? GzipMember.FCOMMENT : 0)
                    | ((flags & 12) != 0 ? GzipMember.FEXTRA : 0) | ((flags & 16) != 0 ? GzipMember.FHCRC : 0);
            h.writeBytes(new byte[]{0x1f, (byte) 0x8b, 8, (byte) flg, 1, 2, 3, 4, 0, (byte) 0xff});
            if ((flg & GzipMember.FEXTRA) != 0) {
                ByteArrayOutputStream x = new ByteArrayOutputStream();
                if ((flags & 4) != 0) {
                    x.writeBytes(new byte[]{'a', 'b', 3, 0, 'x', 'y', 'z'});
                }
                if ((flags & 8) != 0) {
                    x.writeBytes(new byte[]{'B', 'C', 2, 0, 0, 0}); // BSIZE is not checked, as gzip does not
                }
                h.write(x.size());
                h.write(0);
                h.writeBytes(x.toByteArray());
            }
            if ((flg & GzipMember.FNAME) != 0) {
                h.writeBytes(new byte[]{'n', '.', 't', 'x', 't', 0});
            }
            if ((flg & GzipMember.FCOMMENT) != 0) {
                h.writeBytes(new byte[]{'h', 'i', 0});
            }
            if ((flg & GzipMember.FHCRC) != 0) {
                CRC32 c = new CRC32();
                c.update(h.toByteArray());
                h.write((int) c.getValue());
                h.write((int) c.getValue() >> 8);
            }
            h.writeBytes(deflate(text, LEVELS[(flags >> 5) & 3]));
            CRC32 crc = new CRC32();
            crc.update(text);
            for (long v : new long[]{crc.getValue(), text.length}) {
                for (int i = 0; i < 4; i++) {
                    h.write((int) (v >> (8 * i)));
                }
            }
            return new Member(h.toByteArray(), text, (flags & 8) != 0);
        }

        private static byte[] deflate(byte[] text, int level) {
            Deflater d = new Deflater(level, true);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] b = new byte[1 << 16];
                d.setInput(text, 0, text.length / 2);
                int n;
                do { // a full flush ends a deflate block here: the data is two blocks at least
                    n = d.deflate(b, 0, b.length, Deflater.FULL_FLUSH);
                    out.write(b, 0, n);
                } while (n == b.length);
                d.setInput(text, text.length / 2, text.length - text.length / 2);
                d.finish();
                while (!d.finished()) {
                    out.write(b, 0, d.deflate(b));
                }
                return out.toByteArray();
            } finally {
                d.end();
            }
        }
    }

    /// Reads the fuzzer's bytes; past the end, zeros.
    private static final class Cursor {
        private final byte[] b;
        private int p;

        Cursor(byte[] b, int p) {
            this.b = b;
            this.p = p;
        }

        int next() {
            return p < b.length ? b[p++] & 0xff : 0;
        }

        byte[] bytes(int n) {
            int from = Math.min(p, b.length);
            p = Math.min(b.length, p + n);
            return Arrays.copyOfRange(b, from, p);
        }

        byte[] rest() {
            return bytes(b.length);
        }
    }
}
