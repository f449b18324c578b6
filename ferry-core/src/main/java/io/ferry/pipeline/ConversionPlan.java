package io.ferry.pipeline;

import io.ferry.file.StandardInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// The inputs of a conversion and the parts they are cut into.
///
/// Every input is at least one part. Uncompressed inputs are cut into byte ranges whatever the
/// number of inputs: into parts of about the total bytes of all inputs over
/// [#PARTS_PER_WORKER] parts per worker, each at least `minPartBytes`, so that one big file among
/// small ones is shared out among the workers like the rest, and the last parts of a run are small
/// (the `PartQueue` hands out the largest first) and no worker is left alone at the end. Parts
/// are also at most `maxPartBytes`, because a worker parsing a later part of a file than the
/// writer has reached holds that part's records in its slots until the writer gets there: parts no
/// larger than a worker's share of the slots keep every worker busy. The loader moves each cut to
/// the next line end, so every line is read exactly once. An input its [InputFormat] says cannot
/// be cut (for text: gzip that is not BGZF, by its content) is one part: it is read whole.
///
/// ```text
///  big.txt of 120 MB, s1..s3.txt of 2 MB; 2 workers; parts of 8 MB (minimum) to 8 MB (bound)
///  target: 126 MB / (2 workers × 4) = 16 MB, within [8 MB, 8 MB]: 8 MB
///  big.txt  |0|1|2|3|4|5|6|7|8|9|10|11|12|13|14|   15 parts of 8 MB, the last to the end
///  s1.txt   |0|   s2.txt |0|   s3.txt |0|          whole: below the minimum
/// ```
///
/// @param inputs the inputs in the order given
/// @param parts  the parts, each input's in file order, inputs in order
/// @param format what the inputs are, which said how to cut them
public record ConversionPlan(List<Input> inputs, List<Part> parts, InputFormat format) {
    /// Parts per worker that the inputs' total bytes are cut into, within the bounds: enough that
    /// the last parts, handed out last, are a quarter of a worker's share, so workers that finish
    /// at different speeds (a core taken by another program) still finish close together.
    static final int PARTS_PER_WORKER = 4;

    /// Plans the conversion of `files` of `format` for `workers` workers, parts of any size.
    public static ConversionPlan of(List<Path> files, InputFormat format, int workers, long minPartBytes) throws IOException {
        return of(files, format, workers, minPartBytes, Long.MAX_VALUE);
    }

    /// Plans the conversion of `files` of `format` for `workers` workers, in parts of
    /// `minPartBytes` to `maxPartBytes` (`minPartBytes` wins; `Long.MAX_VALUE` keeps every input whole).
    public static ConversionPlan of(List<Path> files, InputFormat format, int workers, long minPartBytes, long maxPartBytes)
            throws IOException {
        return of(files, DatasetNames.of(files, NameTemplate.DEFAULT, ""), format, workers, minPartBytes, maxPartBytes);
    }

    /// As [#of(List, InputFormat, int, long, long)], the inputs becoming the datasets `datasets` (one per file,
    /// in order; checked as [DatasetNames#checkUnique(List, List)] checks them).
    public static ConversionPlan of(List<Path> files, List<String> datasets, InputFormat format, int workers,
                                    long minPartBytes, long maxPartBytes) throws IOException {
        if (datasets.size() != files.size()) {
            throw new IllegalArgumentException(files.size() + " inputs and " + datasets.size() + " dataset names");
        }
        DatasetNames.checkUnique(files, datasets);
        List<Input> inputs = new ArrayList<>();
        for (Path f : files) {
            boolean stdin = StandardInput.is(f); // its size is unknown, and it is read once, whole
            inputs.add(new Input(inputs.size(), f, datasets.get(inputs.size()), stdin ? 0 : sizeOf(f),
                    !stdin && splittable(format, f)));
        }
        long totalBytes = inputs.stream().mapToLong(Input::size).sum();
        long bound = Math.max(1, Math.max(maxPartBytes, minPartBytes));   // the minimum wins over the bound
        long target = Math.clamp(totalBytes / ((long) Math.max(1, workers) * PARTS_PER_WORKER), Math.max(1, minPartBytes), bound);
        List<Part> parts = new ArrayList<>();
        for (Input in : inputs) {
            int pieces = 1;
            if (in.splittable()) {
                // Parts of about the target, none below the minimum; none above the bound.
                long shared = Math.max(1, Math.min(Math.ceilDiv(in.size(), target), in.size() / Math.max(1, minPartBytes)));
                pieces = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(shared, Math.ceilDiv(in.size(), bound)));
            }
            long step = in.size() / pieces;
            for (int p = 0; p < pieces; p++) {
                long start = p * step;
                long end = p == pieces - 1 ? Long.MAX_VALUE : (p + 1) * step;
                parts.add(new Part(in.index(), p, start, end, p == pieces - 1));
            }
        }
        return new ConversionPlan(List.copyOf(inputs), List.copyOf(parts), format);
    }

    /// {@return the size of `file`, or 0 when it cannot be read now}: such a file fails as one part
    /// when its worker opens it, as an unsplittable one does
    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException unreadable) {
            return 0;
        }
    }

    /// {@return whether byte ranges of `file` can be parsed independently}, as `format` says. A
    /// file that cannot be read now is not cut: it fails as one part when its worker opens it,
    /// with the reader's own error, and `--keep-going` goes on without it.
    private static boolean splittable(InputFormat format, Path file) {
        try {
            return format.splittable(file);
        } catch (IOException unreadable) {
            return false;
        }
    }

    /// {@return the bytes `part` covers}: to the input's size as planned for the last part;
    /// [Long#MAX_VALUE] for an input of unknown size (standard input), the part most likely to be long
    long bytes(Part part) {
        Input in = inputs.get(part.input());
        if (StandardInput.is(in.file())) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, (part.end() == Long.MAX_VALUE ? in.size() : Math.min(part.end(), in.size())) - part.start());
    }

    /// {@return about how many lines input `in` holds} (from its size and the lines of its first
    /// 64 KiB of text), or -1 when unknown: enough for a sink to size its storage, never a limit
    public long estimatedRows(Input in) {
        return RowEstimate.of(in, format);
    }

    /// {@return the most rows the inputs can hold}, as a row takes at least a byte of text: the
    /// total of their sizes, or [Long#MAX_VALUE] when an input is standard input or compressed (or
    /// cannot be read to tell), whose text may be any size
    long rowsBound() {
        long bytes = 0;
        for (Input in : inputs) {
            try {
                if (StandardInput.is(in.file()) || format.compressed(in.file())) {
                    return Long.MAX_VALUE;
                }
            } catch (IOException unreadable) {
                return Long.MAX_VALUE;
            }
            bytes = Math.addExact(bytes, in.size());
        }
        return bytes;
    }

    /// {@return how many parts input `index` has}
    public int partsOf(int index) {
        return (int) parts.stream().filter(p -> p.input() == index).count();
    }
}
