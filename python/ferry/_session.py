"""ferry.Session: one Ferry JVM kept running for many loads (``ferry serve``).

A JVM's first load of a table pays for the JVM's start and runs its parse loop before the JIT has
compiled it: 0.7 s for a 5M-line file where a warm JVM takes 0.2-0.3 s. A session keeps one JVM,
so every load after its first runs on compiled code. The conversation is ``ferry share --json``'s,
a request at a time: Python writes the request (share's arguments as a JSON array), maps the
arrays as their handles come, says ``done``, and reads up to the request's ``end`` line. Between
requests the JVM holds no segment; if Python goes away, even by kill -9, the JVM sees its standard
input end, removes what a request in progress made, and exits.

A JVM reads relative paths from the folder it started in, and runs with the environment it started
with: a request made after Python changed either (``os.chdir``, ``%cd`` in a notebook, a new
``FERRY_HOME``) goes to a new JVM, started as a ``ferry`` run started then would be. The old one
read ``t.txt`` of the former folder, and gave its values for numpy's."""
import json
import os
import threading
import weakref

from . import _convert, _load
from ._command import Run, error_from, exit_words, working_folder
from ._errors import FerryError, UsageError


class _Gone(Exception):
    """The JVM exited in the middle of a request: ``error`` is the FerryError to tell (``_request``
    tells it, or sends the request again); ``answered``: whether the JVM had said anything of it."""

    def __init__(self, error, answered):
        super().__init__(error.message)
        self.error = error
        self.answered = answered


class _Server(Run):
    """The ``ferry serve`` process: ``lines()`` gives one request's lines, up to its ``end``."""

    def __init__(self):
        super().__init__(["serve"])
        self.end = None
        self.answered = False
        self.command = []   # the request's arguments
        self.owner = os.getpid()   # a forked child must not talk over its parent's pipes
        self.started_in = _surroundings()

    def request(self, command):
        """Sends ``command`` (the command's arguments) and returns the lines of its answer."""
        self.error = None
        self.end = None
        self.answered = False
        self.command = command
        self.say(json.dumps(command))
        return self.lines()

    def lines(self):
        for line in super().lines():
            self.answered = True
            if "started" in line:
                continue   # the JVM has the request: gone from now on, it is not sent again
            if "end" in line:
                self.end = line["end"]
                return
            yield line

    def outcome(self, ok=(0,)):
        """Reads what is left of the request's answer. Returns the FerryError of a request that
        failed (an exit code not in ``ok``), or None; raises the FerryError of a server that went
        away."""
        if self.end is None:   # else the request's lines have all been read
            for _ in self.lines():
                pass
        if self.end is None:
            code = self.process.wait()
            stderr = "".join(self._stderr)
            raise _Gone(FerryError("ferry serve %s in the middle of a request%s" % (exit_words(code), _why(stderr)), code,
                                   stderr), self.answered)
        code = self.end.get("exit")
        return None if code in ok else error_from(self.error, code, self.end.get("stderr", ""), self.command)

    def serves_here(self):
        """Whether this JVM is the one a request from here wants: this process's own, running, and
        started in the folder and with the environment Python has now."""
        return self.owner == os.getpid() and self.process.poll() is None and self.started_in == _surroundings()


def _why(stderr):
    """What the JVM said as it went, for the message: a JVM that could not start ("Too small maximum
    heap", a bad JAVA_TOOL_OPTIONS) said why only there. The JVM's own note of options it picked up
    from the environment is left out; the rest is kept to 500 characters."""
    said = "; ".join(line.strip() for line in stderr.splitlines()
                     if line.strip() and not line.startswith(("Picked up JAVA_TOOL_OPTIONS:", "Picked up JDK_JAVA_OPTIONS:",
                                                                "NOTE: Picked up")))
    return "" if not said else ": " + (said if len(said) <= 500 else said[:497] + "...")


def _surroundings():
    """What a ``ferry`` run takes from Python as it starts: the working folder (None if it was
    removed) and the environment."""
    return working_folder(), dict(os.environ)


def _close(holder):
    server = holder[0]
    holder[0] = None
    if server is not None and server.owner == os.getpid():
        server.stop()   # closes its standard input: it exits at once, holding nothing


