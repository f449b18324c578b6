"""Other users and other pid namespaces on one /dev/shm: a Python creator never removes their names
or creator records, and still creates its own segments (under another creator tag); a Java and a
Python process that think they have the same pid never take the same tag.

Each Python creator here is a child run as a chosen pid of a new pid namespace that shares this
one's /dev/shm, as a container of the same pod does (``unshare``, needing root), so that the test
knows its pid before it starts and can plant names under it, or start two with the same pid. What a
child in another namespace leaves cannot be swept from here (its record names its own namespace),
so each test removes its pid's files itself."""
import os
import random
import re
import signal
import subprocess
import sys
import threading

import pytest

from ferry import _command, _names
from conftest import EXAMPLES, PYTHON_DIR, ferry_cmd, listed_as, segments_of

DEV_SHM = "/dev/shm"
NOBODY = 65534
ORDINARY_UID = 4242          # not root, not nobody (whose files the tests plant)
LIMIT = 60                   # seconds any child may take

# A Python creator: makes a segment it owns (its exit removes it) and one it hands over (left for a
# receiver or a sweep), prints both names, and in "hold" mode waits for its standard input to end.
CREATOR = ("import ferry, sys\n"
           "owned = ferry.SharedArray('<i8', (4,)); owned[:] = 7\n"
           "handed = ferry.SharedArray('<i8', (4,)); handed[:] = 8; handed.disown()\n"
           "print(owned.segment_name); print(handed.segment_name, flush=True)\n"
           "if sys.argv[1] == 'hold':\n"
           "    print('ready', flush=True); sys.stdin.read()\n")


def require_root():
    if os.geteuid() != 0:
        pytest.skip("needs root to give files to another user and to make pid namespaces")


_namespaces = None


def in_pid_namespace(pid, command):
    """``command`` run as process ``pid`` of a new pid namespace (util-linux's unshare, root): the
    namespace's first process, a shell, sets ``ns_last_pid`` and forks the command, which so gets
    ``pid``. Killing the unshare process kills the namespace and everything in it."""
    global _namespaces
    if _namespaces is None:
        try:
            _namespaces = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "true"],
                                         capture_output=True, timeout=LIMIT).returncode == 0
        except OSError:
            _namespaces = False
    if not _namespaces:
        if os.environ.get("CI") == "true" and os.geteuid() == 0:
            pytest.fail("cannot run a process in a new pid namespace (util-linux's unshare)")
        pytest.skip("needs root and util-linux's unshare to run a process in a new pid namespace")
    # "exit $?" keeps the shell from exec'ing the command as an optimisation (it must fork it).
    return ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "sh", "-c",
            'echo %d > /proc/sys/kernel/ns_last_pid && "$@"; exit $?' % (pid - 1), "sh", *command]


