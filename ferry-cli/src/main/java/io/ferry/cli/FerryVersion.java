package io.ferry.cli;

import picocli.CommandLine;

/// Ferry's version, from the jar's manifest when packaged.
final class FerryVersion implements CommandLine.IVersionProvider {
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ferry " + version(), "Java " + Runtime.version()};
    }
}