class Session:
    """One Ferry JVM for many loads and conversions: ``loadtxt``, ``load_many`` and ``convert`` as
    ``ferry.loadtxt``, ``ferry.load_many`` and ``ferry.convert`` give them (the same values,
    arrays, results and errors), each after the session's first on code the JVM has already
    compiled, without a JVM to start.

    >>> with ferry.Session() as s:                                  # doctest: +SKIP
    ...     for day in days:
    ...         a = s.loadtxt(day, dtype)

    The JVM starts with the session, while Python goes on, and ends at ``close()`` (or the
    ``with`` block's end, or when the session is collected, or with Python); a closed session
    refuses any use with a UsageError (a ValueError, as a closed file's read is). Between loads it
    holds no shared memory. A load interrupted (Ctrl-C) stops the JVM, which removes what it made;
    the next load starts another. Loads from several threads take turns."""

    def __init__(self):
        self._lock = threading.Lock()
        self._holder = [None]
        self._closed = False
        self._finalizer = weakref.finalize(self, _close, self._holder)
        # Started now, not at the first load: the JVM starts while Python goes on (a notebook's
        # next cell), and the first load finds it ready.
        self._holder[0] = _Server()

    def __enter__(self):
        self._check_open()
        return self

    def __exit__(self, kind, value, tb):
        self.close()
        return False

    def close(self):
        """Ends the JVM, waiting for its exit (a load running in another thread ends first). The
        session is closed for good: a load or conversion after it raises UsageError. Twice is
        fine."""
        with self._lock:
            self._closed = True
            _close(self._holder)

    def _check_open(self):
        if self._closed:
            # As Python's "I/O operation on closed file": a session used after its block ended
            # silently started a JVM the block no longer ended.
            raise UsageError("this ferry.Session is closed (its JVM ended at close() or at its with block's end);"
                             " make another, ferry.Session(), or use ferry.loadtxt, ferry.load_many, ferry.convert")

    @property
    def pid(self):
        """The JVM's process id; None after ``close()``, or after an interrupted load (until the next
        load starts another JVM)."""
        server = self._holder[0]
        return server.process.pid if server is not None else None

    def loadtxt(self, path, dtype=float, *, delimiter=None, comments="#", skiprows=0, usecols=None, max_rows=None,
                quotechar=None, lenient=False, encoding=None, ndmin=1, max_line_bytes=None):
        """``ferry.loadtxt`` in this session's JVM."""
        self._check_open()
        args = _load.loader_args(dtype, delimiter, comments, skiprows, usecols, max_rows, quotechar, lenient,
                                 encoding, ndmin, max_line_bytes)
        [(_, array)] = self._share([_load._path(path)], args)
        return array

    def load_many(self, paths, dtype=float, *, workers=None, **loadtxt_options):
        """``ferry.load_many`` in this session's JVM."""
        self._check_open()
        ps = _load._paths(paths)
        args = _load.options_args("load_many", dtype, loadtxt_options)   # checked even for no paths
        if not ps:
            return {}
        return dict(self._share(ps, args, workers))

    def convert(self, paths, out, dtype=float, **options):
        """``ferry.convert`` (the same arguments, progress, result and errors) in this session's
        JVM."""
        self._check_open()
        return _convert.convert(paths, out, dtype, _run=self._convert_run, **options)

    def _share(self, paths, args, workers=None):
        command = _load.share_command(paths, args, workers)
        if not all(_is_utf8(a) for a in command):
            # A name that is not UTF-8 cannot travel in JSON: the file's own ferry run takes it.
            return _load.share_files(paths, args, workers)
        got, mapping_failed = self._request(command, lambda lines, say: _load.take_arrays(lines, say, len(paths)))
        if mapping_failed is not None:
            raise mapping_failed
        if any(g is None for g in got):
            raise FerryError("ferry serve ended a request without its arrays")
        return got

    def _convert_run(self, command, on_line, ok):
        if not all(_is_utf8(a) for a in command):
            return _convert.one_run(command, on_line, ok)
        self._request(command, lambda lines, say: [on_line(line) for line in lines], ok)

    def _request(self, command, read, ok=(0,)):
        """Runs ``command`` in the JVM, ``read(lines, say)`` taking its answer; returns what
        ``read`` returned, or raises the FerryError of a request that failed. A JVM found dead
        before it said it had the request (``started``: killed between requests, and not yet
        reaped when the request was sent) is replaced and the request sent again, once: it had
        done nothing of it. One that dies after that is the request's FerryError: a conversion
        sent again could add a dataset twice, or find the output it had just written."""
        with self._lock:
            self._check_open()   # closed by another thread while this one waited
            for attempt in (1, 2):
                server = self._holder[0]
                if server is None or not server.serves_here():
                    _close(self._holder)
                    server = self._holder[0] = _Server()
                try:
                    got = read(server.request(command), server.say)
                    failed = server.outcome(ok)
                    break
                except _Gone as gone:
                    _close(self._holder)
                    if gone.answered or attempt == 2:
                        raise gone.error from None
                except BaseException:
                    # Interrupted, or the conversation broke: the JVM removes what it made as it stops.
                    _close(self._holder)
                    raise
        if failed is not None:
            raise failed
        return got


def _is_utf8(text):
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False
