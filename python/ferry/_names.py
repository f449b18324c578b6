"""How Ferry names the shared-memory segments it makes, records who made them, and decides what it
may remove: the one place the Python package knows the scheme, so that segments Python makes are
judged and swept like Ferry's own (Java's io.ferry.shm: SegmentName, CreatorTag, CreatorRecord,
CreatorTags, DevShm.unlink). Nothing else in the package parses Ferry's names: a handle's name is
opened as it is.

Names. A segment is ``/dev/shm/fy<tag>_<random base 36>``, 14 characters at most; the random part
fills the name to 14 and keeps at least 4 characters. The creator tag is the creator's pid in base
36 (``1k2j``) or, when another process holds that, a variant ``1k2j-0`` … ``1k2j-z``: pids are
unique only within a pid namespace (two containers sharing ``/dev/shm`` can each run a process with
the same pid), and another user's files can hold a pid's names too.

Records. A tag is held by its creator record ``/dev/shm/fy<tag>.pid``, mode 0600, holding
``pid=<pid> start=<start time, field 22 of /proc/<pid>/stat> pidns=<target of
/proc/self/ns/pid>``. A process claims its tag by publishing the record exclusively and whole (an
unnamed ``O_TMPFILE`` file, written, then linked into place; where that is not supported, created
exclusively then written) before its first segment: the first tag whose record it can publish,
in the order ``1k2j``, ``1k2j-0`` … ``1k2j-z``, exactly as Java does, so a Java and a Python
process never hold one tag.

The rule. A name another process made is removed only when all three hold:

1. it is Ferry's: a segment name of this scheme, or a creator record;
2. it is this user's: its owner, looked at without following symlinks, is this process's user,
   even for root (another user could otherwise plant a record to have root remove things), and it
   is still the file that was judged (same inode and owner when it is removed);
3. its creator is gone: the tag's record is this user's, counts its pid in this process's pid
   namespace, and no process has that pid now, or one that started at another time. A record of
   another user, of another pid namespace, or one that cannot be read, means "cannot judge": its
   names stay.

A tag without a record cannot be judged either: a creator publishes its record before its first
segment and removes it only once none remain, so such names are another program's, or those of a
process in another pid namespace. So a Python creator, claiming a tag, removes a record only when
the rule finds its creator gone, then takes that tag and removes this user's segments under it
(leftovers of that gone holder; another user's stay; under a tag that had no record, none); a tag held by something it may not remove makes it try the next tag, and
with all 37 held it fails saying so. At exit it removes its record only while the record is still
its own and none of this user's segments under its tag remain (the sweep judges those by it). An
owner's unlink removes only the file it mapped (``unlink``), not a later one of the same name.
``ferry shm clean`` (Java's Sweep) follows the same rule for the segments of gone creators.
"""
import collections
import os
import re
import secrets
import stat
import threading

from ._errors import FerryError

DIRECTORY = "/dev/shm"
PREFIX = "fy"
GENERATED_LENGTH = 14
MIN_RANDOM = 4
PLAIN = -1
VARIANTS = 36
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_TAG = r"([0-9a-z]{1,6})(?:-([0-9a-z]))?"
_TAG_TEXT = re.compile(_TAG)
_SEGMENT = re.compile(PREFIX + r"([0-9a-z-]{1,8})_[0-9a-z]{1,12}")
_RECORD = re.compile(PREFIX + "(" + _TAG + r")\.pid")
_DRAFT = re.compile(_RECORD.pattern + r"\.[0-9a-z]{1,13}\.draft")   # Java's, io.ferry.shm.CreatorTag
_RECORD_TEXT = re.compile(r"pid=(\d+) start=(-?\d+) pidns=(\S+)\n")
_RECORD_MAX_BYTES = 128


def _base36(n):
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = _DIGITS[r] + s
        if n == 0:
            return s


