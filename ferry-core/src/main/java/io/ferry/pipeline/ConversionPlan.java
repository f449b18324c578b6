package io.ferry.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// The inputs of a conversion and the parts they are cut into.
///
/// Every input is at least one part. When there are fewer inputs than workers, the large
/// uncompressed ones are cut into byte ranges (at least `minPartBytes` each) so every worker has
/// work; the loader moves each cut to the next line end, so every line is read exactly once.
///
/// @param inputs the inputs in the order given
/// @param parts  the parts, each input's in file order, inputs in order
public record ConversionPlan(List<Input> inputs, List<Part> parts) {

    /// Plans the conversion of `files` for `workers` workers.
    public static ConversionPlan of(List<Path> files, int workers, long minPartBytes) throws IOException {
        DatasetNames.checkUnique(files);
        List<Input> inputs = new ArrayList<>();
        for (Path f : files) {
            inputs.add(new Input(inputs.size(), f, DatasetNames.of(f), Files.size(f)));
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
            long step = in.size() / pieces;
            for (int p = 0; p < pieces; p++) {
                long start = p * step;
                long end = p == pieces - 1 ? Long.MAX_VALUE : (p + 1) * step;
                parts.add(new Part(in.index(), p, start, end, p == pieces - 1));
            }
        }
        return new ConversionPlan(List.copyOf(inputs), List.copyOf(parts));
    }

    /// {@return how many parts input `index` has}
    public int partsOf(int index) {
        return (int) parts.stream().filter(p -> p.input() == index).count();
    }
}
