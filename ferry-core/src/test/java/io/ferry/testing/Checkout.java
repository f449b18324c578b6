package io.ferry.testing;

import java.nio.file.Path;

/// The checkout the tests run in: Maven runs a module's tests in the module's folder (`basedir`),
/// one below the root that holds the README and `examples/`.
public final class Checkout {
    /// The checkout's root, as seen from the module's folder.
    public static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();

    /// The example inputs the README uses (`examples/sample1.txt`, `calls.tsv` …).
    public static final Path EXAMPLES = ROOT.resolve("examples");

    /// The record layout of the sample inputs `examples/sample*.txt`, as `--dtype` takes it.
    public static final String SAMPLE_DTYPE = "chr:S10,pos:i4,pct:f4,c:i4,t:i4";

    private Checkout() {
    }
}
