package io.ferry.pipeline;

import io.ferry.file.StandardInput;
import io.ferry.gzip.Gzip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// The inputs of a conversion and the parts they are cut into.
///
/// Every input is at least one part. Uncompressed inputs are cut into byte ranges, each at least
/// `minPartBytes`: when there are fewer inputs than workers, so every worker has work; and into
/// parts of at most `maxPartBytes`, because a worker parsing a later part of a file than the
/// writer has reached holds that part's records in its slots until the writer gets there. Parts
/// no larger than a worker's share of the slots keep every worker busy, and small parts also even
/// out the end of a run (no worker left alone on a last big file). The loader moves each cut to
/// the next line end, so every line is read exactly once. A gzip input (by its content, whatever
/// its name) is one part: it is read whole; unless it is BGZF (bgzip's blocked gzip), whose
/// ranges the loader moves to the next block start.
///
/// @param inputs the inputs in the order given
/// @param parts  the parts, each input's in file order, inputs in order
public record ConversionPlan(List<Input> inputs, List<Part> parts) {

    /// Plans the conversion of `files` for `workers` workers, parts of any size.
    public static ConversionPlan of(List<Path> files, int workers, long minPartBytes) throws IOException {
        return of(files, workers, minPartBytes, Long.MAX_VALUE);
    }

    /// Plans the conversion of `files` for `workers` workers, in parts of `minPartBytes` to
    /// `maxPartBytes` (`minPartBytes` wins; `Long.MAX_VALUE` keeps every input whole).
    public static ConversionPlan of(List<Path> files, int workers, long minPartBytes, long maxPartBytes) throws IOException {
        return of(files, DatasetNames.of(files, NameTemplate.DEFAULT, ""), workers, minPartBytes, maxPartBytes);
    }

    /// As [#of(List, int, long, long)], the inputs becoming the datasets `datasets` (one per file,
    /// in order; checked as [DatasetNames#checkUnique(List, List)] checks them).
    public static ConversionPlan of(List<Path> files, List<String> datasets, int workers, long minPartBytes, long maxPartBytes)
            throws IOException {
        if (datasets.size() != files.size()) {
            throw new IllegalArgumentException(files.size() + " inputs and " + datasets.size() + " dataset names");
        }
        DatasetNames.checkUnique(files, datasets);
        List<Input> inputs = new ArrayList<>();
        for (Path f : files) {
            boolean stdin = StandardInput.is(f); // its size is unknown, and it is read once, whole
            inputs.add(new Input(inputs.size(), f, datasets.get(inputs.size()), stdin ? 0 : Files.size(f), !stdin && splittable(f)));
        }
        long splittableBytes = inputs.stream().filter(Input::splittable).mapToLong(Input::size).sum();
        List<Part> parts = new ArrayList<>();
        for (Input in : inputs) {
            int pieces = 1;
            if (inputs.size() < workers && in.splittable() && splittableBytes > 0) {
                // Share the workers among splittable inputs by size; small files stay whole.
                long share = Math.max(1, Math.round((double) workers * in.size() / splittableBytes));
                pieces = (int) Math.max(1, Math.min(share, in.size() / Math.max(1, minPartBytes)));
            }
            if (in.splittable() && minPartBytes < Long.MAX_VALUE && in.size() > maxPartBytes) {
                long bounded = Math.ceilDiv(in.size(), Math.max(maxPartBytes, minPartBytes));
                pieces = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(pieces, bounded));
            }
            long step = in.size() / pieces;
            for (int p = 0; p < pieces; p++) {
                long start = p * step;
                long end = p == pieces - 1 ? Long.MAX_VALUE : (p + 1) * step;
                parts.add(new Part(in.index(), p, start, end, p == pieces - 1));
            }
        }
        return new ConversionPlan(List.copyOf(inputs), List.copyOf(parts));
    }

    /// {@return whether byte ranges of `file` can be parsed independently}: not when it is gzip,
    /// unless it is BGZF ([Gzip#isBgzf(Path)]). A
    /// file that cannot be read now is not cut either: it fails as one part when its worker opens
    /// it, with the reader's own error, and `--keep-going` goes on without it.
    private static boolean splittable(Path file) {
        try {
            return !Gzip.isGzip(file) || Gzip.isBgzf(file);
        } catch (IOException unreadable) {
            return false;
        }
    }

    /// {@return how many parts input `index` has}
    public int partsOf(int index) {
        return (int) parts.stream().filter(p -> p.input() == index).count();
    }
}
