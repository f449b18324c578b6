/// The `ferry` command (`io.ferry.cli`): picocli commands over the core, HDF5 and the shared
/// options. Nothing here is API. A run builds the commands' picocli models through the code
/// `ferry-cli-model` writes from their annotations; the package is open to picocli only, whose
/// reflection still reads those annotations where no model is written (the tests compare both). Ferry runs on the class path (the shaded `ferry` jar); this file is the
/// compiler's check that the command reaches only what the other modules export to it.
module io.ferry.cli {
    requires io.ferry.core;
    requires io.ferry.hdf5;
    requires io.ferry.cli.options;
    requires info.picocli;
    requires jdk.unsupported;   // sun.misc.Signal: TerminatingSignals

    opens io.ferry.cli to info.picocli;
}
