"""Named POSIX shared memory on Linux, as the files of /dev/shm: made, opened, mapped and removed
here without Python's multiprocessing.shared_memory, whose resource tracker would remove (or warn
about) segments this process only uses. Mapping a file with mmap never involves the tracker."""
import atexit
import errno
import mmap
import os
import stat
import sys

from . import _names
from ._errors import FerryError, UsageError

DIRECTORY = _names.DIRECTORY
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")

# The segments this process made (or took over) and still has to remove: each file as it was
# mapped (a _names.Entry: name, inode, owner), with the pid of the process that owns it (a forked
# child inherits the table but owns none of them).
_owned = {}


def validate(name):
    """The segment name without its optional leading '/', as Ferry checks it: 1 to 255 characters
    of A-Z a-z 0-9 . _ -, not starting with '.'."""
    if not isinstance(name, str):
        raise UsageError("a segment name is a string, not %r" % (name,))
    n = name[1:] if name.startswith("/") else name
    if not n or len(n) > 255 or n.startswith(".") or not set(n) <= _NAME_CHARS:
        raise UsageError("bad shared-memory segment name %r: 1 to 255 characters of A-Z a-z 0-9 . _ -,"
                         " not starting with '.'" % name[:80])
    if _names.is_record(n):
        # Mapped as a segment, a record could be written, or removed (own=True) while its process
        # lives: that process's segments would then be judged foreign, and never swept.
        raise UsageError("bad shared-memory segment name %r: it is a creator record (fy<tag>.pid), Ferry's note of"
                         " the process that made segments, not a segment" % n)
    return n


def _path(name):
    return os.path.join(DIRECTORY, name)


# Before Python 3.13: the descriptor number that the mmap of each segment (by inode) most likely
# keeps, the lowest free one when it was mapped; let_go checks it before it looks at any other.
_duplicates = {}


def _map(fd, size):
    try:
        if sys.version_info >= (3, 13):
            return mmap.mmap(fd, size, trackfd=False)   # no duplicate descriptor kept open per mapping
        probe = os.dup(fd)   # mmap's own dup takes the lowest free number too, unless a thread took it first
        os.close(probe)
        mm = mmap.mmap(fd, size)
        _duplicates[os.fstat(fd).st_ino] = probe
        return mm
    except OSError as e:
        if e.errno == errno.EMFILE:
            # Python's mmap before 3.13 keeps a descriptor for each mapping, a closed array's too
            # until it is collected: code that keeps closed arrays ran out with a bare OSError
            raise FerryError("cannot map a shared array: this process has as many files open as it may (ulimit -n);"
                             " each array mapped holds one until it is collected, closed or not (Python before"
                             " 3.13): delete the arrays no longer needed, or raise the limit") from None
        raise


