"""SharedArray: a numpy array in named shared memory, and the handles other processes use to map it."""
import json
import os
import sys
import weakref

import numpy as np

from . import _shm
from ._errors import FerryError, UsageError

_NUMPY1 = np.lib.NumpyVersion(np.__version__) < "2.0.0"
_KINDS = frozenset("biufS")
# numpy's unicode text: Ferry's text fields are bytes (S), as np.loadtxt's with bytes dtypes
_TEXT_HINT = "; for text give S<n> (bytes: 'S10' where numpy would have 'U10')"


def _shareable(t):
    """Whether the scalar dtype ``t`` is one a Java process reads: f2 (half) and f16 (longdouble,
    ``'g'``) are not."""
    return t.kind in _KINDS and t.subdtype is None and not (t.kind == "f" and t.itemsize not in (4, 8))


def _refusal(what, dt):
    hint = _TEXT_HINT if dt.kind == "U" or (dt.names and any(dt[n].kind == "U" for n in dt.names)) else ""
    return UsageError("Ferry takes %s of b1, i, u, f4, f8 and S types, not %s%s" % (what, dt, hint))


def dtype_of_handle(d):
    """numpy's dtype for a handle's ``dtype``: a type string, or a list of [name, type] pairs, of
    the types Ferry shares (as ``dtype_to_handle`` writes them)."""
    try:
        if isinstance(d, str):
            dt = np.dtype(d)
        elif isinstance(d, list) and d and all(isinstance(f, (list, tuple)) and len(f) == 2
                                               and all(isinstance(x, str) for x in f) for f in d):
            dt = np.dtype([(n, t) for n, t in d])
        else:
            dt = None
    except (TypeError, ValueError):
        dt = None
    if dt is None:
        raise UsageError("bad shared-array handle: dtype %r is not a numpy type string or a list of [name, type]"
                         " pairs" % (d,))
    dtype_to_handle(dt)   # one Ferry shares, or a UsageError saying which it is not
    return dt


def _unsized(t):
    """Whether ``t`` is a byte string of no size (``"S"``, ``np.bytes_``), which numpy sizes from
    the data it reads, and Ferry cannot: its array is made before the rows are read."""
    return t.kind == "S" and t.itemsize == 0


def _unsized_refusal(dt):
    return UsageError("dtype %s: a byte string needs its size here, such as S10 (numpy's S and np.bytes_ size it"
                      " from the values; Ferry's arrays are made before the values come)" % (dt,))


def dtype_to_handle(dtype):
    """A dtype as a handle writes it (numpy's descr): its type string, or [name, type] pairs.
    Raises UsageError for what Ferry cannot read: nested or padded records, subarrays, objects,
    unicode, byte strings of no size."""
    dt = np.dtype(dtype)
    if dt.names is None:
        if _unsized(dt):
            raise _unsized_refusal(dt)
        if not _shareable(dt):
            raise _refusal("arrays", dt)
        return dt.str
    # Titles and out-of-order offsets: numpy's descr cannot say them (it raised ValueError), and a
    # title made a JSON the command could not read. Ferry's records are plain packed fields.
    end, plain = 0, True
    for name in dt.names:
        field = dt.fields[name]   # (dtype, offset), and a title if it has one
        plain = plain and len(field) == 2 and field[1] == end
        end += field[0].itemsize
    if not plain or end != dt.itemsize:
        raise UsageError("Ferry takes packed records of plain named fields (no titles, no gaps, fields in order), not %s"
                         % (dt,))
    packed = [(name, dt.fields[name][0]) for name in dt.names]
    for name, t in packed:
        if _unsized(t):
            raise _unsized_refusal(dt)
        if not name or not _shareable(t):
            raise _refusal("packed records", dt)
    return [[name, t.str] for name, t in packed]


def dtype_spec(dtype):
    """A dtype as ``ferry --dtype`` takes it: the handle's JSON form of a numpy dtype, or a string
    in Ferry's own spelling (``"chr:S10,pos:i4"``), which numpy does not read, passed as it is for
    Ferry to parse (and to refuse with a hint if it cannot)."""
    if isinstance(dtype, str):
        try:
            np.dtype(dtype)
        except (TypeError, ValueError):
            return dtype
    return json.dumps(dtype_to_handle(dtype))


