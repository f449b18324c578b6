"""Running the ``ferry`` command: where it is, and a run of it driven through pipes, whose JSON
lines (``--json``) come back as dicts and whose failure comes back as a FerryError."""
import json
import os
import re
import signal
import subprocess
import threading
import weakref
from pathlib import Path

from . import _names
from ._errors import FerryError, InputNotFoundError, ParseError, UsageError, WorkerError

_EXIT_USAGE = 64


def launcher():
    """The ``ferry`` launcher: ``$FERRY_HOME/ferry``, else the one beside this package in a Ferry
    checkout (``python/ferry/`` → ``./ferry``), else the one of the checkout it was installed from
    (``pip install ./python``), else ``ferry`` on PATH."""
    home = os.environ.get("FERRY_HOME")
    if home:
        for candidate in (Path(home) / "ferry", Path(home) / "bin" / "ferry"):
            if _executable(candidate):
                return str(candidate)
        raise FerryError("FERRY_HOME is %s, but it holds no executable ferry (nor bin/ferry)" % home)
    root = Path(__file__).resolve().parent.parent.parent
    checkout = _installed_from()
    # A checkout's ./ferry, or an install prefix's bin/ferry (scripts/install PREFIX, with the
    # package copied beside it), of the folder this package is in, then of the one it came from.
    for folder in (root, None if checkout is None else Path(checkout)):
        for candidate in (() if folder is None else (folder / "ferry", folder / "bin" / "ferry")):
            if _executable(candidate):
                return str(candidate)
    import shutil   # here, not at the top: with tempfile it was a third of the package's import time
    found = shutil.which("ferry")
    if found:
        return found
    gone = "" if checkout is None else " (this package was installed from %s, which holds no ferry now)" % checkout
    raise FerryError("cannot find the ferry command%s: set FERRY_HOME to the Ferry checkout or install prefix (the"
                     " folder holding ferry or bin/ferry), or put ferry on PATH" % gone)


def _executable(path):
    return path.is_file() and os.access(path, os.X_OK)


def _installed_from():
    """The checkout this package was installed from, as its build wrote it down (python/setup.py);
    None for a package not built so."""
    try:
        from ._installed_from import CHECKOUT
    except ImportError:
        return None
    return CHECKOUT


def working_folder():
    """Python's working folder, or None when it was removed (a ``ferry`` run then starts in ``/``:
    only absolute paths name files)."""
    try:
        return os.getcwd()
    except OSError:
        return None


