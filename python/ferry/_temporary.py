"""The temporary output a ``ferry`` process killed outright leaves beside its target, removed by
the Python that ran it, as the next writer of the same target would remove it.

A conversion writes ``.NAME.HOST-PID-RANDOM.ferry-tmp`` in the target's folder and renames it over
the target at the end; a JVM stopped in order removes it, one killed by SIGKILL cannot. Its name
says which host and process made it (Java's ``io.ferry.file.OutputFile``): a file of this host
and pid namespace whose process no longer runs is a dead writer's. Another host's (a shared file
system), another container's, or a live process's file is never touched."""

import errno
import os

_SUFFIX = ".ferry-tmp"
# The bytes of a target's name the temporary name holds whole: longer names are cut and hashed
# there, and are left to the next writer (OutputFile.STEM_MAX: 255 - 2 - 34 - len(_SUFFIX)).
_STEM_MAX = 255 - 2 - 34 - len(_SUFFIX)


def sweep(target):
    """Removes the temporary files of ``target`` that dead processes of this host left; returns
    their paths. Nothing it cannot list or remove is an error: the next writer tries again."""
    try:
        real = os.path.realpath(os.fsdecode(os.fspath(target)))
    except (TypeError, ValueError):
        return []   # no path: the call was refused before any file was made
    folder, name = os.path.split(real)
    if len(os.fsencode(name)) > _STEM_MAX:
        return []
    prefix = "." + name + "."
    host = _host()
    removed = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return []
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(_SUFFIX)):
            continue
        parts = entry[len(prefix):-len(_SUFFIX)].split("-")
        if len(parts) != 3 or parts[0] != host:
            continue
        try:
            pid = int(parts[1], 16)
        except ValueError:
            continue
        if pid > 0 and not _alive(pid):
            try:
                os.unlink(os.path.join(folder, entry))
                removed.append(os.path.join(folder, entry))
            except OSError:
                pass   # another sweep got there first, or not ours to remove
    return removed


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError as e:
        return e.errno != errno.ESRCH   # EPERM: another user's process, alive
    return True


def _host():
    """This host's name and pid namespace, hashed as the JVM hashes them (``String.hashCode``, in
    hex): the ``HOST`` of a temporary name made here."""
    try:
        with open("/proc/sys/kernel/hostname") as f:
            host = f.read().strip()
    except OSError:
        host = os.environ.get("HOSTNAME", "localhost")
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    units = (host + " " + namespace).encode("utf-16-be", "surrogatepass")
    h = 0
    for i in range(0, len(units), 2):
        h = (31 * h + (units[i] << 8 | units[i + 1])) & 0xFFFFFFFF
    return format(h, "x")
