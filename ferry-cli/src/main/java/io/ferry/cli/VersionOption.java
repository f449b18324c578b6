package io.ferry.cli;

import io.ferry.FerryVersion;
import picocli.CommandLine;

/// What `--version` prints: Ferry's version ([FerryVersion]) and the Java that runs it.
final class VersionOption implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"ferry " + FerryVersion.get(), "Java " + Runtime.version()};
    }
}