class Run:
    """One ``ferry`` process driven through pipes. Use as a context manager: leaving the block by
    an exception (Ctrl-C's KeyboardInterrupt included) stops Ferry's processes, which clean up, before
    the exception goes on (see ``stop``)."""

    def __init__(self, args, grace=10.0):
        self.args = [launcher()] + [str(a) for a in args]
        self.grace = grace
        self.error = None           # the last {"error": …} line
        self._stderr = []
        # A session of its own: a terminal's Ctrl-C reaches Python, which stops Ferry in order;
        # and the whole group (the launcher and the JVM) can be signalled at once.
        # In a working folder that was removed no JVM starts ("could not determine current working
        # directory"): it starts in / then, where the absolute paths it is given still name files.
        self.process = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, start_new_session=True,
                                        cwd=None if working_folder() is not None else "/")
        self._drain = threading.Thread(target=self._read_stderr, daemon=True)
        self._drain.start()
        p = self.process
        self._fds = (p.stdin.fileno(), p.stdout.fileno(), p.stderr.fileno())
        _runs.add(self)

    def _read_stderr(self):
        for line in self.process.stderr:
            self._stderr.append(line.decode("utf-8", "replace"))
            del self._stderr[:-200]

    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        if kind is not None:
            self.stop()
            if self.process.returncode == 0 and isinstance(value, BaseException) and hasattr(value, "add_note"):
                # It finished before it heard of the interrupt (its output in place, which it then
                # says with exit 0, never after it left the old file as it was): worth knowing
                # before a retry, which would find an appended dataset there already.
                value.add_note("ferry had finished before it was stopped: what it was asked to write is written")
        else:
            self._close_pipes()
        return False

    def lines(self):
        """The JSON lines Ferry writes on standard output, as dicts, until it closes it. An
        ``error`` line is kept (``self.error``) and passed on."""
        for raw in self.process.stdout:
            text = raw.decode("utf-8", "replace").strip()
            if not text:
                continue
            try:
                line = json.loads(text)
            except ValueError:
                continue   # not a line of the protocol
            if isinstance(line, dict) and "error" in line:
                self.error = line["error"]
            yield line

    def say(self, word):
        """Writes a line on Ferry's standard input."""
        try:
            self.process.stdin.write(word.encode("ascii") + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def finish(self, ok=(0,)):
        """Closes standard input, waits for the exit, and returns its code when it is one of
        ``ok``; raises the FerryError Ferry's words describe otherwise."""
        self._close_stdin()
        for _ in self.process.stdout:
            pass
        code = self.process.wait()
        self._drain.join(5)
        self._close_pipes()
        if code in ok:
            return code
        raise self.failure(code)

    def failure(self, code):
        stderr = "".join(self._stderr)
        return error_from(self.error, code, stderr, self.args[1:])

    def stop(self):
        """Stops Ferry's processes and waits for them: first by closing their standard input (with
        ``--json`` that means the driver is gone: Ferry removes what it made and exits), then by
        SIGINT (Ferry cleans up as for Ctrl-C), then by SIGKILL, ``grace`` seconds apart."""
        p = self.process
        self._close_stdin()
        for sig in (signal.SIGINT, signal.SIGKILL):
            try:
                p.wait(self.grace)
                break
            except subprocess.TimeoutExpired:
                self._signal(sig)
        p.wait()
        self._close_pipes()

    def _signal(self, sig):
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def _close_stdin(self):
        try:
            self.process.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    def _swept(self):
        """After the exit: a JVM killed outright (``kill -9``: no cleanup of its own) leaves its
        creator record, and any segment it was filling, in ``/dev/shm``; its parent removes them."""
        if self.process.returncode is not None and self.process.returncode < 0:
            _names.sweep_gone(self.process.pid)

    def _close_pipes(self):
        self._swept()
        _runs.discard(self)   # first: a fork from now on must not touch these descriptors
        self._close_stdin()
        for f in (self.process.stdout, self.process.stderr):
            try:
                f.close()
            except OSError:
                pass


# The runs whose pipes are open, let go of in a forked child (multiprocessing's fork, os.fork): a
# child holding the write end of a JVM's standard input kept it running after Python went, even
# by kill -9, until the child ended too, and made Python's own exit wait for it.
_runs = weakref.WeakSet()


def _let_go_in_child():
    """Points the child's copies of every open run's pipe descriptors at /dev/null. Not by closing
    the pipes' file objects: a lock of theirs may have been held at the fork by a thread the child
    does not have (the stderr reader's), and closing would wait for it for ever; not by closing
    the descriptors: the file objects would close them again later, when the numbers may name
    other files."""
    runs = list(_runs)
    _runs.clear()
    if not runs:
        return
    null = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    try:
        for run in runs:
            for fd in run._fds:
                try:
                    os.dup2(null, fd, inheritable=False)
                except OSError:
                    pass
    finally:
        os.close(null)


os.register_at_fork(after_in_child=_let_go_in_child)


def error_from(error, code, stderr, given=()):
    """The exception for a failed run: from its ``error`` line when there is one, else from the
    last line of standard error; exit 64 (the command line is wrong) is always a UsageError.
    ``given``: the command's arguments (without the launcher), the call's own text, which Python's
    words for options leave as it is. An input (or a list of them) Ferry found missing, which its
    JSON names (``"missing"``), is an InputNotFoundError."""
    # A "hint:" line under an error spells its options as the command does (--skiprows 1): the
    # error line's hint comes in Python's words (skiprows=1) from the error's JSON instead.
    lines = [l for l in stderr.splitlines() if l.strip() and not l.startswith("hint: ")]
    if error is not None:
        message = error.get("message", "")
        if error.get("hint"):
            message += "\n" + hint_words(error["hint"], convert="convert" in given[:1])
    else:
        # A process killed outright (kill -9, the kernel's out-of-memory killer) said nothing of it:
        # its signal is the news, not a last line it wrote on standard error before.
        # So is a signal that asked the JVM to end (its exit code 128 + the signal): its last line
        # was what it cleaned up ("removing the shared memory this process still held ...").
        killed = code is not None and (code < 0 or code in _ASKED_TO_END)
        message = _without_prefix(lines[-1]) if lines and not killed else "ferry " + exit_words(code)
    kind = error.get("kind") if error else None
    missing = error.get("missing") if error and kind == "failed" and code != _EXIT_USAGE else None
    if kind not in ("parse", "worker") and missing is None:
        # not a parse or worker error, which quote a file's text, nor a missing input's, which is its path
        message = python_words(message, given)
    if code == _EXIT_USAGE or kind == "usage":
        return UsageError(message, code, stderr)
    if missing is not None:
        return InputNotFoundError(message, missing, code, stderr)
    if kind == "parse":
        return ParseError(message, error.get("file"), error.get("line"), error.get("column"), error.get("field"),
                          error.get("text"), code, stderr)
    if kind == "worker":
        return WorkerError(message, code, stderr)
    return FerryError(message, code, stderr)


# The exit codes of a JVM that SIGTERM, SIGINT or SIGHUP asked to end: it runs its shutdown hooks,
# then exits with 128 + the signal's number.
_ASKED_TO_END = {128 + signal.SIGTERM: "SIGTERM", 128 + signal.SIGINT: "SIGINT", 128 + signal.SIGHUP: "SIGHUP"}


def exit_words(code):
    """How a process ended, from its exit code as subprocess gives it: ``exited with code 3``, or for
    -N, a signal's, ``was killed by signal 9 (SIGKILL)``."""
    if code is None or code >= 0:
        if code in _ASKED_TO_END:
            return "exited with code %d (it was asked to end by %s)" % (code, _ASKED_TO_END[code])
        return "exited with code %s" % code
    try:
        name = " (%s)" % signal.Signals(-code).name
    except ValueError:   # a number of no name (a real-time signal)
        name = ""
    return "was killed by signal %d%s" % (-code, name)


# The command's options as Python's functions name their arguments: an error a call caused says
# what to change in the call ("chunk_rows takes ...", "add force=True"), not in a command line
# the caller never wrote ("--chunk-rows takes ...", "add --force").
_ARGUMENTS = {"--delimiter": "delimiter", "--comments": "comments", "--skiprows": "skiprows", "--usecols": "usecols",
              "--max-rows": "max_rows", "--quotechar": "quotechar", "--dtype": "dtype", "--encoding": "encoding",
              "--max-line-bytes": "max_line_bytes", "--chunk-rows": "chunk_rows", "--attr": "attrs",
              "--compression": "compression", "--group": "group", "--name": "name", "--workers": "workers",
              "--memory": "memory", "--infer-size": "infer_size", "--isolation": "isolation",
              "--inputs-from": "inputs_from", "--lenient": "lenient=True", "--force": "force=True",
              "--keep-going": "keep_going=True", "--append": "append=True", "--header": "header=True",
              "--shuffle": "shuffle=True"}
# An option as a word of its own (after a space or '(', or starting the message; before a space,
# the end, '=' or punctuation): "raise --memory or lower --chunk-rows", "(--skiprows)". Not part of
# a longer word: "--memory-foo", "/data/--memory/a.txt", "--memory.txt".
_OPTION = re.compile(r"(?<![^\s(])(--[a-z][a-z0-9-]*)(?=$|[\s=:,;)]|\.(?!\S))")


def _as_java_prints(path):
    """``path`` as Java's Path prints it: no repeated '/', none at the end (``in//`` is ``in``)."""
    path = re.sub("/{2,}", "/", path)
    return path.rstrip("/") or path


def python_words(message, given=()):
    """``message`` with every option of the command that the call names otherwise, as a word of
    its own (``--chunk-rows takes …``, ``raise --memory or lower --chunk-rows``, ``add --force``),
    named as the Python call names it. The call's own text in it (any of the command's arguments
    ``given``: a path, a name template, which may hold " --force " too) stays as given."""
    kept = []
    for text in {str(g) for g in given}:
        if "--" in text and not text.startswith("--"):   # an option of the call's is no text of its own
            for form in {text, _as_java_prints(text)}:
                at = message.find(form)
                while at != -1:
                    kept.append((at, at + len(form)))
                    at = message.find(form, at + 1)

    def rewrite(m):
        if m.group(1) not in _ARGUMENTS or any(a <= m.start() < b for a, b in kept):
            return m.group(0)
        return _ARGUMENTS[m.group(1)]

    return _OPTION.sub(rewrite, message)


def hint_words(hint, convert=False):
    """Ferry's guess at what to change (an error's ``hint``: ``reason``, ``option``, ``value``) in
    Python's words: ``hint: line 1 looks like a header (names where values go); try skiprows=1``.
    For ``ferry.convert``, which takes ``header=True``, a header line's hint names it too, as the
    command names ``--header``."""
    option, value = hint.get("option", ""), hint.get("value")
    if value is None:
        fix = "%s=None" % option if option == "delimiter" else "without %s" % option
    elif value == "true":  # a flag: lenient=True
        fix = "%s=True" % option
    elif option == "skiprows" and value.isdigit() and convert:
        before = int(value) - 1
        fix = "skiprows=%s, or %sheader=True to take the names from it" % (
            value, "skiprows=%d with " % before if before > 0 else "")
    elif option in ("skiprows", "max_rows") and value.isdigit():
        fix = "%s=%s" % (option, value)
    elif option == "usecols":
        columns = value.split(",")
        fix = "usecols=(%s%s)" % (", ".join(columns), "," if len(columns) == 1 else "")
    else:
        fix = "%s=%r" % (option, value)
    return "hint: %s; try %s" % (hint.get("reason", ""), fix)


def _without_prefix(line):
    # "ferry share: a.txt: no such file" -> "a.txt: no such file"
    if line.startswith("ferry ") and ": " in line:
        head, rest = line.split(": ", 1)
        if " " in head and len(head.split()) == 2:
            return rest
    return line
