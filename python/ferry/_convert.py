"""ferry.convert: ``ferry convert`` with its options, its progress shown, its summary returned."""
import os
import sys
import time
from collections.abc import Mapping

import numpy as np

from . import _array, _load, _temporary
from ._command import Run, error_from
from ._errors import UsageError

_EXIT_PARTIAL = 2


class Conversion:
    """What ``ferry.convert`` wrote: ``output`` (the HDF5 file), ``datasets`` (a dict of rows by
    dataset name, in input order), ``dtype`` (the datasets' numpy dtype: ``dtype="infer"``'s choice,
    say), ``rows``, ``bytes_in`` (the inputs' bytes read: a gzip input's
    compressed bytes), ``bytes_out`` (the file's size), ``seconds``, and ``failures`` (with
    ``keep_going``: a dict of FerryError by input file)."""

    def __init__(self, result, failures):
        self.output = result["output"]
        self.dtype = _array.dtype_of_handle(result["dtype"])
        self.datasets = {d["name"]: d["rows"] for d in result["datasets"]}
        self.rows = result["rows"]
        self.bytes_in = result["bytes_in"]
        self.bytes_out = result["bytes_out"]
        self.seconds = result["seconds"]
        self.failures = failures

    def __repr__(self):
        return ("Conversion(output=%r, datasets=%d, rows=%d, bytes_in=%d, bytes_out=%d, seconds=%.2f, failures=%d)"
                % (self.output, len(self.datasets), self.rows, self.bytes_in, self.bytes_out, self.seconds,
                   len(self.failures)))


def convert(paths, out, dtype=float, compression=None, shuffle=False, workers=None, isolation="thread", force=False,
            keep_going=False, progress=True, memory=None, chunk_rows=None, name=None, group=None, append=False,
            inputs_from=None, attrs=None, dry_run=False, header=False, infer_size=None, _run=None, **loadtxt_options):
    """Many text tables into one HDF5 file, one compound dataset per input, as ``ferry convert``
    does (see its ``--help``); a plain ``dtype`` (``"f8"``, ``np.float32``) makes each input a 2-D
    dataset, as ``np.loadtxt(path, dtype, ndmin=2)`` reads it. ``compression`` is None, ``"gzip"``, ``"gzip:LEVEL"`` or
    ``"gzip:fast"``; ``isolation`` ``"thread"`` or ``"process"``; ``memory`` bytes or ``"64M"``;
    the loader's options are ``loadtxt``'s. Progress shows in a terminal or a notebook (tqdm where
    installed, else a line every second) unless ``progress=False``. Returns a Conversion; raises
    ParseError, WorkerError, UsageError or FerryError, leaving no output and nothing in /dev/shm.
    With ``keep_going=True`` inputs that fail are left out and listed in ``failures``.

    Many inputs: ``paths`` may hold folders (their files, in natural order) and any number of
    paths; ``inputs_from`` names a file listing more, one a line. ``name`` is a template for each
    input's dataset (``"{parent}/{stem}"``; placeholders ``{stem}``, ``{name}``, ``{parent}``,
    ``{index}``), ``group`` the group they all go in, and ``append=True`` adds them to the existing
    HDF5 file ``out`` (anyone's) without touching what it holds; names it has are refused.

    ``header=True``: the first line (after ``skiprows``) names the columns, as
    ``np.genfromtxt(names=True)`` reads it; ``dtype`` then gives types only, as a string the
    command takes (``"S10,i4,f4"``, ``"f8"``, ``"pos:i8,chr:S10"``) or a list (``["S10", "i4"]``),
    and ``usecols`` may name columns. ``dtype="infer"`` chooses the dtype from a sample of the
    inputs, as ``np.genfromtxt(dtype=None)`` chooses kinds (``i8``, ``f8``, ``S<n>``; strings
    at least ``infer_size`` bytes). ``attrs`` (a dict) sets string attributes on the file (values are written as ``str(value)``).
    ``dry_run=True`` writes nothing and returns what would be written, as a dict: ``datasets``
    (each with ``name``, ``file``, ``dtype``, ``row_shape``, ``estimated_rows``,
    ``estimated_bytes``, ``parts``), ``workers``, ``parts``, ``chunk_rows``, ``memory_bytes``, and
    ``failures``: the inputs whose first rows fail to parse as the run parses them, by path, each
    with its exception (``keep_going=True``; else the dry run raises the first, as the run would)."""
    if paths is None:
        paths = []
    names = [_load._name(p) for p in ([paths] if isinstance(paths, (str, bytes, os.PathLike)) else paths)]
    if "-" in names:
        raise UsageError("'-' (standard input) is ferry convert's, not ferry.convert's: its standard input is this"
                         " process's link to it; write the text to a file, or run the command in a pipeline")
    ps = [_load._argument(n) for n in names]
    listed = None
    if len(ps) > _load.ARGUMENT_PATHS:
        listed = _list_file(ps)
        ps = []
    try:
        return _convert(ps, listed, out, dtype, compression, shuffle, workers, isolation, force, keep_going, progress,
                        memory, chunk_rows, name, group, append, inputs_from, attrs, dry_run, header, infer_size,
                        loadtxt_options, _run or one_run)
    finally:
        if listed is not None:
            os.unlink(listed)


