package io.ferry.cli.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/// The source of one class's model: what [CommandModelProcessor] writes for the class `type`.
///
/// The model is built in the order picocli's reflection builds it
/// (`CommandReflection.extractCommandSpec`): the command's attributes, its subcommands, its
/// annotated fields in declaration order (a mixin's options where the mixin field stands), and the
/// standard help options last; so the help lists the options in the same order.
final class ModelSource {
    static final String COMMAND = "picocli.CommandLine.Command";
    static final String OPTION = "picocli.CommandLine.Option";
    static final String PARAMETERS = "picocli.CommandLine.Parameters";
    static final String MIXIN = "picocli.CommandLine.Mixin";
    static final String SPEC = "picocli.CommandLine.Spec";
    /// picocli's annotations the model does not write: a field with one is a compile error.
    static final List<String> UNWRITTEN = List.of("picocli.CommandLine.ArgGroup", "picocli.CommandLine.ParentCommand",
            "picocli.CommandLine.Unmatched");

    private static final String MODEL = "picocli.CommandLine.Model.";

    /// The attributes written, per annotation; any other one set is [Unsupported].
    private static final Map<String, Set<String>> WRITTEN = Map.of(
            COMMAND, Set.of("name", "description", "footerHeading", "footer", "exitCodeListHeading", "exitCodeList",
                    "sortOptions", "mixinStandardHelpOptions", "versionProvider", "subcommands"),
            OPTION, Set.of("names", "paramLabel", "description", "defaultValue", "required", "arity", "split"),
            PARAMETERS, Set.of("paramLabel", "description", "defaultValue", "arity", "index"),
            MIXIN, Set.of("name"),
            SPEC, Set.of());

    /// A class whose annotations ask for what is not written.
    static final class Unsupported extends Exception {
        final transient Element element;

        Unsupported(Element element, String message) {
            super(message);
            this.element = element;
        }
    }

    private final Elements elements;
    private final TypeElement type;
    private final String packageName;
    private final String simpleName;
    private final StringBuilder body = new StringBuilder();
    private final List<VariableElement> bound = new ArrayList<>(); // fields set through [Field], by index
    private final List<VariableElement> specFields = new ArrayList<>(); // @Spec fields
    private boolean standardHelpOptions;

    ModelSource(Elements elements, TypeElement type) throws Unsupported {
        this.elements = elements;
        this.type = type;
        PackageElement p = elements.getPackageOf(type);
        this.packageName = p.getQualifiedName().toString();
        String nested = type.getQualifiedName().toString().substring(packageName.isEmpty() ? 0 : packageName.length() + 1);
        this.simpleName = nested.replace(".", "") + "Model";
        build();
    }

    /// {@return the qualified name of the class written}
    String qualifiedName() {
        return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
    }

    private void build() throws Unsupported {
        if (type.getSuperclass() instanceof DeclaredType sup && annotated((TypeElement) sup.asElement())) {
            // picocli's reflection reads a superclass's fields too; the model writes this class's only
            throw new Unsupported(type, "its superclass " + sup + " has picocli's annotations, which the model does not read");
        }
        Map<String, AnnotationValue> command = values(type, COMMAND);
        if (command != null) {
            commandAttributes(command);
        }
        for (Element e : type.getEnclosedElements()) {
            if (e.getKind() != ElementKind.FIELD) {
                continue;
            }
            VariableElement f = (VariableElement) e;
            for (String unwritten : UNWRITTEN) {
                if (values(f, unwritten) != null) {
                    throw new Unsupported(f, "@" + unwritten.substring(unwritten.lastIndexOf('.') + 1) + " is not written yet");
                }
            }
            Map<String, AnnotationValue> option = values(f, OPTION);
            Map<String, AnnotationValue> parameters = values(f, PARAMETERS);
            Map<String, AnnotationValue> mixin = values(f, MIXIN);
            Map<String, AnnotationValue> spec = values(f, SPEC);
            int kinds = (option != null ? 1 : 0) + (parameters != null ? 1 : 0) + (mixin != null ? 1 : 0) + (spec != null ? 1 : 0);
            if (kinds == 0) {
                continue;
            }
            if (kinds > 1) {
                throw new Unsupported(f, "a field is one of @Option, @Parameters, @Mixin and @Spec, not several");
            }
            if (f.getModifiers().contains(Modifier.PRIVATE) || f.getModifiers().contains(Modifier.STATIC)) {
                throw new Unsupported(f, "the model sets this field from another class: it must be an instance field, not private");
            }
            if (option != null) {
                argument(f, option, true);
            } else if (parameters != null) {
                argument(f, parameters, false);
            } else if (mixin != null) {
                mixin(f, mixin);
            } else {
                specFields.add(f); // set once the model is whole
            }
        }
        standardHelpOptions = command != null && bool(command, "mixinStandardHelpOptions");
        if (standardHelpOptions) {
            line("addStandardHelpOptions(spec); // last, as picocli adds them");
        }
        for (VariableElement f : specFields) {
            line("command." + f.getSimpleName() + " = spec;");
        }
    }

