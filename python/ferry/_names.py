"""How Ferry names the shared-memory segments it makes, and records who made them: the one place
the Python package knows the scheme, so that segments Python makes are swept like Ferry's own.

The rule, as Ferry's Java side has it today (io.ferry.shm.SegmentName and CreatorRecord):

- a segment is ``/dev/shm/fy<pid in base 36>_<random base 36>``, 14 characters at most (the
  random part fills the name to 14, at least 6 characters);
- before a process makes its first segment it writes ``/dev/shm/fy<pid in base 36>.pid``, mode
  0600, holding ``pid=<pid> start=<start time, field 22 of /proc/<pid>/stat> pidns=<target of
  /proc/self/ns/pid>``, after removing any name with its prefix (an earlier process that had the
  same pid and died); it removes the record at exit once none of its segments remain;
- ``ferry shm clean`` (and every ``ferry convert``) removes the segments and record of a creator
  that is gone (no such process, or one whose start time differs from the record's).

Nothing else in the package parses Ferry's names: a handle's name is opened as it is.
"""
import os
import secrets

DIRECTORY = "/dev/shm"
PREFIX = "fy"
GENERATED_LENGTH = 14
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(n):
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = _DIGITS[r] + s
        if n == 0:
            return s


def process_prefix(pid=None):
    """The prefix of every name the process ``pid`` (default: this one) makes, e.g. ``fy1k2j_``."""
    return PREFIX + _base36(os.getpid() if pid is None else pid) + "_"


def fresh_name():
    """A new name for a segment made by this process, e.g. ``fy1k2j_8c0x3a9z``."""
    prefix = process_prefix()
    left = GENERATED_LENGTH - len(prefix)
    if left < 6:
        raise OverflowError("pid %d is too large for Ferry's name scheme" % os.getpid())
    return prefix + "".join(secrets.choice(_DIGITS) for _ in range(left))


def record_name(pid=None):
    """The creator record's file name for ``pid`` (default: this process), e.g. ``fy1k2j.pid``."""
    return PREFIX + _base36(os.getpid() if pid is None else pid) + ".pid"


def record_text():
    """This process's creator record: ``pid=… start=… pidns=…``."""
    with open("/proc/self/stat", "rb") as f:
        stat = f.read().decode("ascii", "replace")
    start = int(stat[stat.rindex(")") + 2:].split(" ")[19])
    try:
        ns = os.readlink("/proc/self/ns/pid")
    except OSError:
        ns = "unknown"
    return "pid=%d start=%d pidns=%s\n" % (os.getpid(), start, ns)


_prepared_pid = None


def prepare_creator(directory=DIRECTORY):
    """Before this process makes its first segment (again after a fork): remove what a dead earlier
    holder of its pid left, and write its creator record. The caller removes the record at exit
    (``remove_record``) once its segments are gone."""
    global _prepared_pid
    pid = os.getpid()
    if _prepared_pid == pid:
        return
    prefix = process_prefix(pid)
    for name in os.listdir(directory):
        if name.startswith(prefix) and len(name) <= GENERATED_LENGTH:
            try:
                os.unlink(os.path.join(directory, name))
            except FileNotFoundError:
                pass
    path = os.path.join(directory, record_name(pid))
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, record_text().encode("ascii"))
    finally:
        os.close(fd)
    _prepared_pid = pid


def remove_record(directory=DIRECTORY):
    """Removes this process's creator record, unless segments of it remain (disowned ones, which a
    sweep judges by the record) or it never wrote one."""
    if _prepared_pid != os.getpid():
        return
    prefix = process_prefix()
    try:
        if not any(n.startswith(prefix) for n in os.listdir(directory)):
            os.unlink(os.path.join(directory, record_name()))
    except OSError:
        pass
