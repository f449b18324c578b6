/// The command-line options the `ferry` command and the Spark job's command line share, as
/// picocli mixins: [io.ferry.cli.options.LoaderOptions] (numpy's `loadtxt` arguments). In a module
/// of their own so that the Spark job does not depend on the `ferry` command.
package io.ferry.cli.options;
