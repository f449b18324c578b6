package io.ferry.launch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/// The runnable jar's entry point: Ferry needs Java 25, and `java -jar ferry.jar` run by an older
/// Java (Debian 12's default `java` is 17) would otherwise stop at `UnsupportedClassVersionError`
/// on the first of Ferry's classes. This one is compiled for Java 11, so any Java since reads it,
/// says what is wrong and what to run instead, and exits 127, as the `ferry` launcher does when it
/// finds no Java 25; under Java 25 it hands over to `io.ferry.cli.Main`.
public final class JavaVersionCheck {
    /// The Java feature release Ferry is compiled for.
    static final int NEEDED = 25;

    private JavaVersionCheck() {
    }

    public static void main(String[] args) throws Throwable {
        if (Runtime.version().feature() < NEEDED) {
            System.err.println("ferry: needs Java " + NEEDED + " or later, and this is Java " + Runtime.version()
                    + " (" + System.getProperty("java.home") + "). Run the ferry launcher (./ferry in a checkout, or"
                    + " the one scripts/install puts on the PATH), which finds a Java " + NEEDED + ", or run this jar"
                    + " with a Java " + NEEDED + "'s java (JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64, say).");
            System.exit(127);
        }
        MethodHandle main = MethodHandles.publicLookup().findStatic(Class.forName("io.ferry.cli.Main"), "main",
                MethodType.methodType(void.class, String[].class));
        main.invokeExact(args);
    }
}