# Forks of this process so far (os.fork, multiprocessing's fork and forkserver starts): a child
# made by one maps every segment this process mapped then, so no mapping made before it is the
# segment's only one any more (see _Mapping.sole_now). subprocess's fork-and-exec runs no handler,
# and the exec drops its copy of the mappings.
_forks = 0


def _count_fork():
    global _forks
    _forks += 1


os.register_at_fork(before=_count_fork)


class _Mapping:
    """One mapping of a segment into this process, shared by the array Ferry returned and its
    views. The memory goes when the last array over it is collected, or at close(). ``file`` is the
    segment as it was mapped (name, inode, owner): removing the name removes that file only."""
    __slots__ = ("file", "owner", "sole", "pid", "forks", "closed", "views", "__weakref__")

    def __init__(self, file, owner, sole=False):
        self.file = file
        self.owner = owner
        self.sole = sole   # when mapped, this mapping was the segment's last: its name gone, no one else mapping it
        self.pid = os.getpid()
        self.forks = _forks
        self.closed = False
        self.views = []

    def sole_now(self):
        """Whether this mapping is still the segment's only one: made as such, in this process,
        and no child forked since, which would map the segment too. Cutting the file of a segment a
        child still maps killed the child with SIGBUS at its next read."""
        return self.sole and self.pid == os.getpid() and self.forks == _forks

    @property
    def name(self):
        return self.file.name

    def release_name(self):
        if self.owner and self.pid == os.getpid() and _shm.owns(self.file):
            _shm.unlink(self.file)
        self.owner = False


def _collected(mapping):
    mapping.release_name()
    _shm.forget(mapping.file)


