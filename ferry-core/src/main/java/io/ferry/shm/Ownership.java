package io.ferry.shm;

/// Who removes a segment's name: the one explicit answer to "who unlinks?".
///
/// A POSIX segment lives while its name exists or any process maps it. Removing the name
/// (unlinking) is one party's job; mapping and unmapping is everyone's.
///
/// - [SharedSegment#create] gives an [#OWNER]; [SharedSegment#attach] a [#VIEW].
/// - An owner that hands the job to another party calls [SharedSegment#disown]; the party that
///   takes it attaches with [#OWNER].
/// - Anyone may call [SharedSegment#unlink] earlier, as soon as every party has attached: the
///   mappings stay valid, and nothing is left even if a process is then killed.
public enum Ownership {
    /// This handle removes the name when closed (if nobody did before), and until then this
    /// process's [SegmentRegistry] counts the segment as outstanding.
    OWNER,
    /// Closing this handle only unmaps; the name is another party's business.
    VIEW
}
