package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

/// A child JVM for [Hdf5NativesTest]: writes and reads back `args[0]` through Ferry's HDF5 API,
/// then prints the rows read and the files its HDF5 and JavaCPP natives were mapped from.
final class Hdf5NativesProbe {
    private Hdf5NativesProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        DType dt = DType.parse("pos:i4,pct:f4");
        try (Hdf5Writer writer = Hdf5Writer.create(target, WriteOptions.builder().build());
             Arena arena = Arena.ofConfined()) {
            writer.dataset("d", "d.txt", dt).append(NdArray.allocate(dt, arena, 7));
            writer.commit();
        }
        try (Hdf5File f = Hdf5File.open(target)) {
            System.out.println("rows " + f.datasets().getFirst().rows());
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains("libhdf5.so") || line.contains("libjnijavacpp") || line.contains("libjnihdf5")) {
                System.out.println("mapped " + line.substring(line.indexOf('/')));
            }
        }
    }
}