def create(nbytes):
    """A new segment of ``nbytes`` bytes (at least 1), named as Ferry names its own, every page
    reserved. Returns ``(file, mmap)``, ``file`` the segment as made (a ``_names.Entry``, its
    ``name`` what handles carry); this process owns it."""
    if _exited == os.getpid():
        # Made by an exit function that runs after Ferry's: no cleanup would come for it, and
        # without its creator record (removed at exit) no sweep could tell it was left behind.
        raise FerryError("cannot make a shared array while Python exits: Ferry's cleanup has run already, and the"
                         " segment would be left behind in %s" % DIRECTORY)
    size = max(1, nbytes)
    tag = _names.claim(DIRECTORY)
    _register_exit()
    for attempt in range(10):
        name = _names.fresh_name(tag)
        try:
            fd = os.open(_path(name), os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            continue
        break
    else:
        raise FerryError("could not find a free shared-memory name after 10 tries")
    made = False
    try:
        file = _names.entry_of_fd(name, fd)
        try:
            os.posix_fallocate(fd, 0, size)
        except OSError as e:
            if e.errno == errno.ENOSPC:
                free = os.statvfs(DIRECTORY)
                raise FerryError("not enough shared memory for segment '%s': asked for %d bytes, %s has %d bytes left;"
                                 " free some (ferry shm list / ferry shm clean; an array still mapped, such as one"
                                 " ferry.loadtxt gave, holds its memory until it is let go: del it, or .close()) or"
                                 " enlarge it (Docker: --shm-size)"
                                 % (name, size, DIRECTORY, free.f_bavail * free.f_frsize)) from None
            raise
        mm = _map(fd, size)
        made = True
    finally:
        if not made:
            _remove_made(name, fd)
        os.close(fd)
    _owned[file] = os.getpid()
    return file, mm


def _remove_made(name, fd):
    # The file this call created and could not finish: exactly it, should the name be another's by now.
    try:
        _names.unlink(DIRECTORY, _names.entry_of_fd(name, fd))
    except OSError:
        pass


def attach(name, nbytes):
    """Maps the existing segment ``name`` (of this user, a regular file, at least ``nbytes`` long),
    whole. Returns ``(file, mmap)``, ``file`` the segment as mapped (a ``_names.Entry``)."""
    n = validate(name)
    try:
        fd = os.open(_path(n), os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise FerryError("no shared-memory segment '%s' (%s does not exist): it was never created, or it was removed"
                         " already (by its owner, or a sweep after its creator exited)" % (n, _path(n))) from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise FerryError("'%s' is not a shared-memory segment (%s is a symlink)" % (n, _path(n))) from None
        hint = "; delete the arrays no longer needed, or raise the limit (ulimit -n)" if e.errno == errno.EMFILE else ""
        raise FerryError("cannot open shared-memory segment '%s': %s%s" % (n, e.strerror, hint)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FerryError("'%s' is not a shared-memory segment (%s is not a regular file)" % (n, _path(n)))
        if st.st_uid != os.geteuid():
            raise FerryError("shared-memory segment '%s' belongs to user %d, not to this user (%d); Ferry attaches only"
                             " its own user's segments" % (n, st.st_uid, os.geteuid()))
        if st.st_size < max(1, nbytes):
            raise FerryError("shared-memory segment '%s' has %d bytes, fewer than the %d expected"
                             % (n, st.st_size, nbytes))
        return _names.Entry(n, st.st_ino, st.st_uid), _map(fd, st.st_size)
    finally:
        os.close(fd)


def named(file):
    """Whether the name of ``file`` (an Entry) still names it (the same inode and owner): whether
    another process can attach the segment by it."""
    now = _names.entry(DIRECTORY, file.name)
    return now is not None and now.inode == file.inode and now.uid == file.uid


def unlink(file):
    """Removes the segment ``file`` (an Entry) names, if that name still names it: never a later
    segment that took the name after someone else removed this one. Mappings stay valid. True when
    it was removed; this process no longer owns it either way."""
    _owned.pop(file, None)
    return _names.unlink(DIRECTORY, file)


def forget(file):
    """Drops what let_go would have used for ``file``, whose mapping is gone."""
    _duplicates.pop(file.inode, None)


def owns(file):
    """Whether this process made (or took over) the segment ``file`` and still has to remove it."""
    return _owned.get(file) == os.getpid()


def own(file):
    """Takes over removing the segment ``file`` (at close, collection or exit)."""
    _owned[file] = os.getpid()


def disown(file):
    """Leaves removing ``file`` to someone else (a Java process that took it over, a sweep)."""
    _owned.pop(file, None)


_exit_registered = None   # the pid that registered the cleanup: a forked child registers its own
_exited = None            # the pid whose cleanup has run: it makes no more segments


def _register_exit():
    global _exit_registered
    if _exit_registered != os.getpid():
        atexit.register(_at_exit)
        # A multiprocessing child made by fork (a Process, a Pool's worker) ends with os._exit,
        # which runs no atexit function, and left its creator record; it runs these finalizers.
        import multiprocessing.util
        multiprocessing.util.Finalize(None, _at_exit, exitpriority=0)
        _exit_registered = os.getpid()


def _at_exit():
    # Segments still owned at exit are removed (their memory stays with whoever maps them), then the
    # creator record, unless disowned segments still need it or it is no longer this process's.
    global _exited
    me = os.getpid()
    _exited = me
    for file, pid in list(_owned.items()):
        if pid == me:
            try:
                unlink(file)
            except OSError:
                pass
    _names.release(DIRECTORY)


def let_go(file):
    """Frees the memory of ``file`` (an Entry: a segment whose name is gone, which no other process
    maps, and whose mapping here zero_mapping replaced) at once. Python's mmap before 3.13 keeps a
    duplicate descriptor of the file, which keeps its pages for as long as the mmap object lives:
    the file is cut to nothing through a descriptor of its own, opened from that one once fstat
    says it is the file (a descriptor number may be reused by another thread meanwhile).

    Only that descriptor is opened: opening and closing every descriptor of the process, as this
    once did, dropped the process's POSIX locks on those files (closing any descriptor of a file
    drops them all: sqlite3 lost a committed write) and took time in the square of the arrays open."""
    if sys.version_info >= (3, 13):
        return   # no descriptor kept: the file went with its mapping
    device = os.stat(DIRECTORY).st_dev
    hint = _duplicates.pop(file.inode, None)
    if hint is not None and _cut_if_segment(hint, file, device):
        return
    for entry in os.listdir("/proc/self/fd"):
        if _cut_if_segment(int(entry), file, device):
            return


def _cut_if_segment(fd, file, device):
    """Cuts the file of descriptor ``fd`` to nothing if it is the removed segment ``file`` (of
    /dev/shm's ``device``); True if so."""
    try:
        st = os.fstat(fd)   # the descriptor as it is: nothing opened, nothing closed
        if not (stat.S_ISREG(st.st_mode) and st.st_ino == file.inode and st.st_nlink == 0 and st.st_dev == device):
            return False
        own = os.open("/proc/self/fd/%d" % fd, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False   # closed meanwhile, or not a file
    try:
        st = os.fstat(own)
        if st.st_ino == file.inode and st.st_nlink == 0 and st.st_dev == device:
            os.ftruncate(own, 0)
            return True
        return False
    except OSError:
        return False
    finally:
        os.close(own)


def zero_mapping(address, length):
    """Replaces the pages [address, address + length) of this process by anonymous zero pages, in
    place: the segment's memory is let go at once, and whatever still points there reads zeros
    instead of faulting. Returns whether it could (Linux, with ctypes)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.mmap.restype = ctypes.c_void_p
        libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long)
        map_fixed = 0x10   # Linux, every architecture Ferry runs on
        got = libc.mmap(address, length, mmap.PROT_READ | mmap.PROT_WRITE,
                        mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | map_fixed, -1, 0)
        return got == address
    except (OSError, AttributeError):
        return False
