"""Ferry's errors as Python exceptions: FerryError and the kinds of it a caller may want to catch."""
import errno
import os


class FerryError(Exception):
    """Ferry failed: the message is what the ``ferry`` command says (without its ``ferry CMD:``
    prefix). ``exit_code`` is the command's exit code (-N for a process killed by signal N, as
    subprocess gives it: the message then says ``killed by signal 9 (SIGKILL)``), ``stderr`` what it
    wrote on standard error (None for errors raised in Python)."""

    def __init__(self, message, exit_code=None, stderr=None):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.stderr = stderr


class UsageError(FerryError, ValueError):
    """The call is wrong: an option Ferry does not take, a dtype it cannot read, a value out of
    range. Also a ValueError, as numpy's own complaints about arguments are."""


class InputNotFoundError(FerryError, FileNotFoundError):
    """An input that does not exist (``loadtxt``, ``load_many``, ``convert``, a list of inputs or a
    line of one). Also a FileNotFoundError, as ``np.loadtxt`` raises for a missing file: ``filename``
    is the path as the call gave it (a list's line as the list writes it), ``errno`` ENOENT; the
    message is Ferry's (``nope.txt: no such file``)."""

    def __init__(self, message, filename=None, exit_code=None, stderr=None):
        super().__init__(message, exit_code, stderr)
        self.errno = errno.ENOENT
        self.strerror = os.strerror(errno.ENOENT)
        self.filename = filename

    def __str__(self):
        return self.message   # OSError's would be "[Errno 2] No such file or directory: 'nope.txt'"

    def __reduce__(self):
        # OSError's pickle keeps its args only: the filename went missing in another process
        return type(self), (self.message, self.filename, self.exit_code, self.stderr)


class ParseError(FerryError, ValueError):
    """Text that does not fit the dtype, or that numpy would silently corrupt. Also a ValueError,
    as ``np.loadtxt`` raises for bad text.

    Where the text shows a likely mistake in the call, the message's last line says what to
    change: ``hint: line 1 looks like a header (names where values go); try skiprows=1``, or
    ``hint: the line holds commas, which do not separate fields without a delimiter; try
    delimiter=','``.

    ``path``, ``line``, ``column`` (1-based, as an editor counts), ``field`` (as Ferry names it:
    ``field 'pos' (2 of 5)``, or ``column 3 (3 of 4)`` for a plain dtype) and ``text`` (the
    offending text) say where and what; they are None where Ferry parsed in a worker process
    (``convert(..., isolation='process')``), whose message alone comes back."""

    def __init__(self, message, path=None, line=None, column=None, field=None, text=None, exit_code=None, stderr=None):
        super().__init__(message, exit_code, stderr)
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.text = text


class WorkerError(FerryError):
    """A worker process of Ferry's died (killed, out of memory, crashed), or stalled (stopped, or
    no progress for the stall timeout) and Ferry killed it."""
