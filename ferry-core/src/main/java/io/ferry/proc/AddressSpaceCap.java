package io.ferry.proc;

import java.util.List;

/// A cap on this process's address space (`ulimit -v`: Grid Engine's `h_vmem`, some clusters'
/// login nodes), which a child inherits. A JVM reserves a quarter of the machine's memory for its
/// heap, 1 GiB of class space and 240 MiB for compiled code before it starts; under a cap of a
/// few GiB a child JVM did not start at all ("Could not allocate compressed class space"). Under
/// a cap a child reserves what fits, as the `ferry` launcher has its own JVM do.
final class AddressSpaceCap {
    private AddressSpaceCap() {
    }

    /// {@return the options that size a child JVM to the cap}, none without a cap; a caller's
    /// own options, given after these, win
    static List<String> childOptions() {
        long soft = ProcessLimits.addressSpace();
        if (soft <= 0) {
            return List.of();
        }
        return List.of("-Xmx" + Math.max(16, (soft / 4) >> 20) + "m", "-XX:CompressedClassSpaceSize=128m",
                "-XX:ReservedCodeCacheSize=64m");
    }
}