class SharedArray(np.ndarray):
    """A numpy array in named shared memory (``/dev/shm``), usable wherever an ndarray is.

    ``SharedArray(dtype, shape)`` makes a new zero-filled segment, named and recorded as Ferry
    names its own, owned by this process: ``close()``, garbage collection or the end of the
    process removes its name. ``ferry.loadtxt``, ``ferry.load_many`` and ``ferry.attach`` return
    SharedArrays over segments others made.

    Its memory goes when the array and every view of it are garbage-collected, or at
    ``close()``: close refuses with BufferError while views of the array (slices, fields,
    reshapes, ``np.asarray(a)``) still exist, and leaves the array empty and closed (using it
    raises ValueError). An object that holds the array's buffer itself (``memoryview(a)``,
    ``np.frombuffer(a)``, a masked array of it) cannot be seen: after close it reads zeros, never
    freed memory. Views and copies have no segment of their own: their ``close()`` does nothing.
    """

    _ferry = None     # the _Mapping, for the array a segment was mapped as; None for views and copies
    _view_of = None   # the _Mapping, for a view of such an array

    def __new__(cls, dtype, shape):
        dt = np.dtype(dtype)
        dtype_to_handle(dt)
        if dt.itemsize == 0:
            raise UsageError("a shared array's elements need a size: %s has none (S0, an empty record)" % (dt,))
        if isinstance(shape, np.ndarray) and shape.ndim == 1:
            shape = shape.tolist()   # as numpy takes one: np.zeros(3, np.array([2, 3]))
        shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
        # integers only, as numpy's own shapes: int(2.7) made a shape of 2 silently
        if not shape or not all(isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0
                                for d in shape):
            raise UsageError("a shared array needs a shape of 1 or more non-negative integers, not %r" % (shape,))
        shape = tuple(int(d) for d in shape)
        file, mm = _shm.create(_segment_bytes(dt, shape, "a shared array of"))
        try:
            return _wrap(mm, file, dt, shape, owner=True)
        except BaseException:
            _shm.unlink(file)
            raise

    def __array_finalize__(self, obj):
        m = getattr(obj, "_ferry", None) or getattr(obj, "_view_of", None)
        if m is not None and np.may_share_memory(self, obj):
            self._view_of = m
            m.views.append(weakref.ref(self))
            if len(m.views) > 64:
                m.views = [r for r in m.views if r() is not None]

    def __array_wrap__(self, arr, context=None, return_scalar=False):
        # A ufunc's result is new memory: a plain ndarray (a scalar where numpy gives one).
        if arr is self:
            return arr
        arr = arr.view(np.ndarray)
        if arr.shape == () and (return_scalar or _NUMPY1):
            return arr[()]
        return arr

    def __reduce__(self):
        # A copy travels (to another process, by pickle), not the segment: a plain ndarray.
        return np.asarray(self).copy().__reduce__()

    # Not `name`: pandas takes an array with a `name` for a named Series, and DataFrame(a,
    # columns=...) of a 2-d SharedArray came out empty, without a word.
    @property
    def segment_name(self):
        """The segment's name (what ``SharedMemory(name=…)`` and Ferry's handles take)."""
        return self._mapping().name

    @property
    def handle(self):
        """The handle as JSON, ``{"name": …, "shape": […], "dtype": …}``: what ``ferry attach``, Java's
        ``SharedArray.attach`` and ``ferry.attach`` take. A UsageError where the segment's name is
        gone, which no process could attach: the array ``ferry.loadtxt`` returned (Ferry removes the
        name once Python has mapped it), one whose name was removed (``unlink()``, its owner, a
        sweep); ``ferry.share(a)`` copies it into a segment that has one."""
        m = self._mapping()
        if not _shm.named(m.file):
            raise _nameless(m)
        if not self.flags.c_contiguous:
            # numpy lets an array's strides be set in place (``a.strides = …``, deprecated): the
            # handle's shape would then name other elements than the array shows, read in C order
            # by whoever attached it
            raise UsageError("this shared array's strides %r were changed in place: a handle names C-order"
                             " memory of shape %r, which would read other values; share a C-order copy"
                             " instead (ferry.share(np.ascontiguousarray(a)))" % (self.strides, self.shape))
        return json.dumps({"name": m.name, "shape": list(self.shape), "dtype": dtype_to_handle(self.dtype)})

    @property
    def owner(self):
        """Whether this process removes the segment's name (on close, collection or exit)."""
        m = self.__dict__.get("_ferry")
        return bool(m is not None and m.owner and _shm.owns(m.file))

    @property
    def closed(self):
        return False

    def disown(self):
        """Leaves removing the segment's name to another party, a Java process that attaches it as
        owner, say (``SharedArray.attach(handle, Ownership.OWNER)``); a sweep (``ferry shm clean``)
        removes it once this process is gone. Returns self."""
        m = self._mapping()
        m.owner = False
        _shm.disown(m.file)
        return self

    def unlink(self):
        """Removes the segment's name now (whoever has it mapped keeps the memory), if the name
        still names the segment this array mapped: a later segment that took the name stays."""
        m = self._mapping()
        m.owner = False
        _shm.unlink(m.file)

    def close(self):
        """Releases the segment now: removes its name if this process owns it and unmaps the
        memory; the array is left empty and closed. Raises BufferError, changing nothing, while
        views of the array still exist. Does nothing for a view or a copy, or a second time."""
        m = self.__dict__.get("_ferry")
        if m is None or m.closed:
            return
        alive = sum(1 for r in m.views if r() is not None)
        inner = self.base            # the shaped ndarray over the segment
        root = inner.base            # the bytes of the mapping; numpy's views of any kind collapse to it
        probe = object()
        held = [probe]               # probe: this local and one holder, as root has `inner`
        if alive or sys.getrefcount(root) > sys.getrefcount(probe) or sys.getrefcount(inner) > sys.getrefcount(probe):
            raise BufferError("cannot close shared array %s: views of it still exist (slices, fields, reshapes,"
                              " np.asarray); delete them first, or let garbage collection release it"
                              % m.name)
        del held
        m.closed = True
        m.release_name()
        buffer = root.base.obj       # the mmap
        if _shm.zero_mapping(root.ctypes.data, len(buffer)) and m.sole_now():
            _shm.let_go(m.file)      # else Python's mmap (before 3.13) would keep the file's pages
        np.ndarray.__setstate__(self, (1, (0,), np.dtype(np.uint8), False, b""))
        self.__dict__["_pin"] = root     # the (now zero) pages stay mapped while anything may point there
        self.__class__ = _ClosedSharedArray

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _mapping(self):
        m = self.__dict__.get("_ferry")
        if m is None:
            raise _NoSegment("a view or copy of a shared array has no segment of its own; use the array Ferry returned")
        return m


