package io.ferry.gzip;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/// The one place that says whether a file is gzip: by its first two bytes (`1f 8b`), as `gzip`
/// and `file` decide, never by its name. A gzip file named `.txt` is gzip; a plain file named
/// `.gz` is plain text. Everything that treats gzip inputs differently (reading them whole, not
/// cutting them into byte ranges unless they are BGZF, estimating their rows) asks here.
///
/// ```java
/// Files.write(plain, "1 2\n".getBytes(StandardCharsets.US_ASCII));
/// assert !Gzip.isGzip(plain);
/// try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(packed))) {
///     out.write("1 2\n".getBytes(StandardCharsets.US_ASCII));
/// }
/// assert Gzip.isGzip(packed);
/// try (InputStream in = Gzip.openText(packed)) {
///     assert new String(in.readAllBytes(), StandardCharsets.US_ASCII).equals("1 2\n");
/// }
/// ```
public final class Gzip {
    private static final int ID1 = 0x1f;
    private static final int ID2 = 0x8b;
    private static final int BUFFER = 1 << 16;
    private static final AtomicBoolean LOADING = new AtomicBoolean();

    private Gzip() {
    }

    /// {@return whether `file` starts with gzip's magic bytes}; false for anything but a regular
    /// file (a pipe or a device cannot be looked at without consuming it, or waiting for a writer)
    /// @throws IOException when the file cannot be read
    public static boolean isGzip(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return isGzip(ch);
        }
    }

    /// Loads and checks the inflating libraries (ISA-L, libdeflate) on a thread of their own, once,
    /// as soon as a gzip input is seen: finding them, binding their calls and linking those takes
    /// tens of milliseconds, which the readers would otherwise wait for, on every core at once.
    private static void loadInflaters() {
        boolean wanted;
        try {
            wanted = DeflateDecoder.useLibraries();
        } catch (IllegalArgumentException badProperty) {
            wanted = false; // said where a decoder is made, not here
        }
        if (wanted && LOADING.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("ferry-inflaters").start(() -> {
                IsalInflate.LOADED.available();
                LibdeflateInflate.LOADED.available();
            });
        }
    }

    /// {@return whether the file open in `ch` starts with gzip's magic bytes}; reads at offset 0
    /// and leaves the channel's position as it was
    /// @throws IOException when the file cannot be read
    public static boolean isGzip(FileChannel ch) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(2);
        while (magic.hasRemaining() && ch.read(magic, magic.position()) > 0) {
            // a file shorter than 2 bytes is not gzip
        }
        boolean gzip = !magic.hasRemaining() && (magic.get(0) & 0xff) == ID1 && (magic.get(1) & 0xff) == ID2;
        if (gzip) {
            loadInflaters();
        }
        return gzip;
    }

    /// {@return whether `file` is BGZF}: gzip whose first member carries BGZF's `BC` extra subfield,
    /// as htslib decides; such a file can be read in byte ranges ([BgzfReader])
    /// @throws IOException when the file cannot be read
    public static boolean isBgzf(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return isBgzf(ch);
        }
    }

    /// {@return whether the file open in `ch` is BGZF} (see [#isBgzf(Path)]); reads at offset 0
    /// and leaves the channel's position as it was
    /// @throws IOException when the file cannot be read
    public static boolean isBgzf(FileChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(GzipMember.EXTRA + 0xffff);
        while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
            // the fixed header and the extra field, or what there is
        }
        byte[] b = head.array();
        int n = head.position();
        if (n < GzipMember.EXTRA || (b[0] & 0xff) != ID1 || (b[1] & 0xff) != ID2 || b[2] != GzipMember.CM_DEFLATE
                || (b[3] & GzipMember.FEXTRA) == 0) {
            return false;
        }
        int xlen = (b[GzipMember.XLEN] & 0xff) | (b[GzipMember.XLEN + 1] & 0xff) << 8;
        return GzipMember.EXTRA + xlen <= n && GzipMember.bgzfBlockSize(b, GzipMember.EXTRA, xlen) > 0;
    }

    /// {@return whether `in` starts with gzip's magic bytes}, looked at without consuming them
    /// (a stream such as standard input cannot be read twice)
    /// @throws IOException when `in` cannot be read
    public static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        try {
            boolean gzip = in.read() == ID1 && in.read() == ID2;
            if (gzip) {
                loadInflaters();
            }
            return gzip;
        } finally {
            in.reset();
        }
    }

    /// {@return the text of `file`}: every member inflated and checked when it is gzip (a
    /// [GzipStream], which throws [GzipFormatException] where the file is damaged), its bytes as
    /// they are otherwise; buffered either way
    /// @throws IOException when the file cannot be opened
    public static InputStream openText(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            InputStream raw = Channels.newInputStream(ch);
            return isGzip(ch) ? new GzipStream(raw, file.toString(), ch.size()) : new BufferedInputStream(raw, BUFFER);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }
}
