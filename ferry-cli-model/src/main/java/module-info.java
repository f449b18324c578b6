/// The compiler's plug-in that writes the `ferry` commands' picocli models as code
/// ([io.ferry.cli.model.CommandModelProcessor]). It runs inside `javac` only: nothing of it is in
/// Ferry's jar.
module io.ferry.cli.model {
    requires java.compiler;

    provides javax.annotation.processing.Processor with io.ferry.cli.model.CommandModelProcessor;
}
