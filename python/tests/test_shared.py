"""Shared arrays between Python and Ferry's Java side, both ways; close() and garbage collection;
what is left in /dev/shm when processes are killed or interrupted."""
import gc
import json
import re
import os
import signal
import sys
import warnings
import subprocess
import time

import numpy as np
import pytest

import ferry
from ferry import _command, _names
from conftest import EXAMPLES, METHYLATION, ROOT, ferry_cmd, generate, listed_as, run_python, segments_of, start_python, \
    wait_gone


def test_close_refuses_while_views_exist_and_then_releases():
    a = ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    expected = np.loadtxt(EXAMPLES / "sample1.txt", dtype=METHYLATION, ndmin=1)
    for make_view in (lambda x: x[10:], lambda x: x["pos"], lambda x: np.asarray(x), lambda x: x.view(np.ndarray)[2:],
                      lambda x: x.reshape(-1, 1)[3:].T):
        v = make_view(a)
        with pytest.raises(BufferError, match="views of it still exist"):
            a.close()
        del v
    assert a.tobytes() == expected.tobytes(), "a refused close changed nothing"
    name = a.segment_name
    a.close()
    assert a.closed
    with pytest.raises(ValueError, match="closed"):
        a["pos"]
    with pytest.raises(ValueError, match="closed"):
        a + 1
    with pytest.raises(ValueError, match="closed"):
        np.sum(a)
    with pytest.raises(ValueError, match="closed"):
        len(a)
    assert np.asarray(a).size == 0, "what takes the buffer straight finds it empty, never freed memory"
    assert repr(a) == "ferry.SharedArray(closed)"
    a.close()   # a second time does nothing
    with open("/proc/self/maps") as f:
        assert name not in f.read(), "the segment is no longer mapped"


def _pages_held(inode):
    """The bytes this process keeps alive of the deleted /dev/shm file ``inode`` through a
    descriptor (Python's mmap keeps one before 3.13)."""
    held = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            st = os.stat("/proc/self/fd/" + fd)
        except OSError:
            continue
        if st.st_ino == inode and st.st_dev == os.stat("/dev/shm").st_dev:
            held += st.st_blocks * 512
    return held


def test_close_frees_the_memory_at_once_while_the_closed_array_lives(tmp_path):
    # Python 3.11's mmap keeps a descriptor of the file: its pages stayed until the closed array
    # object was collected (127 MB for the 5M-line table), not at close() as promised.
    path = tmp_path / "t.txt"
    generate(path, 200_000)
    a = ferry.loadtxt(path, METHYLATION)
    inode = a._ferry.file.inode
    m = memoryview(a)    # a holder close cannot see: it reads zeros after, never freed memory
    a.close()
    assert _pages_held(inode) == 0
    assert not any(m[:1000].tobytes())
    del m
    # an array attached from a segment others still use is not cut under them
    with ferry.share(np.arange(100_000)) as mine:
        with ferry.attach(mine.handle) as theirs:
            pass
        assert mine[-1] == 99_999