class _NoSegment(AttributeError, ValueError):
    """What a segment's attribute raises on an array that has none (a view, a copy, a closed array):
    a ValueError, as it always was, and an AttributeError, so that ``hasattr`` and ``getattr(a, x,
    default)`` (which libraries ask of any array) answer instead of raising."""


def _nameless(mapping):
    """The error of a handle asked of an array whose segment has no name: its JSON named nothing,
    and ``ferry attach`` said "never created, or unlinked already", as if something had failed."""
    if mapping.sole:
        why = ("this array was loaded (ferry.loadtxt, ferry.load_many, a Session's), and its segment has no name any more: Ferry"
               " removes the name once Python has mapped the array, so that nothing is left behind if Python dies")
    else:
        why = ("this array's segment has no name any more (removed by unlink(), by its owner, or by a sweep after its"
               " creator exited)")
    return UsageError(why + "; no other process can attach it. ferry.share(a) copies it into a segment another"
                      " process can attach by its handle")


class _ClosedSharedArray(SharedArray):
    """What a SharedArray becomes at close(): empty, and any use of it says so."""

    def __getattribute__(self, attr):
        if attr in _CLOSED_OK:
            return object.__getattribute__(self, attr)
        raise _NoSegment("this ferry.SharedArray was closed")

    def __repr__(self):
        return "ferry.SharedArray(closed)"

    __str__ = __repr__

    def __getitem__(self, index):
        raise ValueError("this ferry.SharedArray was closed")

    def __setitem__(self, index, value):
        raise ValueError("this ferry.SharedArray was closed")

    def __len__(self):
        raise ValueError("this ferry.SharedArray was closed")

    def __array_ufunc__(self, *args, **kwargs):
        raise ValueError("this ferry.SharedArray was closed")

    def __array_function__(self, *args, **kwargs):
        raise ValueError("this ferry.SharedArray was closed")

    @property
    def closed(self):
        return True

    def close(self):
        pass


_CLOSED_OK = frozenset({"__class__", "__dict__", "__repr__", "__str__", "closed", "close", "__exit__", "__enter__",
                        "__array_finalize__", "__array_ufunc__", "__array_function__", "__getitem__", "__setitem__",
                        "__len__"})


def _wrap(mm, file, dtype, shape, owner, sole=False):
    nbytes = dtype.itemsize * int(np.prod(shape, dtype=np.int64))
    root = np.frombuffer(mm, dtype=np.uint8, count=nbytes)
    inner = root.view(dtype).reshape(shape)
    a = inner.view(SharedArray)
    m = _Mapping(file, owner, sole)
    a.__dict__["_ferry"] = m
    weakref.finalize(root, _collected, m)
    return a


def _segment_bytes(dt, shape, what):
    """The bytes of an array of ``dt`` and ``shape`` (non-negative integers), counted in Python's
    integers: numpy's int64 product wrapped past 64 bits (to 0 bytes). Raises UsageError, its
    message starting with ``what``, for more than any segment holds."""
    nbytes = dt.itemsize
    for d in shape:
        nbytes *= d
    if nbytes >= 1 << 63:
        raise UsageError("%s shape %r of %s is %d bytes, more than any segment holds" % (what, shape, dt, nbytes))
    return nbytes