def _list_file(paths):
    """A temporary list of ``paths``, one a line, for ``--inputs-from``."""
    for p in paths:
        if "\n" in p or "\r" in p:
            raise UsageError("%r has a line break, which a list of inputs cannot hold; pass fewer paths, or rename it" % p)
    import tempfile   # here, not at the top: only a long list of inputs needs it, and it imports shutil
    fd, listed = tempfile.mkstemp(prefix="ferry-inputs-", suffix=".list")
    with os.fdopen(fd, "w", encoding=sys.getfilesystemencoding(), errors="surrogateescape") as f:
        f.write("".join(p + "\n" for p in paths))
    return listed


def _loader_args(dtype, header, infer_size, loadtxt_options):
    """The loader's options as the command takes them; with ``header`` or ``dtype="infer"`` the
    dtype may be types only and ``usecols`` may name columns."""
    infer = isinstance(dtype, str) and dtype.strip() == "infer"
    if not (header or infer):
        return _load.options_args("convert", dtype, loadtxt_options)
    options = dict(loadtxt_options)
    usecols = options.pop("usecols", None)
    args = _load.options_args("convert", "f8", options)
    args[1] = dtype if isinstance(dtype, str) else ",".join(np.dtype(t).str for t in dtype)
    if usecols is not None:
        cols = [usecols] if isinstance(usecols, (str, int, np.integer)) else list(usecols)
        args += ["--usecols", ",".join(str(c) for c in cols)]
    if header:
        args.append("--header")
    if infer_size is not None:
        args += ["--infer-size", _load._count("infer_size", infer_size)]
    return args


def _attributes(attrs):
    """``attrs`` (None or a mapping) as a mapping; anything else is a UsageError saying what it must be,
    with the dict meant where it is the command line's ``KEY=VALUE`` strings (``["a=1"]``)."""
    if attrs is None:
        return {}
    if isinstance(attrs, Mapping):
        return attrs
    given = [attrs] if isinstance(attrs, str) else attrs
    meant = ""
    try:
        if given and all(isinstance(a, str) and "=" in a for a in given):
            meant = " (the command line's --attr KEY=VALUE is attrs=%r here)" % (dict(a.split("=", 1) for a in given),)
    except TypeError:   # not iterable
        pass
    raise UsageError("attrs must be a dict of attribute names to values (each written as str(value)), not %r%s"
                     % (attrs, meant))


def one_run(command, on_line, ok):
    """Runs ``ferry`` with ``command``, giving ``on_line`` each JSON line; raises the FerryError
    of an exit code not in ``ok``."""
    with Run(command) as run:
        for line in run.lines():
            on_line(line)
        run.finish(ok=ok)