def test_a_forked_child_reads_the_array_after_the_parent_closed_it():
    # close() cut the segment's file to free its memory at once, while a child made by fork (a
    # multiprocessing Pool's worker, the usual way to share a large array) still mapped it: the
    # child's next read was SIGBUS, and a Pool waited for ever. In a child interpreter, with a limit.
    r = run_python(
        "import os, sys, ferry\n"
        "a = ferry.loadtxt(sys.argv[1], [('chr','S10'),('pos','<i4'),('pct','<f4'),('c','<i4'),('t','<i4')])\n"
        "expected = int(a['pos'].sum())\n"
        "r, w = os.pipe()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os.close(w); os.read(r, 1)\n"
        "    os._exit(0 if int(a['pos'].sum()) == expected else 3)\n"
        "a.close()\n"
        "os.write(w, b'x')\n"
        "_, status = os.waitpid(pid, 0)\n"
        "print(os.waitstatus_to_exitcode(status))\n", str(EXAMPLES / "sample1.txt"), timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "0", "the child's exit (-7 is SIGBUS): " + r.stdout


def test_running_out_of_descriptors_is_said_in_ferrys_words():
    # before 3.13 a mapping holds a descriptor until collected, a closed one too: code that kept
    # closed arrays ran out with a bare OSError from mmap
    r = run_python("import resource, sys, ferry\n"
                   "resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48))\n"
                   "keep = []\n"
                   "try:\n"
                   "    for i in range(80):\n"
                   "        a = ferry.loadtxt(sys.argv[1], 'chr:S10,pos:i4,pct:f4,c:i4,t:i4'); a.close(); keep.append(a)\n"
                   "    print('no limit met')\n"
                   "except ferry.FerryError as e:\n"
                   "    print(e)\n", str(EXAMPLES / "sample1.txt"), timeout=120)
    assert r.returncode == 0, r.stderr
    if sys.version_info < (3, 13):
        assert "ulimit -n" in r.stdout and "delete the arrays no longer needed" in r.stdout, r.stdout


def test_a_buffer_held_past_close_reads_zeros_not_freed_memory():
    a = ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    m = memoryview(a)      # holds the array's buffer itself: close cannot see it
    a.close()
    assert len(m) == 3000 and not any(m.tobytes())


def test_a_handle_is_refused_once_the_arrays_strides_were_changed_in_place():
    # numpy lets strides be set in place: the handle still named C-order memory of the shape, so
    # whoever attached it read other values than the array showed
    z = ferry.SharedArray("i4", (2, 3))
    z[:] = np.arange(6).reshape(2, 3)
    with ferry.attach(z.handle) as same:
        assert same.tolist() == z.tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        z.strides = (4, 8)
    assert z.tolist() == [[0, 2, 4], [1, 3, 5]]
    with pytest.raises(ferry.UsageError, match=r"strides \(4, 8\) were changed in place.*ascontiguousarray"):
        z.handle
    with ferry.share(np.ascontiguousarray(z)) as copy, ferry.attach(copy.handle) as seen:
        assert seen.tolist() == [[0, 2, 4], [1, 3, 5]]
    z.close()


def test_a_loaded_arrays_handle_says_its_segment_has_no_name_and_what_to_share_instead():
    # It gave the JSON of a name Ferry had removed: `ferry attach` then said "never created, or
    # unlinked already", as if something had gone wrong.
    a = ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    with pytest.raises(ferry.UsageError, match=r"has no name any more.*ferry\.share\(a\)") as e:
        a.handle
    assert "nothing is left behind" in str(e.value)
    b = ferry.share(a)                     # the way to a segment another process attaches
    with ferry.attach(b.handle) as c:
        assert c.tobytes() == a.tobytes()
    # the same for an array of Python's whose name was removed: nothing could attach its handle
    b.unlink()
    with pytest.raises(ferry.UsageError, match="has no name any more"):
        b.handle
    del a, b, c


def test_python_made_array_java_reads_and_a_sweep_reclaims_a_dead_creators_segments():
    a = ferry.share(np.loadtxt(EXAMPLES / "sample1.txt", dtype=METHYLATION, ndmin=1))
    assert a.segment_name.startswith(_names.claimed().segment_prefix()) and len(a.segment_name) <= 14
    assert os.path.exists("/dev/shm/" + _names.claimed().record_name())
    r = ferry_cmd("attach", a.handle, "--rows", "2")
    assert r.returncode == 0, r.stderr
    assert "(3000,)" in r.stdout and "3383229" in r.stdout and "3384600" in r.stdout
    assert os.path.exists("/dev/shm/" + a.segment_name), "Java's view leaves it"
    name = a.segment_name
    a.close()
    assert not os.path.exists("/dev/shm/" + name), "the owner's close removes the name"

    # A Python process that made a segment and died (kill -9, no cleanup at all): ferry shm clean removes it.
    p = start_python("import ferry, sys; s = ferry.SharedArray('<f8', (1000,)); s[:] = 7;"
                     " print(s.segment_name, flush=True); sys.stdin.read()", stdin=subprocess.PIPE)
    name = p.stdout.readline().strip()
    assert os.path.exists("/dev/shm/" + name)
    assert listed_as(name) == (p.pid, "running")
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert segments_of(p.pid), "kill -9 left the segment and its record"
    assert listed_as(name) == (p.pid, "exited")
    r = ferry_cmd("shm", "clean")
    assert r.returncode == 0, r.stderr
    assert segments_of(p.pid) == [], r.stdout


@pytest.mark.parametrize("start", ["fork", "forkserver", "spawn"])
def test_multiprocessing_children_that_share_leave_no_creator_record(start):
    # A child made by fork ends with os._exit, which runs no atexit function: its record stayed.
    code = """
import multiprocessing as mp, os, sys, numpy as np, ferry

def child(_):
    with ferry.share(np.arange(10)) as a:
        pass
    return os.getpid()

if __name__ == "__main__":
    ctx = mp.get_context(sys.argv[1])
    p = ctx.Process(target=child, args=(0,))
    p.start(); p.join()
    pool = ctx.Pool(2)
    pids = pool.map(child, range(4))
    pool.close(); pool.join()   # (the with block's terminate() kills the workers: a sweep's work)
    print(" ".join(str(x) for x in {p.pid, *pids}))
"""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, "children.py")
        with open(script, "w") as f:
            f.write(code)
        r = run_python("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                       script, start)
    assert r.returncode == 0, r.stderr
    pids = [int(x) for x in r.stdout.split()]
    left = [n for n in os.listdir("/dev/shm") if any(n.startswith("fy" + _names._base36(pid) + ".") or
                                                      n.startswith("fy" + _names._base36(pid) + "_") for pid in pids)]
    assert left == [], left


def test_an_owner_removes_only_the_segment_it_mapped():
    # Someone removed an owner's name and a new segment took it: the owner's close, unlink() or
    # exit used to remove whatever had the name.
    made = ferry.SharedArray("<i8", (4,))
    given = ferry.share(np.arange(4)).disown()
    taken = ferry.attach(given.handle, own=True)
    code = ("import ferry, sys\n"
            "a = ferry.SharedArray('<i8', (4,)); print(a.segment_name, flush=True); sys.stdin.readline()\n")
    child = start_python(code, stdin=subprocess.PIPE)
    replaced = []
    try:
        for name in (made.segment_name, given.segment_name, child.stdout.readline().strip()):
            path = "/dev/shm/" + name
            os.unlink(path)
            with open(path, "wb") as f:
                f.write(b"a later segment")
            replaced.append(path)
        made.close()          # an owner's close
        given.unlink()        # an explicit unlink, of a view
        taken.close()         # an owner by attach(own=True)
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(30) == 0, child.stderr.read()    # an owner's exit
        for path in replaced:
            with open(path, "rb") as f:
                assert f.read() == b"a later segment", path
    finally:
        child.kill()
        child.wait()
        for path in replaced:
            if os.path.exists(path):
                os.unlink(path)
    # A segment under its tag remained at its exit (the later one), so its record stayed for the sweep.
    assert segments_of(child.pid) == [_names.tag_of_segment(os.path.basename(replaced[2])).record_name()]
    ferry_cmd("shm", "clean", "--creator", child.pid)
    assert segments_of(child.pid) == []


def test_threads_making_their_first_segments_at_once_share_one_tag():
    # Unserialised, a second thread found the first one's fresh record, judged its creator (this
    # very process) running, and took a variant: two tags, and two records, for one process. A
    # race, so five processes try it.
    code = ("import ferry, threading\n"
            "start = threading.Barrier(8)\n"
            "names = []\n"
            "def make():\n"
            "    start.wait(); a = ferry.SharedArray('<i8', (4,)); names.append(a.segment_name); a.close()\n"
            "threads = [threading.Thread(target=make) for _ in range(8)]\n"
            "[t.start() for t in threads]; [t.join() for t in threads]\n"
            "print(' '.join(names))\n")
    for _ in range(5):
        r = run_python(code)
        assert r.returncode == 0 and r.stderr == "", r.stderr
        tags = {_names.tag_of_segment(n) for n in r.stdout.split()}
        assert len(r.stdout.split()) == 8 and len(tags) == 1, r.stdout


def test_java_takes_over_a_python_array_and_python_exits_cleanly():
    code = ("import ferry, numpy as np, sys\n"
            "a = ferry.SharedArray([('pos', '<i4'), ('pct', '<f4')], 5)\n"
            "a['pos'] = np.arange(5) * 10; a['pct'] = 0.5\n"
            "a.disown()\n"
            "print(a.handle, flush=True)\n"
            "sys.stdin.readline()\n")
    p = start_python(code, stdin=subprocess.PIPE)
    handle = p.stdout.readline().strip()
    # Java maps it as a view while the creator runs
    r = ferry_cmd("attach", handle)
    assert r.returncode == 0 and "(0, 0.5)" in r.stdout and "(40, 0.5)" in r.stdout, r.stdout + r.stderr
    p.stdin.write("\n")
    p.stdin.flush()
    assert p.wait(30) == 0, p.stderr.read()
    name = json.loads(handle)["name"]
    assert os.path.exists("/dev/shm/" + name), "disowned: left for its new owner"
    assert os.path.exists("/dev/shm/" + _names.tag_of_segment(name).record_name()), "its record stays for the sweep"
    r = ferry_cmd("shm", "clean")
    assert segments_of(p.pid) == [], r.stdout + r.stderr


def test_attach_a_java_array_without_the_resource_tracker():
    share = subprocess.Popen([_command.launcher(), "share", str(EXAMPLES / "sample2.txt"), "--dtype",
                              "chr:S10,pos:i4,pct:f4,c:i4,t:i4"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        handle = share.stdout.readline()
        name = json.loads(handle)["name"]
        expected = np.loadtxt(EXAMPLES / "sample2.txt", dtype=METHYLATION, ndmin=1)
        with ferry.attach(handle) as a:
            assert a.tobytes() == expected.tobytes()
        # without a with block, the array itself (it was a wrapper: a.sum() raised AttributeError)
        a = ferry.attach(handle)
        assert isinstance(a, np.ndarray) and a["pos"].sum() == expected["pos"].sum()
        a.close()
        # another Python process attaches and exits: its resource tracker must not remove Java's segment
        r = run_python("import ferry, sys\nwith ferry.attach(sys.argv[1]) as a: print(len(a))", handle)
        assert r.returncode == 0 and r.stdout.strip() == str(len(expected)), r.stderr
        assert "resource_tracker" not in r.stderr
        time.sleep(0.5)
        assert os.path.exists("/dev/shm/" + name), "still there for the next consumer"
        share.stdin.write("done\n")
        share.stdin.flush()
        assert share.wait(30) == 0, share.stderr.read()
        assert not os.path.exists("/dev/shm/" + name)
    finally:
        share.kill()
        share.wait()


def test_attach_reads_a_handle_file_of_64_kib_at_most(tmp_path):
    with pytest.raises(ferry.UsageError, match="/dev/zero is not a shared-array handle: a handle is at most 64 KiB"):
        ferry.attach("/dev/zero")
    big = tmp_path / "big.json"
    big.write_text("{" + " " * (64 << 10) + "}")
    with pytest.raises(ferry.UsageError, match="at most 64 KiB"):
        ferry.attach(big)


def test_a_handle_file_as_a_user_may_have_saved_it(tmp_path):
    # An empty file said "not JSON (Expecting value...)", a byte-order mark made the handle a file
    # name, and the two handles `ferry share a b > f` writes said "not JSON (Extra data...)".
    with ferry.share(np.arange(3)) as a, ferry.share(np.arange(4)) as b:
        empty = tmp_path / "empty.json"
        empty.write_text("")
        with pytest.raises(ferry.UsageError, match=r"empty\.json is empty: did the program that shares the array fail"):
            ferry.attach(empty)
        marked = tmp_path / "marked.json"
        marked.write_text(a.handle, encoding="utf-8-sig")
        for h in (marked, "\ufeff" + a.handle):
            with ferry.attach(h) as seen:
                assert seen.tolist() == [0, 1, 2]
        two = tmp_path / "handles.txt"
        two.write_text(a.handle + "\n" + b.handle + "\n")
        with pytest.raises(ferry.UsageError, match=r"^2 handles, one a line, where attach takes one: attach each line"):
            ferry.attach(two)
        seen = [ferry.attach(h) for h in open(two)]
        assert [s.tolist() for s in seen] == [[0, 1, 2], [0, 1, 2, 3]]
        for s in seen:
            s.close()


def test_what_no_java_side_reads_is_refused_as_a_ferry_error(tmp_path):
    # a missing handle file, or the empty line a failed `ferry share` leaves: bare OSErrors before
    with pytest.raises(ferry.FerryError, match="nonsense: No such file or directory; give the handle's JSON itself"):
        ferry.attach("nonsense")
    with pytest.raises(ferry.UsageError, match="an empty handle: did the program that shares the array fail"):
        ferry.attach("\n")
    # hostile handles: numpy's own errors (an overflowing shape wrapped to 0 bytes), or dtypes no
    # Java side shares taken
    with ferry.share(np.arange(4)) as mine:
        for shape, dtype, says in (([2 ** 62, 4], "<i8", "more than any segment holds"),
                                   ([True], "<i8", "not a list of non-negative integers"),
                                   ([2], "xyz", "dtype 'xyz' is not a numpy type string"),
                                   ([2], "|O", "not object"),
                                   ([2], "<U1", "give S<n>"),
                                   ([2], [["a", [["x", "<i4"]]]], "is not a numpy type string")):
            with pytest.raises(ferry.UsageError, match=re.escape(says)):
                ferry.attach({"name": mine.segment_name, "shape": shape, "dtype": dtype})
    for dtype, shape, says in (("S0", 3, "a byte string needs its size here"), ([("a", "S0")], 3, "needs its size"), ("f8", (2.7,), "non-negative integers, not (2.7,)"),
                               ("f8", (2 ** 31, 2 ** 31), "more than any segment holds")):
        with pytest.raises(ferry.UsageError, match=re.escape(says)):
            ferry.SharedArray(dtype, shape)
    # float16 (no Java type), a scalar (shape (1,) silently), numpy's unicode (with S<n> named)
    with pytest.raises(ferry.UsageError, match="not float16"):
        ferry.share(np.zeros(2, dtype=np.float16))
    with pytest.raises(ferry.UsageError, match="not float16"):
        ferry.SharedArray("<f2", (2,))
    with pytest.raises(ferry.UsageError, match="1 or more dimensions"):
        ferry.share(np.array(3.0))
    with pytest.raises(ferry.UsageError, match="give S<n>"):
        ferry.loadtxt(EXAMPLES / "sample1.txt", [("chr", "U10"), ("pos", "<i4"), ("pct", "<f4"), ("c", "<i4"), ("t", "<i4")])
    # titles and out-of-order offsets: a JSON the command could not parse, numpy's own ValueError
    table = tmp_path / "t.txt"
    table.write_text("1 2\n3 4\n")
    for dt in (np.dtype([(("title A", "a"), "i4"), ("b", "i4")]),
               np.dtype({"names": ["a", "b"], "formats": ["i4", "i4"], "offsets": [4, 0]})):
        with pytest.raises(ferry.UsageError, match="packed records of plain named fields"):
            ferry.loadtxt(table, dt)
    assert ferry.share(np.arange(3)).tolist() == [0, 1, 2]
    # a shape as an array, as numpy takes one; a mask, which np.asarray dropped without a word
    with ferry.SharedArray("<f8", np.array([2, 3])) as grid:
        assert grid.shape == (2, 3)
    with pytest.raises(ferry.UsageError, match="mask cannot be shared"):
        ferry.share(np.ma.array([1, 2], mask=[0, 1]))
    # JSON that is no object is a bad handle, not a file's name
    for not_an_object in ("[1, 2]", '"fy1_abc"'):
        with pytest.raises(ferry.UsageError, match="bad shared-array handle"):
            ferry.attach(not_an_object)
    # said in Python's words, not the command's
    with pytest.raises(ferry.UsageError, match=r"max_rows=9223372036854775808 is past the largest count"):
        ferry.loadtxt(table, "i4", max_rows=2 ** 63)
    with pytest.raises(ferry.UsageError, match="no file has a column that far"):
        ferry.loadtxt(table, "i4", usecols=[2 ** 40])
    with pytest.raises(ferry.UsageError, match=r"delimiter '\\r' is a line break"):
        ferry.loadtxt(table, "i4", delimiter="\r")


def test_attach_own_takes_a_segment_over(tmp_path):
    share = subprocess.Popen([_command.launcher(), "share", str(EXAMPLES / "sample3.txt"), "--dtype",
                              "chr:S10,pos:i4,pct:f4,c:i4,t:i4"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        handle = tmp_path / "h.json"
        handle.write_text(share.stdout.readline())
        with ferry.attach(handle, own=True) as a:
            assert len(a) == len(np.loadtxt(EXAMPLES / "sample3.txt", dtype=METHYLATION, ndmin=1))
            view = a[:5].copy()
        assert share.wait(30) == 0, "ferry share ends when the consumer removed the name: " + share.stderr.read()
        assert view["pos"][0] == 3383229 or view.shape == (5,)
    finally:
        share.kill()
        share.wait()


def test_ferry_share_keeps_the_segment_with_stdin_at_dev_null_until_timeout(tmp_path):
    share = subprocess.Popen([_command.launcher(), "share", str(EXAMPLES / "sample1.txt"), "--dtype",
                              "chr:S10,pos:i4,pct:f4,c:i4,t:i4", "--timeout", "3"], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    name = json.loads(share.stdout.readline())["name"]
    time.sleep(1)
    assert os.path.exists("/dev/shm/" + name), "the end of stdin does not remove it"
    assert share.wait(30) == 1
    assert "no consumer took %s within 3.0 s" % name in share.stderr.read()
    assert not os.path.exists("/dev/shm/" + name)
    assert segments_of(share.pid) == []


def test_the_share_help_example_works_as_written_from_a_script():
    helptext = ferry_cmd("share", "--help").stdout
    lines = helptext.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip().startswith("ferry share examples/"))
    end = next(i for i in range(start, len(lines)) if lines[i].rstrip().endswith("'") and i > start)
    example = "\n".join(l[2:] for l in lines[start:end + 1])
    example = example.replace("ferry share", _command.launcher() + " share", 1).replace("python3", os.sys.executable, 1)
    r = subprocess.run(["bash", "-c", "set -o pipefail; " + example], cwd=ROOT, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "3383229" in r.stdout and "Exception" not in r.stderr, r.stdout + r.stderr


def test_kill_9_right_after_loadtxt_returns_leaves_nothing():
    code = ("import ferry, os, sys\n"
            "from ferry import _command\n"
            "init = _command.Run.__init__\n"
            "def rec(self, *a, **k):\n"
            "    init(self, *a, **k); print('ferry', self.process.pid, flush=True)\n"
            "_command.Run.__init__ = rec\n"
            "a = ferry.loadtxt(sys.argv[1], [('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])\n"
            "print('loaded', a.segment_name, flush=True)\n"
            "sys.stdin.read()\n")
    p = start_python(code, str(EXAMPLES / "sample1.txt"), stdin=subprocess.PIPE)
    ferry_pid = int(p.stdout.readline().split()[1])
    name = p.stdout.readline().split()[1]
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert wait_gone(ferry_pid)
    assert not os.path.exists("/dev/shm/" + name)
    assert segments_of(ferry_pid) == [] and segments_of(p.pid) == []


@pytest.mark.parametrize("how", ["kill -9", "SIGINT"])
def test_python_killed_or_interrupted_while_load_many_runs_leaves_nothing(tmp_path, how):
    paths = [str(generate(tmp_path / ("t%d.txt" % i), 400_000, seed=i)) for i in range(4)]
    code = ("import ferry, sys\n"
            "from ferry import _command\n"
            "init = _command.Run.__init__\n"
            "def rec(self, *a, **k):\n"
            "    init(self, *a, **k); print('ferry', self.process.pid, flush=True)\n"
            "_command.Run.__init__ = rec\n"
            "try:\n"
            "    ferry.load_many(sys.argv[1:], [('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])\n"
            "    print('finished', flush=True)\n"
            "except KeyboardInterrupt:\n"
            "    print('interrupted', flush=True)\n")
    p = start_python(code, *paths)
    ferry_pid = int(p.stdout.readline().split()[1])
    deadline = time.monotonic() + 60
    while not segments_of(ferry_pid) and time.monotonic() < deadline:   # Ferry is loading
        time.sleep(0.005)
    assert segments_of(ferry_pid), "ferry made no segment"
    os.kill(p.pid, signal.SIGKILL if how == "kill -9" else signal.SIGINT)
    out, err = p.communicate(timeout=60)
    if how == "SIGINT":
        assert out.strip().endswith("interrupted"), out + err
    assert wait_gone(ferry_pid, 60), "ferry still runs"
    assert segments_of(ferry_pid) == [] and segments_of(p.pid) == []


def test_close_touches_no_other_file_of_the_process(tmp_path):
    # Before Python 3.13 close() cuts a loaded array's file through a descriptor of its own. It
    # opened and closed every descriptor of the process to find it, and closing any descriptor of a
    # file drops the process's POSIX locks on it: sqlite3 lost a write another process was told
    # had committed. A lock held here must survive the close; a child trying it must still fail.
    import fcntl
    locked = tmp_path / "locked"
    locked.write_bytes(b"x")
    with open(locked, "r+b") as f:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        probe = ("import fcntl, sys\n"
                 "f = open(sys.argv[1], 'r+b')\n"
                 "try:\n    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print('got it')\n"
                 "except OSError:\n    print('held')\n")
        assert run_python(probe, str(locked)).stdout.strip() == "held"
        a = ferry.loadtxt(EXAMPLES / "grid.txt")
        a.close()
        assert run_python(probe, str(locked)).stdout.strip() == "held", "close() dropped this process's lock"


def test_pandas_reads_a_shared_array_as_a_plain_one():
    # An ndarray with a `name` is a named Series to pandas: with `.name` (the segment's, now
    # `segment_name`), DataFrame(a, columns=...) of a 2-d array came out empty, without a word.
    pd = pytest.importorskip("pandas")
    grid = EXAMPLES / "grid.txt"
    a, expected = ferry.loadtxt(grid), np.loadtxt(grid)
    columns = ["c%d" % i for i in range(expected.shape[1])]
    assert pd.DataFrame(a, columns=columns).equals(pd.DataFrame(expected, columns=columns))
    assert pd.DataFrame(a).equals(pd.DataFrame(expected))
    assert pd.DataFrame(a[1:]).equals(pd.DataFrame(expected[1:]))
    assert pd.Series(a[:, 0]).name is None
    # a view has no segment: asked by hasattr or getattr with a default, it answers
    assert not hasattr(a[1:], "segment_name") and getattr(a[1:], "handle", None) is None
    with pytest.raises(ValueError, match="no segment of its own"):
        a[1:].segment_name
    a.close()
    assert not hasattr(a, "shape") and a.closed
    with pytest.raises(ferry.UsageError, match="closed"):
        ferry.share(a)


def test_a_creator_record_is_not_a_segment_to_attach():
    # Attached with own=True, a live process's record was removed: its segments were then judged
    # foreign, never swept. Java's `ferry attach` read it too.
    made = ferry.SharedArray("<i8", (4,))
    record = _names.claimed().record_name()
    for name in (record, "/" + record, record + ".1a.draft"):
        with pytest.raises(ferry.UsageError, match="creator record"):
            ferry.attach({"name": name, "shape": [4], "dtype": "|u1"}, own=True)
    assert os.path.exists("/dev/shm/" + record)
    r = ferry_cmd("attach", json.dumps({"name": record, "shape": [4], "dtype": "|u1"}))
    assert r.returncode != 0 and "creator record" in r.stderr, r.stderr
    made.close()


def test_no_segment_is_made_after_the_exit_cleanup():
    # An exit function registered before ferry's runs after it: a segment made there had no
    # cleanup and no creator record, and no sweep could remove it.
    code = ("import atexit, sys\n"
            "def late():\n"
            "    import ferry, numpy as np\n"
            "    try:\n"
            "        ferry.share(np.arange(3.0))\n"
            "        print('made')\n"
            "    except ferry.FerryError as e:\n"
            "        print('refused:', e)\n"
            "    sys.stdout.flush()\n"
            "atexit.register(late)\n"
            "import os, ferry, numpy as np\n"
            "x = ferry.share(np.arange(3.0))\n"
            "print(os.getpid(), flush=True)\n")
    r = run_python(code)
    pid, said = r.stdout.splitlines()[:2]
    assert said.startswith("refused: cannot make a shared array while Python exits"), r.stdout + r.stderr
    assert wait_gone(int(pid)) and segments_of(int(pid)) == [], "left in /dev/shm"