def ordinary_user():
    """A command prefix that runs a command as uid 4242 (root may remove any file of /dev/shm,
    whatever its sticky bit). It keeps CAP_DAC_READ_SEARCH alone, to read a checkout under /root."""
    return ["setpriv", "--reuid=%d" % ORDINARY_UID, "--regid=%d" % ORDINARY_UID, "--clear-groups",
            "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]


def random_pid():
    """A pid no process here has and no name in /dev/shm carries, so that what a test plants or
    removes under it is never another run's; random, so concurrent runs rarely pick the same."""
    while True:
        pid = random.randrange(2000, 60000)
        if not os.path.exists("/proc/%d" % pid) and not segments_of(pid):
            return pid


def remove_everything_of(pid):
    for n in segments_of(pid):
        try:
            os.unlink(os.path.join(DEV_SHM, n))
        except FileNotFoundError:
            pass


def tag_text(pid):
    return _names.Tag(pid, _names.PLAIN).text()


class Planted:
    """Files of user nobody under ``pid``'s names, planted before the creator starts."""

    def __init__(self, names):
        self.files = {}
        for name, data in names.items():
            path = os.path.join(DEV_SHM, name)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                os.write(fd, data)
                os.fchown(fd, NOBODY, NOBODY)
            finally:
                os.close(fd)
            self.files[path] = data

    @staticmethod
    def record_and_segment(pid):
        """A record and a segment of user nobody, named as Ferry names those of ``pid``."""
        return Planted({"fy%s.pid" % tag_text(pid): b"pid=%d start=4242 pidns=pid:[4026531836]\n" % pid,
                        "fy%s_planted" % tag_text(pid): b"\x5a" * 64})

    def assert_untouched(self):
        for path, data in self.files.items():
            assert os.path.lexists(path), path + " was removed"
            st = os.lstat(path)
            assert st.st_uid == NOBODY, path + "'s owner"
            with open(path, "rb") as f:
                assert f.read() == data, path + "'s contents"


class Child:
    """A process run as pid ``pid`` of a new pid namespace; killed with its namespace if it still
    runs after twice LIMIT, so that no read of its output waits for ever."""

    def __init__(self, pid, command, env=None):
        self.pid = pid
        self.process = subprocess.Popen(in_pid_namespace(pid, command), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.watchdog = threading.Timer(2 * LIMIT, self.process.kill)
        self.watchdog.daemon = True
        self.watchdog.start()
        self.names = []
        self.err = ""

    @staticmethod
    def python(pid, mode, wrapper=(), code=CREATOR):
        """A Python creator (``CREATOR``) as pid ``pid``, under ``wrapper`` (a user, a shell)."""
        env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR), PYTHONDONTWRITEBYTECODE="1")
        return Child(pid, [*wrapper, sys.executable, "-c", code, mode], env)

    def await_ready(self):
        """Reads the two names a holding creator prints before ``ready``; returns them."""
        for line in self.process.stdout:
            if line.strip() == "ready":
                break
            self.names.append(line.strip())
        assert len(self.names) == 2, "the child printed %s; stderr: %s" % (self.names, self.kill_and_read_stderr())
        return list(self.names)

    def await_exit(self):
        try:
            out, self.err = self.process.communicate(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail("the child did not exit within %d s" % LIMIT)
        self.names += [l for l in out.splitlines() if l != "ready"]
        return self

    def assert_created_and_exited(self):
        """Exit 0, silent, the owned segment removed at exit, the handed-over one left."""
        assert self.process.returncode == 0, "exit code %s; stderr: %s" % (self.process.returncode, self.err)
        assert len(self.names) == 2, "names printed: %s; stderr: %s" % (self.names, self.err)
        for n in self.names:
            assert len(n) <= _names.GENERATED_LENGTH and _names.tag_of_segment(n) is not None, n
            assert _names.tag_of_segment(n).pid == self.pid, n
        assert self.err == "", self.err
        assert not os.path.exists(os.path.join(DEV_SHM, self.names[0])), "the exit removed the owned segment"
        assert os.path.exists(os.path.join(DEV_SHM, self.names[1])), "the handed-over segment waits"

    def handed_over(self):
        return self.names[1]

    def kill(self):
        """Kills the namespace (SIGKILL to unshare, which kills its child)."""
        self.kill_and_read_stderr()

    def kill_and_read_stderr(self):
        self.watchdog.cancel()
        self.process.kill()
        return self.process.communicate(timeout=LIMIT)[1]


# A Python creator that made a segment and removed it: it holds its tag's record, and no segment.
EMPTY_CREATOR = ("import ferry, sys\n"
                 "a = ferry.SharedArray('<i8', (4,)); print(a.segment_name, flush=True); a.close()\n"
                 "print('ready', flush=True); sys.stdin.read()\n")


def record_of(name):
    """The text of the creator record of the segment ``name``'s tag."""
    with open(os.path.join(DEV_SHM, _names.tag_of_segment(name).record_name())) as f:
        return f.read()


@pytest.mark.parametrize("user", ["root", "an ordinary user"])
def test_another_users_record_and_segment_under_its_pid_are_left_and_it_still_creates(user):
    # As root the old start-up removed every fy<pid>_… name and the record fy<pid>.pid, whoever
    # they belonged to; as an ordinary user it failed with "Operation not permitted" on them.
    require_root()
    pid = random_pid()
    try:
        planted = Planted.record_and_segment(pid)
        c = Child.python(pid, "exit", ordinary_user() if user == "an ordinary user" else ()).await_exit()
        c.assert_created_and_exited()
        planted.assert_untouched()
        assert _names.tag_of_segment(c.handed_over()) == _names.Tag(pid, 0), "the first variant: " + c.handed_over()
        record = os.path.join(DEV_SHM, "fy%s-0.pid" % tag_text(pid))
        assert os.lstat(record).st_uid == (ORDINARY_UID if user == "an ordinary user" else 0)
        assert re.fullmatch(r"pid=%d start=\d+ pidns=pid:\[\d+\]\n" % pid, record_of(c.handed_over()))
    finally:
        remove_everything_of(pid)


def test_with_every_tag_of_its_pid_held_it_fails_saying_so_and_touches_none():
    require_root()
    pid = random_pid()
    try:
        tags = _names.Tag.candidates(pid)
        assert len(tags) == 37
        planted = Planted({t.record_name(): b"pid=%d start=1 pidns=pid:[1]\n" % pid for t in tags})
        c = Child.python(pid, "exit").await_exit()
        assert c.process.returncode == 1, c.err
        t = "fy" + tag_text(pid)
        assert ("ferry._errors.FerryError: no creator tag free for this process (pid %d) in /dev/shm: the records"
                " %s.pid … %s-z.pid are held by running processes, other users or other pid namespaces, or cannot"
                " be read" % (pid, t, t)) in c.err, c.err
        planted.assert_untouched()
        assert segments_of(pid) == sorted(os.path.basename(p) for p in planted.files), "the planted records, nothing else"
    finally:
        remove_everything_of(pid)


def test_two_python_processes_with_the_same_pid_in_two_namespaces_keep_each_others_segments():
    # Two containers of one pod share /dev/shm, and their processes can have the same pid: the
    # second used to remove the first one's live segments and its creator record.
    require_root()
    pid = random_pid()
    first = None
    try:
        first = Child.python(pid, "hold")
        first_names = first.await_ready()
        first_record = _names.tag_of_segment(first_names[0]).record_name()
        first_files = segments_of(pid)
        assert first_files == sorted(first_names + [first_record]), first_files
        contents = {n: open(os.path.join(DEV_SHM, n), "rb").read() for n in first_files}

        second = Child.python(pid, "exit").await_exit()
        second.assert_created_and_exited()
        for n, data in contents.items():
            assert os.path.exists(os.path.join(DEV_SHM, n)), "the second process removed the first one's " + n
            assert open(os.path.join(DEV_SHM, n), "rb").read() == data, n
        first_tag = _names.tag_of_segment(first_names[0])
        assert _names.tag_of_segment(second.handed_over()) not in (first_tag, None), second.handed_over()
        records = [n for n in segments_of(pid) if n.endswith(".pid")]
        assert len(records) == 2, "each kept its own record: %s" % records
        namespaces = {open(os.path.join(DEV_SHM, r)).read().split("pidns=")[1] for r in records}
        assert len(namespaces) == 2, "two namespaces: %s" % namespaces
    finally:
        if first is not None:
            first.kill()
        remove_everything_of(pid)


def test_at_exit_a_creator_leaves_a_record_that_is_no_longer_its_own():
    # Its record removed by hand, the same pid in another namespace took the tag: the first one's
    # exit used to remove whatever record had its pid's name, though none of its segments remained.
    require_root()
    pid = random_pid()
    first = second = None
    try:
        first = Child.python(pid, "hold", code=EMPTY_CREATOR)
        for line in first.process.stdout:
            if line.strip() == "ready":
                break
        record = os.path.join(DEV_SHM, "fy%s.pid" % tag_text(pid))
        os.unlink(record)
        second = Child.python(pid, "hold", code=EMPTY_CREATOR)
        for line in second.process.stdout:
            if line.strip() == "ready":
                break
        with open(record) as f:
            second_record = f.read()
        first.process.stdin.close()
        assert first.process.wait(LIMIT) == 0, first.process.stderr.read()
        assert os.path.exists(record), "the first one's exit removed the second one's record"
        with open(record) as f:
            assert f.read() == second_record
        second.process.stdin.close()
        assert second.process.wait(LIMIT) == 0, second.process.stderr.read()
        assert not os.path.exists(record), "its own record, with no segment left, goes at exit"
    finally:
        for c in (first, second):
            if c is not None and c.process.poll() is None:
                c.kill()
        remove_everything_of(pid)


def test_a_stale_record_of_this_user_and_namespace_is_replaced_and_only_this_users_segments_go():
    # What the rule allows is still done: a record of this user and namespace whose creator is gone
    # is replaced and this user's segments under its tag removed, but not another user's there.
    require_root()
    pid = random_pid()
    tag = "fy" + tag_text(pid)
    stale = tag + "_stale1"
    try:
        others = Planted({tag + "_nobody": b"\x5a" * 64})
        # Written inside the child's namespace just before Python starts as the same pid: the
        # recorded start time (1 tick after boot) is not Python's, so its creator is gone.
        plant = ("printf 'pid=%%s start=1 pidns=%%s\\n' %d \"$(readlink /proc/self/ns/pid)\" > %s/%s.pid"
                 " && : > %s/%s && exec \"$@\"" % (pid, DEV_SHM, tag, DEV_SHM, stale))
        c = Child.python(pid, "exit", ["sh", "-c", plant, "sh"]).await_exit()
        c.assert_created_and_exited()
        assert not os.path.exists(os.path.join(DEV_SHM, stale)), "the dead creator's segment of this user went"
        others.assert_untouched()
        assert c.handed_over().startswith(tag + "_"), "the pid's own tag, its record being stale: " + c.handed_over()
        with open(os.path.join(DEV_SHM, tag + ".pid")) as f:
            record = f.read()
        assert record.startswith("pid=%d start=" % pid) and not record.startswith("pid=%d start=1 " % pid), record
    finally:
        remove_everything_of(pid)


def test_names_without_a_record_under_its_pid_are_left():
    # A name that looks like Ferry's but has no record is another program's, or another pid
    # namespace's (the host's fy1_... seen from a container's pid 1): taking the tag removed it.
    require_root()
    pid = random_pid()
    tag = "fy" + tag_text(pid)
    theirs = os.path.join(DEV_SHM, _names.fresh_name(_names.Tag(pid, _names.PLAIN)))
    try:
        with open(theirs, "xb") as f:
            f.write(b"someone else's")
        c = Child.python(pid, "exit").await_exit()
        c.assert_created_and_exited()
        assert c.handed_over().startswith(tag + "_"), "the pid's own tag, which had no record: " + c.handed_over()
        with open(theirs, "rb") as f:
            assert f.read() == b"someone else's", "the name without a record stays"
    finally:
        remove_everything_of(pid)


def test_a_killed_python_creator_under_a_variant_tag_is_listed_by_its_pid_and_swept():
    # Java's `ferry shm list` and `clean` judge a Python creator's segments by the record Python
    # published, here under a variant tag, another user's record holding its pid's own.
    require_root()
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    p = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.readline()\n" + CREATOR, "hold"], env=env,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        planted = Planted({"fy%s.pid" % tag_text(p.pid): b"pid=%d start=4242 pidns=pid:[4026531836]\n" % p.pid})
        p.stdin.write("go\n")
        p.stdin.flush()
        owned, handed = p.stdout.readline().strip(), p.stdout.readline().strip()
        assert p.stdout.readline().strip() == "ready", p.stderr.read() if p.poll() is not None else ""
        assert _names.tag_of_segment(owned) == _names.Tag(p.pid, 0), owned
        for name in (owned, handed):
            assert listed_as(name) == (p.pid, "running")
        p.send_signal(signal.SIGKILL)
        p.wait(LIMIT)
        for name in (owned, handed):
            assert listed_as(name) == (p.pid, "exited")
        r = ferry_cmd("shm", "clean", "--creator", p.pid)
        assert r.returncode == 0, r.stderr
        assert "removed 2 segments" in r.stdout, r.stdout
        planted.assert_untouched()
        assert segments_of(p.pid) == ["fy%s.pid" % tag_text(p.pid)], "the variant's record went, the planted one stayed"
    finally:
        p.kill()
        p.wait()
        remove_everything_of(p.pid)


@pytest.mark.parametrize("first", ["java", "python"])
def test_a_java_and_a_python_process_with_the_same_pid_never_share_a_tag(first):
    require_root()
    pid = random_pid()
    # Two JVMs of one pid would share /tmp's hsperfdata file (containers would not): without it.
    env = dict(os.environ, FERRY_JAVA_OPTS="-XX:-UsePerfData")
    java_command = [_command.launcher(), "share", str(EXAMPLES / "sample1.txt"), "--dtype",
                    "chr:S10,pos:i4,pct:f4,c:i4,t:i4"]
    java = python = None
    try:
        if first == "java":
            java = Child(pid, java_command, env)
            java_name = java.process.stdout.readline()
            python = Child.python(pid, "exit").await_exit()
            python.assert_created_and_exited()
            python_names = python.names
        else:
            python = Child.python(pid, "hold")
            python_names = python.await_ready()
            java = Child(pid, java_command, env)
            java_name = java.process.stdout.readline()
        assert '"name"' in java_name, "ferry share printed %r; stderr: %s" % (java_name, java.kill_and_read_stderr())
        java_name = re.search(r'"name": ?"([^"]+)"', java_name).group(1)
        java_tag = _names.tag_of_segment(java_name)
        python_tag = _names.tag_of_segment(python_names[0])
        assert java_tag.pid == python_tag.pid == pid
        assert java_tag != python_tag, "one tag for two processes: %s, %s" % (java_name, python_names)
        for n in [java_name, python_names[1], java_tag.record_name(), python_tag.record_name()]:
            assert os.path.exists(os.path.join(DEV_SHM, n)), n + " was removed"
        assert record_of(java_name).split("pidns=")[1] != record_of(python_names[1]).split("pidns=")[1]
        java.process.stdin.write("done\n")
        java.process.stdin.flush()
        assert java.process.wait(LIMIT) == 0, java.process.stderr.read()
        assert not os.path.exists(os.path.join(DEV_SHM, java_name))
        assert not os.path.exists(os.path.join(DEV_SHM, java_tag.record_name())), "Java's exit removed its own record"
        assert os.path.exists(os.path.join(DEV_SHM, python_tag.record_name())), "and not Python's"
    finally:
        for c in (java, python):
            if c is not None and c.process.poll() is None:
                c.kill()
        remove_everything_of(pid)
