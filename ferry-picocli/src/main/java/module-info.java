/// picocli, compiled from its released sources (see pom.xml), as the named module its released
/// jar declares, so that Ferry's command-line modules can say they require it. It reads the
/// commands' annotated fields by reflection: a module of commands opens its package to it.
module info.picocli {
    requires static java.sql; // converters for java.sql types, registered only when the module is there
    exports picocli;
}
