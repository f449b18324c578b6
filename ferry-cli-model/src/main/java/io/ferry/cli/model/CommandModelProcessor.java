package io.ferry.cli.model;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashSet;
import java.util.Set;

/// Writes, beside every class that carries picocli's annotations, a class that builds the same
/// picocli model through picocli's programmatic API: for `LoadCommand`, `LoadCommandModel` with
/// `static CommandSpec spec(LoadCommand command)`; for a nested `ShmCommand.Clean`,
/// `ShmCommandCleanModel`.
///
/// Why: picocli reads a command's annotations by reflection at every run. In a JVM just started
/// that is the JDK's annotation parser, a proxy class spun per annotation type and a method
/// handle per field, all cold: about 50 ms of a one-line `ferry load`'s 0.32 s. The generated
/// code does the same work with none of it. The annotations stay the one place the commands are
/// described; picocli's reflection still reads them where speed does not matter (the Spark job's
/// command line), and `CommandModelTest` holds the two models equal, help text included.
///
/// Only what Ferry's commands use is written; any other attribute is a compile error naming it,
/// never a model that differs in silence. A field the model sets must not be private (the model is
/// in the same package, not the same class).
@SupportedAnnotationTypes({ModelSource.COMMAND, ModelSource.OPTION, ModelSource.PARAMETERS, ModelSource.MIXIN,
        ModelSource.SPEC})
public final class CommandModelProcessor extends AbstractProcessor {
    /// Made by the compiler, through the service loader.
    public CommandModelProcessor() {
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Set<TypeElement> classes = new LinkedHashSet<>();
        for (TypeElement annotation : annotations) {
            for (Element e : round.getElementsAnnotatedWith(annotation)) {
                TypeElement owner = e.getKind() == ElementKind.FIELD ? (TypeElement) e.getEnclosingElement()
                        : e.getKind().isClass() ? (TypeElement) e : null;
                if (owner == null) {
                    error(e, "picocli's annotations are read here on fields and classes only, not on a "
                            + e.getKind().toString().toLowerCase(java.util.Locale.ROOT));
                } else {
                    classes.add(owner);
                }
            }
        }
        for (TypeElement c : classes) {
            write(c);
        }
        return false; // picocli's annotations stay visible to other processors
    }

    private void write(TypeElement c) {
        ModelSource source;
        try {
            source = new ModelSource(processingEnv.getElementUtils(), c);
        } catch (ModelSource.Unsupported e) {
            error(e.element, e.getMessage());
            return;
        }
        try (Writer w = processingEnv.getFiler().createSourceFile(source.qualifiedName(), c).openWriter()) {
            w.write(source.text());
        } catch (IOException e) {
            error(c, "cannot write " + source.qualifiedName() + ": " + e.getMessage());
        }
    }

    private void error(Element e, String message) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "CommandModelProcessor: " + message, e);
    }
}