class Tag(collections.namedtuple("Tag", "pid variant")):
    """A creator tag: ``pid`` in its own pid namespace, and ``variant`` (PLAIN, or 0 to 35 for the
    variant ``-0`` … ``-z``)."""
    __slots__ = ()

    @staticmethod
    def candidates(pid):
        """The tags a process with ``pid`` may take, in the order it tries them."""
        tags = (Tag(pid, v) for v in range(PLAIN, VARIANTS))
        return [t for t in tags if t.random_length() >= MIN_RANDOM]

    @staticmethod
    def parse(text):
        """The tag ``text`` spells (``1k2j``, ``1k2j-3``), or None."""
        m = _TAG_TEXT.fullmatch(text)
        if not m:
            return None
        pid = int(m.group(1), 36)
        variant = PLAIN if m.group(2) is None else int(m.group(2), 36)
        return Tag(pid, variant) if pid > 0 else None

    def text(self):
        p = _base36(self.pid)
        return p if self.variant == PLAIN else p + "-" + _DIGITS[self.variant]

    def segment_prefix(self):
        """How every segment name of this tag starts, e.g. ``fy1k2j_``."""
        return PREFIX + self.text() + "_"

    def record_name(self):
        """The file name of this tag's creator record, e.g. ``fy1k2j.pid``."""
        return PREFIX + self.text() + ".pid"

    def random_length(self):
        return GENERATED_LENGTH - len(self.segment_prefix())


def tag_of_segment(name):
    """The creator tag of the segment ``name``, or None when Ferry does not make such names."""
    m = _SEGMENT.fullmatch(name)
    if not m or len(name) > GENERATED_LENGTH:
        return None
    return Tag.parse(m.group(1))


def is_record(file_name):
    """Whether ``file_name`` is named as a creator record (``fy<tag>.pid``) or the draft of one Java
    writes (``fy<tag>.pid.<n>.draft``), which are no segments."""
    return _RECORD.fullmatch(file_name) is not None or _DRAFT.fullmatch(file_name) is not None


def tag_of_record(file_name):
    """The tag whose creator record ``file_name`` is, or None."""
    m = _RECORD.fullmatch(file_name)
    return Tag.parse(m.group(1)) if m else None


# --- the files: looked at without following symlinks, removed only while still the file judged ---

Entry = collections.namedtuple("Entry", "name inode uid")
Entry.__doc__ = """A regular file of /dev/shm as it was looked at: its name, inode and owner (which tell it
apart from a later file of the same name)."""


def entry(directory, name):
    """The regular file ``name`` in ``directory``, or None (absent, or a symlink, directory, …)."""
    try:
        st = os.lstat(os.path.join(directory, name))
    except FileNotFoundError:
        return None
    return Entry(name, st.st_ino, st.st_uid) if stat.S_ISREG(st.st_mode) else None


def entry_of_fd(name, fd):
    """The file open as ``fd``, under ``name``."""
    st = os.fstat(fd)
    return Entry(name, st.st_ino, st.st_uid)


def unlink(directory, file):
    """Removes ``file``'s name if ``file`` is this user's and the name still names it (same inode
    and owner). Another user's file is never removed, even by root. Returns whether it was removed.

    Between the look and the removal another process could still swap the file, but only one of
    this user (or root), as /dev/shm is sticky; what this guards against is a name removed and made
    again, by anyone, since ``file`` was seen."""
    if file.uid != os.geteuid():
        return False
    now = entry(directory, file.name)
    if now is None or now.inode != file.inode or now.uid != file.uid:
        return False
    try:
        os.unlink(os.path.join(directory, file.name))
        return True
    except FileNotFoundError:
        return False


def _own_segments(directory, tag):
    """This user's segments under ``tag``."""
    me = os.geteuid()
    for name in os.listdir(directory):
        if tag_of_segment(name) == tag:
            e = entry(directory, name)
            if e is not None and e.uid == me:
                yield e


# --- creators and their records ------------------------------------------------------------------

Identity = collections.namedtuple("Identity", "start pidns")
Identity.__doc__ = "A process as the kernel knows it: its start time (clock ticks after boot) and pid namespace."

Foreign = collections.namedtuple("Foreign", "why")
Foreign.__doc__ = """What a tag's record name holds when this process cannot judge by it: another user's file
(which could say anything), not a regular file, or not a record of the tag's pid."""

Found = collections.namedtuple("Found", "creator file")
Found.__doc__ = "A record of this user: the creator (an Identity) and the file (an Entry, to remove exactly it)."

UNKNOWN_NAMESPACE = "unknown"


