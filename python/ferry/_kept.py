"""ferry.loadtxt and ferry.load_many, and the Ferry JVM they keep between calls.

A JVM's first load pays for its start and runs the parse loop before the JIT has compiled it; a
script or notebook that loads file after file paid that on every call. The first call starts a
``ferry serve`` JVM (a ``ferry.Session``'s) and the next calls use it, until it has been idle for
``FERRY_KEEP_JVM`` seconds (300 unless set; 0: a JVM per call, as before), ``ferry.close()`` or
Python's exit, whichever comes first. A kept JVM holds no shared memory between calls and ends
when Python does, even by kill -9 (it sees its standard input end); a call after Python changed
its folder or environment gets a new one (``Session``). As joblib keeps its workers, for 300 s.

Calls from several threads at once do not wait for each other: a call that finds the kept JVM
busy runs one of its own, as every call did before."""
import math
import os
import threading

from . import _load
from ._errors import UsageError
from ._session import Session

_SECONDS = 300.0


class _Kept:
    """The kept session, the lock a call holds while it uses it, and the timer that ends it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.session = None
        self.timer = None
        self.calls = 0


_kept = _Kept()


def _forget_in_child():
    """A forked child starts with nothing kept: its parent's JVM, pipes and timer are not its own,
    and a lock another thread held at the fork would never be released in it."""
    global _kept
    _kept = _Kept()


os.register_at_fork(after_in_child=_forget_in_child)


def _seconds():
    """How long the kept JVM outlives its last call: ``FERRY_KEEP_JVM`` (seconds), else 300."""
    text = os.environ.get("FERRY_KEEP_JVM")
    if text is None or text.strip() == "":
        return _SECONDS
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value == math.inf:
        return _FOR_EVER
    if not (value >= 0 and math.isfinite(value)):
        raise UsageError("FERRY_KEEP_JVM=%r: the seconds the JVM of ferry.loadtxt stays after its last call"
                         " (0: a JVM per call; inf: until Python ends)" % text)
    return min(value, _FOR_EVER)   # 1e300 overflowed the timer's clock, in its own thread


# Longer than any Python runs: what a larger FERRY_KEEP_JVM means.
_FOR_EVER = 1e9


def _share(paths, args, workers=None):
    keep = _seconds()
    kept = _kept
    if keep == 0 or not kept.lock.acquire(blocking=False):
        if len(paths) <= _load.ARGUMENT_PATHS:
            return _load.share_files(paths, args, workers)
        with Session() as own:   # too many for a command line: in a request, to a JVM of the call's own
            return own._share(paths, args, workers)
    try:
        if kept.timer is not None:
            kept.timer.cancel()
        if kept.session is None:
            kept.session = Session()
        return kept.session._share(paths, args, workers)
    finally:
        kept.calls += 1
        kept.timer = threading.Timer(keep, _expire, args=(kept, kept.calls))
        kept.timer.daemon = True
        kept.timer.start()
        kept.lock.release()


def _expire(kept, call):
    """Ends the kept JVM if no call came since call number ``call`` (the timer's own)."""
    if not kept.lock.acquire(blocking=False):
        return   # a call uses it now, and sets a timer of its own as it ends
    try:
        if kept.calls == call and kept.session is not None:
            kept.session.close()
            kept.session = None
    finally:
        kept.lock.release()


def close():
    """Ends the JVM ``ferry.loadtxt`` and ``ferry.load_many`` keep between calls, waiting for its
    exit (a call running in another thread ends first); the next call starts another. Arrays
    already returned stay as they are."""
    kept = _kept
    with kept.lock:
        if kept.timer is not None:
            kept.timer.cancel()
            kept.timer = None
        if kept.session is not None:
            kept.session.close()
            kept.session = None


def loadtxt(path, dtype=float, *, delimiter=None, comments="#", skiprows=0, usecols=None, max_rows=None,
            quotechar=None, lenient=False, encoding=None, ndmin=1, max_line_bytes=None):
    """``np.loadtxt(path, dtype, ..., ndmin=1)``'s values (``dtype`` float unless given, as numpy's),
    parsed by Ferry straight into shared memory by every core at once and mapped here without a
    copy: a SharedArray (an ndarray). Where numpy would silently truncate, wrap or overflow, a
    ParseError names the file, line, column and text (``lenient=True`` gives numpy's values).
    Released when the array is garbage-collected, or by ``close()``. ``encoding``: UTF-8 only (``None``, ``"bytes"``, ``"utf-8"``), which is numpy's
    default on Linux; ``ndmin``: 1 only, the shapes Ferry gives; ``max_line_bytes``: the longest
    line read (64M unless given, up to 1G; a longer line is a ParseError saying what to set). The
    JVM stays for the next call (see ``ferry.close``)."""
    args = _load.loader_args(dtype, delimiter, comments, skiprows, usecols, max_rows, quotechar, lenient, encoding,
                             ndmin, max_line_bytes)
    [(_, array)] = _share([_load._path(path)], args)
    return array


def load_many(paths, dtype=float, *, workers=None, **loadtxt_options):
    """Many files loaded in parallel by Ferry's workers (``workers`` at once, default the cores):
    a dict of SharedArrays by dataset name (the file name without directory and extension, a
    ``.gz`` removed first: ``data/s1.cov.gz`` → ``s1``), in input order. Takes ``loadtxt``'s
    options; two files with one dataset name are a UsageError."""
    ps = _load._paths(paths)
    args = _load.options_args("load_many", dtype, loadtxt_options)   # checked even for no paths
    if not ps:
        return {}
    return dict(_share(ps, args, workers))