def _convert(ps, listed, out, dtype, compression, shuffle, workers, isolation, force, keep_going, progress, memory,
             chunk_rows, name, group, append, inputs_from, attrs, dry_run, header, infer_size, loadtxt_options, run):
    cmd = ["convert", *ps, "-o", _load._path(out, output=True), *_loader_args(dtype, header, infer_size, loadtxt_options)]
    for listing in (listed, inputs_from):
        if listing is not None:
            cmd += ["--inputs-from", _load._path(listing)]
    if name is not None:
        cmd += ["--name", str(name)]
    if group is not None:
        cmd += ["--group", str(group)]
    if append:
        cmd.append("--append")
    if compression is not None:
        cmd += ["--compression", str(compression)]
    if shuffle:
        cmd.append("--shuffle")
    if workers is not None:
        cmd += ["--workers", _load._count("workers", workers, least=1)]
    cmd += ["--isolation", str(isolation)]
    if force:
        cmd.append("--force")
    if keep_going:
        cmd.append("--keep-going")
    if memory is not None:
        cmd += ["--memory", str(memory)]
    if chunk_rows is not None:
        cmd += ["--chunk-rows", _load._count("chunk_rows", chunk_rows)]
    for key, value in _attributes(attrs).items():
        if str(key) == "":
            raise UsageError("attrs: an attribute needs a name; %r has none" % ({key: value},))
        if "=" in str(key):
            # the command splits KEY=VALUE at the first '=': "a=b": "c" wrote a = "b=c"
            raise UsageError("attrs: an attribute name cannot hold '=', as %r does" % (str(key),))
        cmd += ["--attr", "%s=%s" % (key, value)]
    if dry_run:
        cmd.append("--dry-run")
    cmd.append("--json")
    display = Progress.choose() if progress else None
    result = None

    def on_line(line):
        nonlocal result
        if "progress" in line and display is not None:
            display.update(line["progress"])
        elif "result" in line:
            result = line["result"]
        elif "dry_run" in line:
            result = line["dry_run"]

    try:
        run(cmd, on_line, (0, _EXIT_PARTIAL))
    except BaseException:
        # A JVM killed outright (by SIGKILL, or stopped so when it did not end in time) left its
        # temporary output beside the target: this Python removes it, as the next writer would.
        _temporary.sweep(out)
        raise
    finally:
        if display is not None:
            display.close()
    failures = {f["file"]: error_from(f["error"], _EXIT_PARTIAL, "", cmd) for f in result["failures"]}
    if dry_run:
        return dict(result, failures=failures)
    return Conversion(result, failures)


class Progress:
    """A conversion's progress for a person: tqdm's bar where tqdm is installed, else a line on
    standard error every second."""

    @staticmethod
    def choose(stream=None):
        """The display for where this runs: None when nobody would see it (neither a terminal nor
        a notebook)."""
        stream = stream or sys.stderr
        notebook = "ipykernel" in sys.modules
        if not notebook and not (hasattr(stream, "isatty") and stream.isatty()):
            return None
        try:
            if notebook:
                from tqdm.auto import tqdm
            else:
                from tqdm import tqdm
        except ImportError:
            return Lines(stream)
        return Bar(tqdm)

    def update(self, p):
        raise NotImplementedError

    def close(self):
        pass


class Lines(Progress):
    """A line a second: ``ferry convert: 45% 217.3 MB / 482.9 MB, 8,400,000 rows, 410 MB/s, 2/4 files``."""

    def __init__(self, stream, every=1.0):
        self.stream = stream
        self.every = every
        self.last = None
        self.shown = 0.0

    def update(self, p):
        self.last = p
        now = time.monotonic()
        if now - self.shown >= self.every:
            self.shown = now
            self._show(p)

    def _show(self, p):
        total = max(1, p["total_bytes"])
        done = p.get("bytes_done", p["bytes"])  # the whole job, up to the last chunk written
        rate = done / max(p["seconds"], 1e-3)
        self.stream.write("ferry convert: %3.0f%% %.1f MB / %.1f MB, {:,} rows, %.0f MB/s, %d/%d files\n".format(p["rows"])
                          % (100.0 * done / total, done / 1e6, p["total_bytes"] / 1e6, rate / 1e6,
                             p["files_done"], p["files"]))
        self.stream.flush()

    def close(self):
        if self.last is not None and self.shown and self.last["files_done"] == self.last["files"]:
            self._show(self.last)


class Bar(Progress):
    """tqdm's bar, in bytes of text."""

    def __init__(self, tqdm):
        self.tqdm = tqdm
        self.bar = None

    def update(self, p):
        if self.bar is None:
            self.bar = self.tqdm(total=p["total_bytes"], unit="B", unit_scale=True, desc="ferry convert")
        self.bar.n = p.get("bytes_done", p["bytes"])
        self.bar.set_postfix(rows=p["rows"], files="%d/%d" % (p["files_done"], p["files"]), refresh=False)
        self.bar.refresh()

    def close(self):
        if self.bar is not None:
            self.bar.close()
