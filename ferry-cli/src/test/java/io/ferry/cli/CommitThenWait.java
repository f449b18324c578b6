package io.ferry.cli;

import io.ferry.file.OutputFile;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// A command of one output that waits where [SignalAtCommitTest] wants a signal: with its
/// temporary file written ("temporary"), then, on a line of standard input, with the output in
/// place ("committed"). Its signals are ferry's ([TerminatingSignals]).
public final class CommitThenWait {
    private CommitThenWait() {
    }

    public static void main(String[] args) throws Exception {
        TerminatingSignals.install(true);
        OutputFile out = OutputFile.of(Path.of(args[0]), true, List.of());
        Files.writeString(out.createTemporary(), "new\n");
        System.out.println("temporary");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        in.readLine();
        out.commit();
        System.out.println("committed");
        System.out.flush();
        in.readLine();   // until the signal, or the test's end of standard input
    }
}
