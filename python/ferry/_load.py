"""Text tables parsed by Ferry straight into shared memory: the arguments, and a ``ferry share`` run.

The conversation with ``ferry share --json``: Ferry loads each file into a segment it owns and
prints its handle; Python maps every segment, then says ``done``; Ferry removes the names and
exits, and Python returns only once it has exited. From then on the arrays' memory lives only in
Python's mappings: nothing is left in /dev/shm whatever happens to either process. If Python goes
away before (even by kill -9), Ferry sees its standard input end and removes the segments."""
import inspect
import json
import os
import re

import numpy as np

from . import _array
from ._command import Run, working_folder
from ._errors import FerryError, InputNotFoundError, UsageError


def options_args(caller, dtype, loadtxt_options):
    """``loader_args`` for a public function ``caller`` that passes ``**loadtxt_options`` on: an
    argument it does not take is a TypeError naming ``caller``, as Python names a function it calls
    (it named loader_args, an inner function)."""
    unknown = sorted(set(loadtxt_options) - set(inspect.signature(loader_args).parameters) - {"dtype"})
    if unknown:
        raise TypeError("%s() got an unexpected keyword argument %r" % (caller, unknown[0]))
    return loader_args(dtype, **loadtxt_options)


def loader_args(dtype, delimiter=None, comments="#", skiprows=0, usecols=None, max_rows=None, quotechar=None,
                lenient=False, encoding=None, ndmin=1, max_line_bytes=None):
    """``np.loadtxt``'s arguments as ``ferry``'s options, and Ferry's own (``lenient``, and
    ``max_line_bytes``: the longest line read, bytes or a size such as ``"256M"``, 1M to 1G,
    64M unless given)."""
    _utf8_only(encoding)
    if isinstance(ndmin, bool) or ndmin != 1:
        raise UsageError("ndmin=%r: Ferry gives np.loadtxt's ndmin=1 shapes (one column is (rows,), one row"
                         " (columns,)); reshape the array (np.atleast_2d, a.squeeze())" % (ndmin,))
    args = ["--dtype", _array.dtype_spec(dtype)]
    if delimiter is not None:
        delimiter = _latin1(delimiter)
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            raise UsageError("delimiter must be one character (or None for runs of whitespace), not %r"
                             % (delimiter,))
        if delimiter in "\r\n":   # as numpy: its message printed the character raw, over two lines
            raise UsageError("delimiter %r is a line break, which ends rows: it cannot separate fields" % (delimiter,))
        if delimiter == "\0":   # Ferry's own words: a command line cannot carry it to a JVM of the call's own
            raise UsageError("a delimiter is one ASCII character other than NUL, \\r or \\n, not '\\x00'")
        args += ["--delimiter", delimiter]
    # As a JSON array, which the command takes as it is: a comment such as "--" (the command line's
    # end of options), "none" or "tab" (names the command line gives a meaning) stays numpy's.
    strings = [] if comments is None else [comments] if isinstance(comments, (str, bytes)) else list(comments)
    if not all(isinstance(c, (str, bytes)) for c in strings):
        raise UsageError("comments must be a string, a sequence of strings, or None, not %r" % (comments,))
    strings = [_latin1(c) for c in strings]
    args.append("--comments=" + json.dumps(strings))
    if skiprows is None or skiprows:   # None is no count: numpy refuses it too
        args += ["--skiprows", _count("skiprows", skiprows)]
    if usecols is not None:
        usecols = _integer_scalar(usecols)
        cols = [usecols] if isinstance(usecols, (int, np.integer)) or not np.iterable(usecols) else list(usecols)
        cols = [_integer_scalar(c) for c in cols]
        if not all(isinstance(c, (int, np.integer)) for c in cols):
            # numpy refuses them too; int() would read "12" as columns 1 and 2, 1.7 as column 1
            kinds = sorted({type(c).__name__ for c in cols if not isinstance(c, (int, np.integer))})
            raise UsageError("usecols must be an int or a sequence of ints, not one holding %s" % ", ".join(kinds))
        if not cols:
            raise UsageError("usecols names no column")
        if any(abs(int(c)) > _LONGEST for c in cols):
            raise UsageError("usecols %r: no file has a column that far" % (usecols,))
        args += ["--usecols", ",".join(str(int(c)) for c in cols)]
    if max_rows is not None:
        args += ["--max-rows", _count("max_rows", max_rows)]
    if quotechar is not None:
        if not isinstance(quotechar, str) or len(quotechar) != 1:   # numpy refuses bytes here
            raise UsageError("quotechar must be one character, or None, not %r" % (quotechar,))
        if quotechar == "\0":
            raise UsageError("a quote character is one ASCII character other than NUL, \\r or \\n, not '\\x00'")
        args += ["--quotechar", quotechar]
    if lenient:
        args.append("--lenient")
    if max_line_bytes is not None:
        if isinstance(max_line_bytes, bool) or not isinstance(max_line_bytes, (int, np.integer, str)):
            raise UsageError("max_line_bytes is a number of bytes or a size such as '256M', not %r" % (max_line_bytes,))
        args.append("--max-line-bytes=%s" % max_line_bytes)   # "=": a value such as "-1" is the option's
    return args


def _integer_scalar(x):
    """``x``, or the int it holds if it is a 0-d integer array (``np.array(1)``), which numpy takes as
    a column number (a bool one it refuses, as its own ``usecols``)."""
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iu":
        return int(x)
    return x


