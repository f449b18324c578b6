package io.ferry.cli;

import io.ferry.pipeline.ConversionProgress;
import io.ferry.pipeline.ConversionProgress.State;
import io.ferry.pipeline.Input;

import java.util.ArrayList;
import java.util.List;

/// A conversion's progress at one moment, as a frame of [ProgressDisplay] shows it: read once from
/// the live counters, so that a frame agrees with itself, and a value a test can make.
///
/// @param seconds since the conversion started
/// @param files   each input's, in input order
record ProgressSnapshot(double seconds, List<FileProgress> files) {
    /// One input's progress.
    ///
    /// @param name  the file's name (no directory)
    /// @param state where it stands
    /// @param size  its bytes
    /// @param done  its bytes whose work is done ([ConversionProgress#bytesDone(int)])
    /// @param rows  its rows written
    record FileProgress(String name, State state, long size, long done, long rows) {
    }

    ProgressSnapshot {
        files = List.copyOf(files);
    }

    /// {@return the progress of `p` now}
    static ProgressSnapshot of(ConversionProgress p) {
        List<FileProgress> files = new ArrayList<>();
        List<Input> inputs = p.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            files.add(new FileProgress(in.file().getFileName().toString(), p.state(i), in.size(), p.bytesDone(i),
                    p.rowsWritten(i)));
        }
        return new ProgressSnapshot(p.elapsedSeconds(), files);
    }

    /// {@return the bytes of all inputs}
    long size() {
        return files.stream().mapToLong(FileProgress::size).sum();
    }

    /// {@return the bytes whose work is done}
    long done() {
        return files.stream().mapToLong(FileProgress::done).sum();
    }

    /// {@return the rows written}
    long rows() {
        return files.stream().mapToLong(FileProgress::rows).sum();
    }

    /// {@return the inputs written (or failed): those with nothing left to do}
    long filesFinished() {
        return files.stream().filter(f -> f.state() == State.WRITTEN || f.state() == State.FAILED).count();
    }
}
