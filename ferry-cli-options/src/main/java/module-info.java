/// The loader's command-line options, shared by the `ferry` commands and the Spark job's own
/// command line (`io.ferry.cli.options`). Ferry runs on the class path; this file is the
/// compiler's check of what this module reaches.
module io.ferry.cli.options {
    requires transitive io.ferry.core;
    requires transitive info.picocli;

    exports io.ferry.cli.options;
    opens io.ferry.cli.options to info.picocli; // picocli sets the mixin's annotated fields
}