def _latin1(text):
    """``text`` as a str: bytes decoded as Latin-1, as numpy takes a delimiter or comment given so."""
    return text.decode("latin-1") if isinstance(text, bytes) else text


def _utf8_only(encoding):
    """Ferry reads UTF-8, as numpy does by default on Linux (``None``, ``"bytes"``, a UTF-8 locale):
    another encoding would give other bytes (``"latin1"`` reads ``é`` as two characters), so it
    is refused rather than ignored."""
    if encoding is None or encoding == "bytes":
        return
    import codecs
    try:
        name = codecs.lookup(encoding).name if isinstance(encoding, str) else None
    except LookupError:
        name = None
    if name != "utf-8":
        raise UsageError("encoding=%r: Ferry reads UTF-8 only (numpy's default on Linux: encoding=None, 'bytes' or"
                         " 'utf-8'); convert the file to UTF-8 first (iconv -f ... -t UTF-8)" % (encoding,))


# The largest count or column the command takes (a Java long; a column is an int)
_LARGEST = 2 ** 63 - 1
_LONGEST = 2 ** 31 - 1


def _count(what, n, least=0):
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < least:
        raise UsageError("%s must be an integer, %d or more, not %r" % (what, least, n))
    if n > _LARGEST:   # in Python's words, where the command's said "not a long (see 'ferry share --help')"
        raise UsageError("%s=%d is past the largest count Ferry takes, 2**63 - 1" % (what, n))
    return str(int(n))


# Names of this process's own descriptors: Ferry's JVM, another process, would open its own.
_OWN = ("/dev/fd/", "/dev/stdin", "/proc/self/", "/proc/thread-self/")


def _name(p):
    """The path ``p`` (a str, bytes or os.PathLike) as a str, as Ferry's JVM can open it."""
    if not isinstance(p, (str, bytes, os.PathLike)):
        raise UsageError("a path is a string or os.PathLike, not %r (Ferry reads files, not file objects)" % (p,))
    name = os.fsdecode(os.fspath(p))
    if not name:
        raise UsageError("an empty path names no file")
    if "\0" in name:
        raise UsageError("%r: a file name cannot hold a NUL character" % (name,))
    if name.startswith(_OWN):
        return _own(name)
    return name


def _own(name):
    """The file a name of this process's own (``/dev/fd/3``, bash's ``<(…)``, ``/proc/self/…``)
    stands for, by a name any process opens; refused when it is a pipe or a terminal, which only
    this process holds."""
    real = os.path.realpath(name)
    if os.path.isfile(real) and not re.match(r"/proc/\d+/fd/", real):
        return real
    raise UsageError("%s is this Python process's own (a pipe, a terminal or a descriptor), which Ferry's process"
                     " cannot open: write it to a file first" % (name,))


def _argument(name):
    """The path ``name`` as the command line takes it: a relative name starting with '-' (``-x.txt``)
    gets a ``./`` in front, else the command line would read it as options."""
    return "./" + name if name.startswith("-") else name


def _path(p, output=False):
    """The path ``p`` as the command takes it: an input's unless ``output``."""
    name = _name(p)
    if not os.path.isabs(name) and working_folder() is None:
        message = ("%s: no such file: the working folder was removed (os.getcwd() fails), so a relative path names"
                   " nothing; give an absolute one, or os.chdir to a folder that exists" % (name,))
        raise FerryError(message) if output else InputNotFoundError(message, name)
    return _argument(name)



def _paths(paths):
    return [_path(p) for p in ([paths] if isinstance(paths, (str, bytes, os.PathLike)) else paths)]


# More paths than this are not given to a JVM of the call's own as arguments (``ferry convert``
# takes them in a list file, ``--inputs-from``; a load in a request on standard input, as a kept
# JVM takes every load): a command line holds at most ARG_MAX bytes (2 MiB on Linux), and
# thousands of paths come near ("Argument list too long").
ARGUMENT_PATHS = 500


def share_command(paths, args, workers=None):
    """``ferry share --json``'s arguments for ``paths``."""
    cmd = ["share", *paths, *args, "--json"]
    if workers is not None:
        cmd += ["--workers", _count("workers", workers, least=1)]
    return cmd


def take_arrays(lines, say, count):
    """Maps the arrays of ``ferry share --json``'s ``lines`` as they come and, once all ``count``
    are mapped, says ``done`` (Ferry removes the names). Returns ``(got, mapping_failed)``:
    ``[(dataset, SharedArray)]`` in input order (None for any not mapped), and the error of a
    mapping that failed, to raise unless Ferry says why it stopped."""
    got = [None] * count
    left = count
    mapping_failed = None
    for line in lines:
        a = line.get("array")
        if a is None or mapping_failed is not None:
            continue
        try:
            got[a["index"]] = (a["dataset"], _array.from_handle(a["handle"], sole=True))
        except FerryError as e:
            # Ferry removes what it shared when a later input fails, and says why (read on: that
            # is the error to tell). Else nothing more is wanted of it: done ends its wait.
            mapping_failed = e
            say("done")
            continue
        left -= 1
        if left == 0:
            say("done")   # every segment is mapped here: Ferry removes the names
            break
    return got, mapping_failed


def share_files(paths, args, workers=None):
    """Runs ``ferry share --json`` on ``paths``: returns ``[(dataset, SharedArray)]`` in input order."""
    with Run(share_command(paths, args, workers)) as run:
        got, mapping_failed = take_arrays(run.lines(), run.say, len(paths))
        run.finish()
    if mapping_failed is not None:
        raise mapping_failed
    if any(g is None for g in got):
        raise run.failure(0)
    return got
