package io.ferry.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// A JVM's crash as its fatal error log (`hs_err_pid*.log`) tells it: the signal, the native frame
/// it came in, and the native call Java was making then, such as
/// `SIGSEGV in libc.so.6+0x16d833, in HDF5's H5Dread`.
///
/// A crashing JVM writes that log to the working directory unless told otherwise; every JVM
/// Ferry starts is told ([#errorFileOption(Path)]): the `ferry` launcher and every worker JVM
/// write theirs to the temporary directory ([#DEFAULT_LOG_DIR]), and a child started to read a
/// file that may crash it gets a directory of its own, which its parent reads and removes.
///
/// @param signal     the signal, such as `SIGSEGV`; `unknown` when the log does not say
/// @param frame      the problematic frame, such as `libc.so.6+0x16d833`; empty when the log does not say
/// @param nativeCall the Java method of the native library on top of the Java stack, such as
///                   `org.bytedeco.hdf5.global.hdf5.H5Dread`; empty when there is none
public record JvmCrash(String signal, String frame, String nativeCall) {
    /// Where crash logs of Ferry's JVMs go by default: the temporary directory.
    public static final Path DEFAULT_LOG_DIR = Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
    /// The name of crash logs of Ferry's JVMs in [#DEFAULT_LOG_DIR] (`%p`: the pid).
    static final String DEFAULT_LOG_NAME = "ferry-hs_err_pid%p.log";

    private static final Pattern SIGNAL = Pattern.compile("^#\\s+(SIG[A-Z0-9]+|EXCEPTION_[A-Z_]+|Internal Error|Out of Memory Error)");
    private static final Pattern JAVA_NATIVE_FRAME = Pattern.compile("^[jJ]\\s+((?:[\\w$]+\\.)+)(\\w+)\\(");

    /// {@return the option that makes a JVM write its crash log into `dir`}, as `hs_err_pid<pid>.log`
    public static String errorFileOption(Path dir) {
        return "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log");
    }

    /// {@return the option every worker JVM gets}: its crash log in the temporary directory, never
    /// in the working directory
    static String defaultErrorFileOption() {
        return "-XX:ErrorFile=" + DEFAULT_LOG_DIR.resolve(DEFAULT_LOG_NAME);
    }

    /// {@return the crash the first `hs_err_pid*.log` in `dir` tells}, or empty when there is none
    public static Optional<JvmCrash> find(Path dir) {
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(dir, "hs_err_pid*.log")) {
            for (Path log : logs) {
                return Optional.of(read(Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1)));
            }
        } catch (IOException e) {
            // no directory, or not readable: no crash to tell
        }
        return Optional.empty();
    }

    /// {@return the crash the lines of a crash log tell}
    static JvmCrash read(List<String> lines) {
        String signal = "unknown";
        String frame = "";
        String call = "";
        boolean problematic = false;
        boolean javaFrames = false;
        for (String line : lines) {
            Matcher s = SIGNAL.matcher(line);
            if (signal.equals("unknown") && s.find()) {
                signal = s.group(1);
            } else if (line.startsWith("# Problematic frame:")) {
                problematic = true;
            } else if (problematic) {
                // "# C  [libc.so.6+0x16d833]" or "# C  [libhdf5.so.310+0x1234]  H5A__close+0x12"
                frame = line.replaceFirst("^#\\s*[A-Za-z]\\s+", "").replace("[", "").replace("]", "").strip();
                problematic = false;
            } else if (line.startsWith("Java frames:")) {
                javaFrames = true;
            } else if (javaFrames && call.isEmpty()) {
                Matcher j = JAVA_NATIVE_FRAME.matcher(line);
                if (j.find()) {
                    call = j.group(1) + j.group(2);
                } else if (line.isBlank()) {
                    javaFrames = false;
                }
            }
        }
        return new JvmCrash(signal, frame, call);
    }

    /// {@return one line for a message}: `SIGSEGV in libc.so.6+0x16d833, during H5Dread`
    public String describe() {
        StringBuilder b = new StringBuilder(signal);
        if (!frame.isEmpty()) {
            b.append(" in ").append(frame);
        }
        if (!nativeCall.isEmpty()) {
            b.append(", during ").append(nativeCall.substring(nativeCall.lastIndexOf('.') + 1));
        }
        return b.toString();
    }
}
