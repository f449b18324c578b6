package io.ferry.sample;

import io.ferry.dtype.DType;
import io.ferry.file.OutputFile;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/// Writes a deterministic, realistic methylation table (bismark-like coverage): one CpG per line,
/// tab-separated `chr pos pct c t`, chromosomes `chr1`..`chr22`, `chrX`, `chrY`, `chrM` in order,
/// positions increasing within each, small methylated (`c`) and unmethylated (`t`) counts, and
/// `pct = 100*c/(c+t)` printed with up to two decimals (`66.67`, `12.5`, `0`, `100`).
///
/// ```text
/// chr1	10468	66.67	2	1
/// chr1	10470	100	3	0
/// ```
///
/// The same seed and line count give the same bytes, gzip included. Lines average about 24 bytes,
/// so 5 million lines make about 120 MB.
///
/// ```java
/// Path file = Files.createTempFile("meth", ".txt");
/// MethylationTable.write(file, 1000, 42);
/// assert Files.readAllLines(file).size() == 1000;
/// assert MethylationTable.DTYPE.itemSize() == 26;
/// ```
public final class MethylationTable {
    /// The table's dtype, `chr:S10,pos:i4,pct:f4,c:i4,t:i4`.
    public static final DType DTYPE = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");

    private static final String[] CHROMOSOMES = new String[25];

    static {
        for (int i = 0; i < 22; i++) {
            CHROMOSOMES[i] = "chr" + (i + 1);
        }
        CHROMOSOMES[22] = "chrX";
        CHROMOSOMES[23] = "chrY";
        CHROMOSOMES[24] = "chrM";
    }

    private MethylationTable() {
    }

    /// Writes `lines` lines made from `seed` to `file`, plain text, atomically (see
    /// [#write(Path, long, long, boolean)]).
    public static void write(Path file, long lines, long seed) throws IOException {
        write(file, lines, seed, false);
    }

    /// Writes `lines` lines made from `seed` to `file`, gzip-compressed when `gzip` is true:
    /// atomically, as [OutputFile] writes (an existing `file` is replaced only once the table is
    /// complete; what is not a regular file is refused).
    /// @throws io.ferry.file.OutputFileException when `file` cannot be an output, saying why
    public static void write(Path file, long lines, long seed, boolean gzip) throws IOException {
        OutputFile output = OutputFile.of(file, true, List.of());
        try {
            try (OutputStream raw = Files.newOutputStream(output.createTemporary());
                 OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : new BufferedOutputStream(raw, 1 << 16)) {
                write(out, lines, seed);
            }
            output.commit();
        } finally {
            output.discard();
        }
    }

    /// Writes `lines` lines made from `seed` to `out`.
    public static void write(OutputStream out, long lines, long seed) throws IOException {
        if (lines < 0) {
            throw new IllegalArgumentException("lines must be >= 0, not " + lines);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long perChromosome = lines / CHROMOSOMES.length;
        long extra = lines % CHROMOSOMES.length;
        byte[] line = new byte[64];
        byte[] chunk = new byte[1 << 16];
        int used = 0;
        for (int k = 0; k < CHROMOSOMES.length; k++) {
            long count = perChromosome + (k < extra ? 1 : 0);
            // Steps small enough that the last position of a chromosome stays below 2^31.
            int maxStep = (int) Math.max(1, Math.min(2_000, 2_000_000_000L / Math.max(1, count)));
            long pos = 10_000 + random.nextInt(20_000_000);
            byte[] chr = CHROMOSOMES[k].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (long i = 0; i < count; i++) {
                pos += 1 + random.nextInt(maxStep);
                int depth = 1 + random.nextInt(random.nextInt(4) == 0 ? 120 : 30);
                int c = random.nextInt(3) == 0 ? (random.nextBoolean() ? 0 : depth) : random.nextInt(depth + 1);
                int n = 0;
                System.arraycopy(chr, 0, line, 0, chr.length);
                n += chr.length;
                line[n++] = '\t';
                n = digits(line, n, pos);
                line[n++] = '\t';
                n = percent(line, n, c, depth);
                line[n++] = '\t';
                n = digits(line, n, c);
                line[n++] = '\t';
                n = digits(line, n, depth - c);
                line[n++] = '\n';
                if (used + n > chunk.length) {
                    out.write(chunk, 0, used);
                    used = 0;
                }
                System.arraycopy(line, 0, chunk, used, n);
                used += n;
            }
        }
        out.write(chunk, 0, used);
    }

    /// Writes `100*c/depth` rounded half up to hundredths, without trailing zeros.
    private static int percent(byte[] b, int n, int c, int depth) {
        long hundredths = (20_000L * c + depth) / (2L * depth);
        n = digits(b, n, hundredths / 100);
        int frac = (int) (hundredths % 100);
        if (frac != 0) {
            b[n++] = '.';
            b[n++] = (byte) ('0' + frac / 10);
            if (frac % 10 != 0) {
                b[n++] = (byte) ('0' + frac % 10);
            }
        }
        return n;
    }

    private static int digits(byte[] b, int n, long v) {
        int start = n;
        do {
            b[n++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        for (int i = start, j = n - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
        return n;
    }

    /// `MethylationTable FILE LINES SEED [--gzip]`: writes a table, for benchmarks and examples.
    public static void main(String[] args) throws IOException {
        if (args.length < 3 || args.length > 4 || (args.length == 4 && !args[3].equals("--gzip"))) {
            System.err.println("usage: MethylationTable FILE LINES SEED [--gzip]");
            System.exit(2);
        }
        write(Path.of(args[0]), Long.parseLong(args[1]), Long.parseLong(args[2]), args.length == 4);
    }
}
