package io.ferry.cli;

/// What `System.exit` looks up before it runs the shutdown hooks: the `System.Logger` of
/// `java.lang.Runtime` (the JDK logs a runtime's exit at that logger's DEBUG level), whose first
/// lookup starts the JDK's logger service. That took 5 ms of every command's exit, with a caller
/// (ferry.loadtxt, a script) waiting for it. Initialising this class looks the logger up:
/// [Preload] does it beside the reading of the command line.
final class ExitLogger {
    static {
        System.getLogger("java.lang.Runtime").isLoggable(System.Logger.Level.DEBUG);
    }

    private ExitLogger() {
    }
}