def _own_namespace():
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return UNKNOWN_NAMESPACE


OWN_NAMESPACE = _own_namespace()   # a fork stays in its parent's pid namespace


def running(pid):
    """The Identity of the running process ``pid`` (in this pid namespace), or None when there is
    none, or a zombie."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            text = f.read().decode("ascii", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    except OSError:
        # No /proc: whether the pid exists, with no start time to compare (no guard against reuse).
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return Identity(-1, OWN_NAMESPACE)
    # The command name (field 2) is in parentheses and may hold spaces and ')'.
    fields = text[text.rindex(")") + 2:].split(" ")
    if fields[0][:1] in ("Z", "X", "x"):
        return None
    return Identity(int(fields[19]), OWN_NAMESPACE)


def own_identity():
    me = running(os.getpid())
    if me is None:
        raise FerryError("cannot read this process's own entry in /proc")
    return me


def record_text(pid, identity):
    """A creator record's text: ``pid=… start=… pidns=…`` and a newline."""
    return "pid=%d start=%d pidns=%s\n" % (pid, identity.start, identity.pidns)


def read_record(directory, tag):
    """What ``directory`` holds under ``tag``'s record name: None (no record: nobody holds the
    tag), Foreign or Found."""
    path = os.path.join(directory, tag.record_name())
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return Foreign("%s is not a regular file" % path)
        if st.st_uid != os.geteuid():
            return Foreign("%s belongs to user %d" % (path, st.st_uid))
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            opened = os.fstat(fd)
            if (opened.st_ino, opened.st_dev, opened.st_uid) != (st.st_ino, st.st_dev, st.st_uid):
                return Foreign("%s changed while it was read" % path)
            data = os.read(fd, _RECORD_MAX_BYTES + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        return None
    except OSError as e:
        return Foreign("cannot read %s: %s" % (path, e.strerror))
    m = _RECORD_TEXT.fullmatch(data.decode("ascii", "replace"))
    if len(data) > _RECORD_MAX_BYTES or not m or int(m.group(1)) != tag.pid:
        return Foreign("%s is not a creator record of pid %d" % (path, tag.pid))
    return Found(Identity(int(m.group(2)), m.group(3)), Entry(tag.record_name(), st.st_ino, st.st_uid))


def publish_record(directory, tag, identity):
    """Publishes ``identity``'s record as ``tag``'s, whole or not at all, unless the name exists.
    Returns whether it was published (False: the name is taken). Raises OSError when ``directory``
    does not let this process create files."""
    path = os.path.join(directory, tag.record_name())
    text = record_text(tag.pid, identity).encode("ascii")
    try:
        fd = os.open(directory, os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, 0o600)
    except (AttributeError, OSError):
        fd = -1   # no O_TMPFILE here (an old kernel, another file system): the plain way below
    if fd >= 0:
        try:
            _write_all(fd, text)
            dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                # src_dir_fd makes os.link call linkat(2), which follows /proc/self/fd/N to the
                # open file (plain link(2) would not); the absolute path ignores the descriptor.
                os.link("/proc/self/fd/%d" % fd, path, src_dir_fd=dir_fd, follow_symlinks=True)
            finally:
                os.close(dir_fd)
            return True
        except FileExistsError:
            return False
        finally:
            os.close(fd)
    # A reader can see this file empty for a moment, and a kill in that moment leaves it so: such
    # a record cannot be judged, and its tag is not taken again.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        return False
    try:
        _write_all(fd, text)
    finally:
        os.close(fd)
    return True


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# --- the rule ------------------------------------------------------------------------------------

RUNNING = "running"
GONE = "gone"
UNKNOWN = "unknown"


def creator(reading, tag):
    """Whether the creator of ``tag``'s names still runs (RUNNING, GONE, or UNKNOWN: not this
    process's to judge), from the record ``reading`` (a Foreign or Found)."""
    if not isinstance(reading, Found):
        return UNKNOWN
    recorded = reading.creator
    if OWN_NAMESPACE == UNKNOWN_NAMESPACE or recorded.pidns != OWN_NAMESPACE:
        return UNKNOWN   # its pid means another process here, or nothing
    now = running(tag.pid)
    if now is None:
        return GONE
    if recorded.start >= 0 and now.start >= 0 and recorded.start != now.start:
        return GONE      # the pid was reused by a later process
    return RUNNING


def remove_record_if_gone(directory, tag):
    """Removes ``tag``'s record if it is this user's and its creator is gone, judged now. Returns
    whether it was removed."""
    r = read_record(directory, tag)
    return isinstance(r, Found) and creator(r, tag) == GONE and unlink(directory, r.file)


def sweep_gone(pid, directory=DIRECTORY):
    """Removes what the process ``pid`` (a child this process reaped: a Ferry JVM killed by
    ``kill -9``) left under its tags, judged as a sweep judges it: this user's segments, and then
    the record, of every tag whose record says its creator is gone. Errors are left to a sweep."""
    try:
        for tag in Tag.candidates(pid):
            r = read_record(directory, tag)
            if isinstance(r, Found) and creator(r, tag) == GONE:
                for e in list(_own_segments(directory, tag)):
                    unlink(directory, e)
                unlink(directory, r.file)
    except (OSError, FerryError):
        pass


_claimed = None                 # (pid, Tag): the tag this process claimed; a forked child claims its own
_claim_lock = threading.Lock()


def _after_fork():
    global _claim_lock
    _claim_lock = threading.Lock()   # another thread of the parent may have held it


os.register_at_fork(after_in_child=_after_fork)


def claimed():
    """The tag this process claimed, or None if it made no segment yet."""
    c = _claimed
    return c[1] if c is not None and c[0] == os.getpid() else None


def claim(directory=DIRECTORY):
    """This process's creator tag, claimed on the first call (again after a fork) by publishing its
    record: its pid's tag, or when something it may not remove holds that, the first variant free.
    A record whose creator is gone is removed and its tag taken, with this user's segments under it;
    names under a tag that had no record stay.
    Raises FerryError when every tag is held, or no record can be written."""
    global _claimed
    with _claim_lock:
        tag = claimed()
        if tag is not None:
            return tag
        pid = os.getpid()
        me = own_identity()
        held = []
        for tag in Tag.candidates(pid):
            # A few tries: the holder may release the tag, or another process take it, meanwhile.
            removed_gone = False
            for _ in range(3):
                try:
                    published = publish_record(directory, tag, me)
                except OSError as e:
                    raise FerryError("cannot write this process's creator record %s: %s"
                                     % (os.path.join(directory, tag.record_name()), e.strerror or e)) from None
                if published:
                    if removed_gone:
                        _remove_leftovers(directory, tag)
                    _claimed = (pid, tag)
                    return tag
                if remove_record_if_gone(directory, tag):
                    removed_gone = True
                elif read_record(directory, tag) is not None:
                    held.append(tag.record_name())
                    break
        raise FerryError("no creator tag free for this process (pid %d) in %s: the records %s are held by running"
                         " processes, other users or other pid namespaces, or cannot be read; 'ferry shm list' shows"
                         " this user's segments and whether their creators run"
                         % (pid, directory, "%s … %s" % (held[0], held[-1]) if len(held) > 2 else ", ".join(held)))


def _remove_leftovers(directory, tag):
    # The segments under a tag just claimed, after its gone holder's record was removed, are that
    # holder's leftovers: a holder keeps its record while it runs, and publishing is exclusive.
    # This user's are removed; another user's stay (not ours).
    try:
        for e in list(_own_segments(directory, tag)):
            unlink(directory, e)
    except OSError:
        pass   # not this process's to fail for: what stays is judged with its record after it exits


def release(directory=DIRECTORY):
    """At exit: removes this process's record once none of this user's segments under its tag
    remain (a sweep judges those by it), and only while the record is still this process's."""
    tag = claimed()
    if tag is None:
        return
    try:
        if any(True for _ in _own_segments(directory, tag)):
            return
        r = read_record(directory, tag)
        if isinstance(r, Found) and r.creator == own_identity():
            unlink(directory, r.file)
    except (OSError, FerryError):
        pass


def fresh_name(tag):
    """A new segment name under ``tag``, e.g. ``fy1k2j_8c0x3a9z``."""
    return tag.segment_prefix() + "".join(secrets.choice(_DIGITS) for _ in range(tag.random_length()))