    /// {@return whether `t` or one of its fields carries any of picocli's annotations}
    private static boolean annotated(TypeElement t) {
        List<Element> all = new ArrayList<>(t.getEnclosedElements());
        all.add(t);
        for (Element e : all) {
            for (AnnotationMirror m : e.getAnnotationMirrors()) {
                if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString().startsWith("picocli.")) {
                    return true;
                }
            }
        }
        return false;
    }

    private void commandAttributes(Map<String, AnnotationValue> command) throws Unsupported {
        if (command.containsKey("name")) {
            line("spec.name(" + literal(string(command, "name")) + ");");
        }
        if (command.containsKey("description")) {
            line("spec.usageMessage().description(" + literals(strings(command, "description")) + ");");
        }
        if (command.containsKey("exitCodeListHeading")) {
            line("spec.usageMessage().exitCodeListHeading(" + literal(string(command, "exitCodeListHeading")) + ");");
        }
        if (command.containsKey("exitCodeList")) {
            line("spec.usageMessage().exitCodeList(" + MODEL + "UsageMessageSpec.keyValuesMap("
                    + literals(strings(command, "exitCodeList")) + "));");
        }
        if (command.containsKey("footerHeading")) {
            line("spec.usageMessage().footerHeading(" + literal(string(command, "footerHeading")) + ");");
        }
        if (command.containsKey("footer")) {
            line("spec.usageMessage().footer(" + literals(strings(command, "footer")) + ");");
        }
        if (command.containsKey("sortOptions")) {
            line("spec.usageMessage().sortOptions(" + bool(command, "sortOptions") + ");");
        }
        if (command.containsKey("versionProvider")) {
            line("spec.versionProvider(new " + classValue(command.get("versionProvider")) + "());");
        }
        if (command.containsKey("subcommands")) {
            for (AnnotationValue v : list(command, "subcommands")) {
                TypeMirror sub = (TypeMirror) v.getValue();
                TypeElement subType = (TypeElement) ((DeclaredType) sub).asElement();
                String name = commandName(subType);
                if (name == null) {
                    throw new Unsupported(type, "subcommand " + subType + " has no @Command(name = …)");
                }
                if (samePackage(subType)) {
                    line("spec.addSubcommand(" + literal(name) + ", new picocli.CommandLine(" + modelOf(subType)
                            + ".spec(new " + sourceName(subType) + "())));");
                } else { // picocli's own (HelpCommand): read by reflection, when this command is built
                    line("spec.addSubcommand(" + literal(name) + ", new picocli.CommandLine(new " + sourceName(subType) + "()));");
                }
            }
        }
    }

    /// {@return whether `t` is compiled beside this class, its model with it}; picocli's own commands are not
    private boolean samePackage(TypeElement t) {
        return elements.getPackageOf(t).getQualifiedName().toString().equals(packageName);
    }

    private void argument(VariableElement f, Map<String, AnnotationValue> a, boolean option) throws Unsupported {
        TypeMirror t = f.asType();
        boolean multi = t.getKind() == TypeKind.ARRAY || isCollection(t);
        StringBuilder b = new StringBuilder();
        if (option) {
            b.append(MODEL).append("OptionSpec.builder(").append(literals(strings(a, "names"))).append(")");
        } else {
            b.append(MODEL).append("PositionalParamSpec.builder()");
            if (a.containsKey("index")) {
                b.append(".index(").append(literal(string(a, "index"))).append(")");
            }
        }
        String label = a.containsKey("paramLabel") && !string(a, "paramLabel").isBlank() ? string(a, "paramLabel").strip()
                : "<" + f.getSimpleName() + ">";
        b.append(".paramLabel(").append(literal(label)).append(")");
        if (a.containsKey("description")) {
            b.append(".description(").append(literals(strings(a, "description"))).append(")");
        }
        if (a.containsKey("defaultValue")) {
            b.append(".defaultValue(").append(literal(string(a, "defaultValue"))).append(")");
        }
        if (a.containsKey("split")) {
            b.append(".splitRegex(").append(literal(string(a, "split"))).append(")");
        }
        String arity = a.containsKey("arity") ? string(a, "arity") : null;
        if (arity != null) {
            b.append(".arity(").append(literal(arity)).append(")");
        }
        if (option) {
            if (a.containsKey("required")) {
                b.append(".required(").append(bool(a, "required")).append(")");
            }
        } else {
            if (multi && arity == null) {
                // picocli's default for a list of positional parameters ("0..1", its arity left
                // unspecified) has no spelling in its builder
                throw new Unsupported(f, "give a multi-valued @Parameters its arity");
            }
            b.append(".required(").append(minimum(arity == null ? "1" : arity) > 0).append(")");
        }
        b.append(".type(").append(classLiteral(t)).append(")");
        List<TypeMirror> aux = auxiliaryTypes(t);
        if (!aux.isEmpty()) {
            b.append(".auxiliaryTypes(");
            for (int i = 0; i < aux.size(); i++) {
                b.append(i > 0 ? ", " : "").append(classLiteral(aux.get(i)));
            }
            b.append(")");
        }
        int index = bound.size();
        bound.add(f);
        b.append(".initialValue(command.").append(f.getSimpleName()).append(")");
        b.append(".getter(new Field(command, ").append(index).append("))");
        b.append(".setter(new Field(command, ").append(index).append("))");
        b.append(".withToString(").append(literal(toGenericString(f))).append(")");
        b.append(".build()");
        line("spec." + (option ? "addOption(" : "addPositional(") + b + ");");
    }

    private void mixin(VariableElement f, Map<String, AnnotationValue> a) throws Unsupported {
        TypeElement mixinType = (TypeElement) ((DeclaredType) f.asType()).asElement();
        String name = a.containsKey("name") && !string(a, "name").isEmpty() ? string(a, "name") : f.getSimpleName().toString();
        String field = "command." + f.getSimpleName();
        line("if (" + field + " == null) {");
        line("    " + field + " = new " + sourceName(mixinType) + "();");
        line("}");
        line("spec.addMixin(" + literal(name) + ", " + modelOf(mixinType) + ".spec(" + field + "));");
    }

    /// {@return the text of the class}
    String text() {
        boolean exported = type.getModifiers().contains(Modifier.PUBLIC);
        String visibility = exported ? "public " : "";
        StringBuilder s = new StringBuilder();
        if (!packageName.isEmpty()) {
            s.append("package ").append(packageName).append(";\n\n");
        }
        String source = sourceName(type);
        s.append("/// picocli's model of [").append(source).append("], as its annotations describe it, built without\n");
        s.append("/// reflection. Written by io.ferry.cli.model.CommandModelProcessor when it is compiled: edit the\n");
        s.append("/// annotations, not this.\n");
        s.append(visibility).append("final class ").append(simpleName).append(" {\n");
        s.append("    private ").append(simpleName).append("() {\n    }\n\n");
        s.append("    /// {@return the model of `command`}, which sets its fields as picocli's reflection would\n");
        s.append("    ").append(visibility).append("static ").append(MODEL).append("CommandSpec spec(").append(source)
                .append(" command) {\n");
        s.append("        ").append(MODEL).append("CommandSpec spec = ").append(MODEL)
                .append("CommandSpec.wrapWithoutInspection(command);\n");
        s.append(body);
        s.append("        return spec;\n    }\n");
        if (standardHelpOptions) {
            s.append(STANDARD_HELP_OPTIONS);
        }
        if (!bound.isEmpty()) {
            fieldClass(s, source);
        }
        s.append("}\n");
        return s.toString();
    }

    /// What `CommandSpec.mixinStandardHelpOptions(true)` adds, `-h` and `-V`, built as it builds them
    /// but for the reflection: it reads the annotations of picocli's `AutoHelpMixin`, 19 ms of a
    /// run that reads no other. Their values are kept in the model (picocli's `ObjectBinding`).
    private static final String STANDARD_HELP_OPTIONS = """

                /// Adds picocli's standard help options to `spec`, as `spec.mixinStandardHelpOptions(true)` does.
                private static void addStandardHelpOptions(picocli.CommandLine.Model.CommandSpec spec) {
                    picocli.CommandLine.Model.CommandSpec mixin = picocli.CommandLine.Model.CommandSpec.create();
                    mixin.addOption(picocli.CommandLine.Model.OptionSpec.builder("${picocli.help.name.0:--h}", "${picocli.help.name.1:---help}")
                            .usageHelp(true).descriptionKey("mixinStandardHelpOptions.help")
                            .description("Show this help message and exit.").paramLabel("<helpRequested>")
                            .type(boolean.class).initialValue(false)
                            .withToString("field boolean picocli.CommandLine$AutoHelpMixin.helpRequested").build());
                    mixin.addOption(picocli.CommandLine.Model.OptionSpec.builder("${picocli.version.name.0:--V}", "${picocli.version.name.1:---version}")
                            .versionHelp(true).descriptionKey("mixinStandardHelpOptions.version")
                            .description("Print version information and exit.").paramLabel("<versionRequested>")
                            .type(boolean.class).initialValue(false)
                            .withToString("field boolean picocli.CommandLine$AutoHelpMixin.versionRequested").build());
                    spec.addMixin("mixinStandardHelpOptions", mixin);
                }
            """;

    /// One class for every field's getter and setter (picocli's are generic methods, which a lambda cannot be).
    private void fieldClass(StringBuilder s, String source) {
        s.append("\n    private record Field(").append(source).append(" command, int member) implements ")
                .append(MODEL).append("IGetter, ").append(MODEL).append("ISetter {\n");
        s.append("        @Override\n        @SuppressWarnings(\"unchecked\")\n");
        s.append("        public <T> T get() {\n            return (T) switch (member) {\n");
        for (int i = 0; i < bound.size(); i++) {
            s.append("                case ").append(i).append(" -> (Object) command.").append(bound.get(i).getSimpleName()).append(";\n");
        }
        s.append("                default -> throw new IllegalStateException(\"no member \" + member);\n            };\n        }\n\n");
        s.append("        @Override\n        @SuppressWarnings(\"unchecked\")\n");
        s.append("        public <T> T set(T value) {\n            T old = get();\n            switch (member) {\n");
        for (int i = 0; i < bound.size(); i++) {
            VariableElement f = bound.get(i);
            s.append("                case ").append(i).append(" -> command.").append(f.getSimpleName()).append(" = (")
                    .append(castType(f.asType())).append(") value;\n");
        }
        s.append("                default -> throw new IllegalStateException(\"no member \" + member);\n            }\n");
        s.append("            return old;\n        }\n    }\n");
    }

    private void line(String code) {
        body.append("        ").append(code).append('\n');
    }

    // ---- reading annotations

    /// {@return the attributes `e`'s annotation `name` sets explicitly}, or null without that annotation
    private Map<String, AnnotationValue> values(Element e, String name) throws Unsupported {
        for (AnnotationMirror m : e.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(name)) {
                Map<String, AnnotationValue> set = new LinkedHashMap<>();
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v : m.getElementValues().entrySet()) {
                    String attribute = v.getKey().getSimpleName().toString();
                    if (!WRITTEN.getOrDefault(name, Set.of()).contains(attribute)) {
                        throw new Unsupported(e, "@" + name.substring(name.lastIndexOf('.') + 1) + "(" + attribute
                                + " = …) is not written yet; add it to ModelSource and to CommandModelTest");
                    }
                    set.put(attribute, v.getValue());
                }
                return set;
            }
        }
        return null;
    }

    /// {@return the name `t`'s `@Command` gives}, or null; the other attributes are not read (picocli's
    /// own commands have more than the model writes, and are read by reflection)
    private static String commandName(TypeElement t) {
        for (AnnotationMirror m : t.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(COMMAND)) {
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v : m.getElementValues().entrySet()) {
                    if (v.getKey().getSimpleName().contentEquals("name")) {
                        return (String) v.getValue().getValue();
                    }
                }
            }
        }
        return null;
    }

    private static String string(Map<String, AnnotationValue> a, String name) {
        return (String) a.get(name).getValue();
    }

    private static boolean bool(Map<String, AnnotationValue> a, String name) {
        return a.containsKey(name) && (Boolean) a.get(name).getValue();
    }

    @SuppressWarnings("unchecked")
    private static List<? extends AnnotationValue> list(Map<String, AnnotationValue> a, String name) {
        Object v = a.get(name).getValue();
        return v instanceof List<?> l ? (List<? extends AnnotationValue>) l : List.of(a.get(name));
    }

    private static List<String> strings(Map<String, AnnotationValue> a, String name) {
        List<String> out = new ArrayList<>();
        for (AnnotationValue v : list(a, name)) {
            out.add((String) v.getValue());
        }
        return out;
    }

    private String classValue(AnnotationValue v) {
        return sourceName((TypeElement) ((DeclaredType) v.getValue()).asElement());
    }

    // ---- types

    private static boolean isCollection(TypeMirror t) {
        if (!(t instanceof DeclaredType d)) {
            return false;
        }
        String raw = ((TypeElement) d.asElement()).getQualifiedName().toString();
        return raw.equals("java.util.List") || raw.equals("java.util.Collection") || raw.equals("java.util.Set");
    }

    private String classLiteral(TypeMirror t) throws Unsupported {
        return switch (t.getKind()) {
            case BOOLEAN, BYTE, SHORT, INT, LONG, CHAR, FLOAT, DOUBLE -> t + ".class";
            case ARRAY -> classLiteral(((ArrayType) t).getComponentType()).replace(".class", "[].class");
            case DECLARED -> sourceName((TypeElement) ((DeclaredType) t).asElement()) + ".class";
            default -> throw new Unsupported(type, "no class literal for " + t);
        };
    }

    private List<TypeMirror> auxiliaryTypes(TypeMirror t) throws Unsupported {
        if (t instanceof ArrayType a) {
            return List.of(a.getComponentType());
        }
        if (t instanceof DeclaredType d && !d.getTypeArguments().isEmpty()) {
            List<TypeMirror> out = new ArrayList<>();
            for (TypeMirror arg : d.getTypeArguments()) {
                if (arg.getKind() != TypeKind.DECLARED) {
                    throw new Unsupported(type, "type argument " + arg + " of " + t + " is not a class");
                }
                out.add(arg);
            }
            return out;
        }
        return List.of();
    }

    /// {@return the type to cast a set value to}: a primitive's box
    private static String castType(TypeMirror t) {
        return switch (t.getKind()) {
            case BOOLEAN -> "Boolean";
            case BYTE -> "Byte";
            case SHORT -> "Short";
            case INT -> "Integer";
            case LONG -> "Long";
            case CHAR -> "Character";
            case FLOAT -> "Float";
            case DOUBLE -> "Double";
            default -> t.toString();
        };
    }

    /// {@return what picocli's reflection names a field in its messages}: `Field.toGenericString()`,
    /// abbreviated as picocli abbreviates it
    private String toGenericString(VariableElement f) {
        StringBuilder s = new StringBuilder("field ");
        for (Modifier m : List.of(Modifier.PUBLIC, Modifier.PROTECTED, Modifier.PRIVATE, Modifier.STATIC,
                Modifier.FINAL, Modifier.TRANSIENT, Modifier.VOLATILE)) {
            if (f.getModifiers().contains(m) && m != Modifier.PUBLIC && m != Modifier.PROTECTED && m != Modifier.PRIVATE) {
                s.append(m).append(' ');
            }
        }
        s.append(f.asType().toString().replace("java.lang.", "")).append(' ');
        s.append(elements.getBinaryName((TypeElement) f.getEnclosingElement()).toString().replace("java.lang.", ""));
        return s.append('.').append(f.getSimpleName()).toString();
    }

    /// {@return the name of `t` in source}, nested classes with dots
    private static String sourceName(TypeElement t) {
        return t.getQualifiedName().toString();
    }

    /// {@return the qualified name of the model written for `t`}
    private String modelOf(TypeElement t) {
        String p = elements.getPackageOf(t).getQualifiedName().toString();
        String nested = t.getQualifiedName().toString().substring(p.isEmpty() ? 0 : p.length() + 1);
        return (p.isEmpty() ? "" : p + ".") + nested.replace(".", "") + "Model";
    }

    private static int minimum(String arity) {
        String low = arity.contains("..") ? arity.substring(0, arity.indexOf("..")) : arity;
        low = low.strip();
        return low.equals("*") ? 0 : Integer.parseInt(low);
    }

    // ---- Java literals

    private static String literals(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add(literal(v));
        }
        return String.join(", ", out);
    }

    static String literal(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
