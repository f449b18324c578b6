package io.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// Runs a command as an ordinary user, for tests of what only root may do.
public final class OrdinaryUser {
    /// The user: not root, not nobody (65534, whose files the tests plant).
    public static final int UID = 4242;

    private OrdinaryUser() {
    }

    /// {@return a command prefix that runs a command as uid [#UID]} when this test runs as root,
    /// else nothing. Root may remove any file of a directory it owns, such as `/dev/shm`, whatever
    /// its sticky bit, so dropping capabilities is not enough. The user keeps CAP_DAC_READ_SEARCH
    /// alone, to read this JVM's class path under `/root` and a test's inputs.
    public static List<String> prefix() throws IOException {
        if (((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) != 0) {
            return List.of();
        }
        return List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups",
                "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search");
    }
}
