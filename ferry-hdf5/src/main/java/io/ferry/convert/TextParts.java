package io.ferry.convert;

import io.ferry.dtype.DType;
import io.ferry.gzip.Gzip;
import io.ferry.json.Json;
import io.ferry.pipeline.InputFormat;
import io.ferry.pipeline.PartReader;
import io.ferry.pipeline.PartReaderRecipe;
import io.ferry.text.ByteRange;
import io.ferry.text.LoadOptions;
import io.ferry.text.TableReader;
import io.ferry.text.TextLoader;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/// The text loader as the pipeline's part reader, in this JVM or rebuilt in a child from JSON.
/// Here, where text and the pipeline meet, so that `io.ferry.pipeline` knows no file format.
public final class TextParts implements PartReaderRecipe {
    /// The loader's inputs as the pipeline sees them: plain text, or gzip by its content whatever
    /// its name. Plain text and BGZF (bgzip's blocked gzip, whose ranges the loader moves to the
    /// next block start) are cut into ranges; other gzip is read whole.
    public static final InputFormat FORMAT = new TextFormat();

    /// Deflate expands at most about 1032:1, so a gzip file below this holds under 4 GiB of text,
    /// and the size in its trailer (ISIZE, modulo 2^32) is exact for a single member.
    static final long EXACT_ISIZE_BELOW = (1L << 32) / 1032;

    /// {@return readers of parts of text files, parsed by `loader`}
    public static PartReader.Factory readers(TextLoader loader) {
        return (file, start, end, first) -> {
            TableReader r = start == 0 && end == Long.MAX_VALUE ? loader.open(file)
                    : loader.open(file, new ByteRange(start, end));
            return new PartReader() {
                @Override
                public long read(MemorySegment target, long maxRows) throws IOException {
                    return r.read(target, maxRows);
                }

                @Override
                public long bytesRead() {
                    return r.bytesRead();
                }

                @Override
                public void close() throws IOException {
                    r.close();
                }
            };
        };
    }

    /// {@return the JSON a child needs to rebuild `loader`'s readers}: its dtype beside its options
    public static Map<String, Object> config(TextLoader loader) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dtype", loader.dtype().descr());
        m.putAll(loader.options().toJson());
        return m;
    }

    /// Rebuilds the loader from [#config(TextLoader)]'s JSON.
    @Override
    public PartReader.Factory readers(Object config) {
        Map<String, Object> m = Json.asObject(config, "the loader config");
        return readers(TextLoader.of(DType.parse(Json.asString(m.get("dtype"), "dtype")), LoadOptions.fromJson(m)));
    }

    private static final class TextFormat implements InputFormat {
        @Override
        public boolean splittable(Path file) throws IOException {
            return !Gzip.isGzip(file) || Gzip.isBgzf(file);
        }

        @Override
        public boolean compressed(Path file) throws IOException {
            return Gzip.isGzip(file);
        }

        /// What the trailer of the last member says (ISIZE), trusted only for files small enough
        /// that their text must be under 4 GiB: that is where the estimate matters, as a big
        /// input gets full-sized chunks anyway.
        @Override
        public long textSize(Path file, long size) {
            if (size < 18 || size >= EXACT_ISIZE_BELOW) {
                return -1;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer isize = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                while (isize.hasRemaining() && ch.read(isize, size - 4 + isize.position()) > 0) {
                    // the last 4 bytes
                }
                return isize.hasRemaining() ? -1 : Integer.toUnsignedLong(isize.getInt(0));
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public InputStream openText(Path file) throws IOException {
            return Gzip.openText(file);
        }
    }
}