def from_handle(handle, owner=False, sole=False):
    """The SharedArray over the segment ``handle`` (a dict) describes; ``owner``: this process
    removes the name on close, collection or exit; ``sole``: once Ferry has removed the name, this
    mapping is the segment's only one (ferry.loadtxt's), so close() frees its memory at once."""
    if not isinstance(handle, dict) or set(handle) != {"name", "shape", "dtype"}:
        raise UsageError("bad shared-array handle %r: a handle has exactly name, shape, dtype" % (handle,))
    name = _shm.validate(handle["name"])
    shape = handle["shape"]
    if not isinstance(shape, list) or not shape or \
            not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise UsageError("bad shared-array handle: shape %r is not a list of non-negative integers" % (shape,))
    dt = dtype_of_handle(handle["dtype"])
    file, mm = _shm.attach(name, _segment_bytes(dt, shape, "bad shared-array handle:"))
    if owner:
        _shm.own(file)
    return _wrap(mm, file, dt, tuple(shape), owner, sole)


def share(array):
    """A new SharedArray holding a copy of ``array`` (any array-like), owned by this process; its
    ``handle`` is what a Java process (or another Python one, ``ferry.attach``) maps it by."""
    if isinstance(array, SharedArray) and array.closed:
        raise UsageError("cannot share a closed ferry.SharedArray (its memory is gone)")
    if isinstance(array, np.ma.MaskedArray):
        # np.asarray keeps the data and drops the mask, which no handle can carry
        raise UsageError("a masked array's mask cannot be shared: share a.filled(value), or a.data and a.mask as"
                         " two arrays")
    src = np.asarray(array)
    if src.ndim == 0:   # a scalar became shape (1,) silently, where SharedArray(dtype, ()) is refused
        raise UsageError("a shared array has 1 or more dimensions; share np.atleast_1d(a) for a scalar's value")
    out = SharedArray(src.dtype, src.shape)
    out[...] = src
    return out


HANDLE_BYTES = 64 << 10   # as `ferry attach` reads at most


def attach(handle, own=False):
    """The array over the shared segment ``handle`` names: its JSON text, a dict, or a file (path)
    holding the JSON. Mapped without Python's resource tracker, which would otherwise remove the
    segment (or warn) when this process exits. ``own=True`` takes the segment over: its name is
    removed at close. A SharedArray, and a context manager: ``with ferry.attach(h) as a: ...``
    closes it when the block ends (BufferError while views of it remain)."""
    if isinstance(handle, dict):
        h = handle
    else:
        text = handle
        if isinstance(handle, (bytes, bytearray)):
            text = handle.decode("utf-8")
        if isinstance(text, str):
            text = text.lstrip("\ufeff")   # a byte-order mark, as an editor on Windows saves a file
        if isinstance(text, str) and text.lstrip()[:1] in ("{", "[", '"'):
            pass   # JSON, whatever it holds: a handle is an object, and json.loads or from_handle says so
        elif isinstance(text, (str, os.PathLike)):
            if isinstance(text, str) and not text.strip():
                raise UsageError("an empty handle: did the program that shares the array fail? (a handle is the JSON"
                                 " text `ferry share` prints, a dict, or a file holding it)")
            try:
                with open(text, "rb") as f:
                    data = f.read(HANDLE_BYTES + 1)   # /dev/zero, a wrong file: never read on and on
            except OSError as e:
                raise FerryError("%s: %s; give the handle's JSON itself, a dict, or a file holding it"
                                 % (os.fspath(text), e.strerror or e)) from None
            if len(data) > HANDLE_BYTES:
                raise UsageError("%s is not a shared-array handle: a handle is at most 64 KiB of JSON, and it holds more"
                                 % (os.fspath(text),))
            name, text = os.fspath(text), data.decode("utf-8", "replace").lstrip("\ufeff")
            if not text.strip():
                raise UsageError("%s is empty: did the program that shares the array fail? (a handle file holds the"
                                 " JSON text `ferry share` prints)" % (name,))
        else:
            raise UsageError("a handle is its JSON text, a dict or a file holding it, not %r" % (handle,))
        try:
            h = json.loads(text)
        except ValueError as e:
            lines = [line for line in text.splitlines() if line.strip()]
            if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines):
                # `ferry share a.txt b.txt > handles` prints a handle a line
                raise UsageError("%d handles, one a line, where attach takes one: attach each line"
                                 " ([ferry.attach(h) for h in open(path)])" % len(lines)) from None
            raise UsageError("bad shared-array handle: not JSON (%s)" % e) from None
    return from_handle(h, owner=own)
