"""ferry.Session: many loads by one Ferry JVM (``ferry serve``), with the values, errors and
cleanliness of ferry.loadtxt and ferry.load_many; what a killed or interrupted Python leaves."""
import gc
import os
import signal
import time

import numpy as np
import pytest

import ferry
from ferry import _names
from conftest import EXAMPLES, METHYLATION, generate, segments_of, start_python, wait_gone


def segments_only(pid):
    """The segments (not the creator record) in /dev/shm under the tags of pid ``pid``."""
    return [n for n in segments_of(pid) if _names.tag_of_segment(n) is not None]


def test_a_session_loads_as_loadtxt_and_load_many_do_in_one_jvm(tmp_path):
    plain = tmp_path / "m.txt"
    plain.write_text("1 2 3\n# a comment\n4 5 6\n\n7 8 9\n")
    with ferry.Session() as s:
        pid = s.pid
        assert pid is not None, "the JVM starts with the session"
        a = s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
        assert a.tobytes() == np.loadtxt(EXAMPLES / "sample1.txt", dtype=METHYLATION, ndmin=1).tobytes()
        m = s.loadtxt(plain, "f8")
        assert m.shape == (3, 3) and (m == np.loadtxt(plain, dtype="f8")).all()
        b = s.loadtxt(EXAMPLES / "sample4.txt.gz", METHYLATION, usecols=range(5), max_rows=7)
        assert b.tobytes() == np.loadtxt(EXAMPLES / "sample4.txt.gz", dtype=METHYLATION, max_rows=7).tobytes()
        many = s.load_many([EXAMPLES / "sample3.txt", EXAMPLES / "sample1.txt"], METHYLATION, workers=2)
        assert list(many) == ["sample3", "sample1"]
        assert many["sample1"].tobytes() == a.tobytes()
        assert s.load_many([], METHYLATION) == {}
        assert s.pid == pid, "every load in the same JVM"
        assert segments_only(pid) == [], "between loads the JVM holds no segment"
        for arr in (a, m, b, *many.values()):
            assert not os.path.exists("/dev/shm/" + arr.segment_name)
        del a, m, b, many
        gc.collect()
    assert s.pid is None
    assert wait_gone(pid), "close() ends the JVM"
    assert segments_of(pid) == [], "and its creator record"


def test_a_failed_load_is_the_error_loadtxt_gives_and_the_session_goes_on(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("chr1\t10\t0.5\t1\t2\nchr1\tx\t0.5\t1\t2\n")
    with ferry.Session() as s:
        with pytest.raises(ferry.ParseError) as e:
            s.loadtxt(bad, METHYLATION)
        assert (e.value.path, e.value.line, e.value.text) == (str(bad), 2, "x")
        pid = s.pid
        with pytest.raises(ferry.UsageError, match="chr:S10,pos:nope"):
            s.loadtxt(EXAMPLES / "sample1.txt", "chr:S10,pos:nope")          # refused by Ferry's parser
        with pytest.raises(ferry.UsageError):
            s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION, usecols=(0, 1))  # refused by the command line
        with pytest.raises(ferry.FerryError, match="no such file"):
            s.loadtxt(tmp_path / "missing.txt", METHYLATION)
        with pytest.raises(ferry.FerryError, match="bad.txt"):
            s.load_many([EXAMPLES / "sample1.txt", bad], METHYLATION)       # whole, naming the bad file
        a = s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
        assert len(a) == 3000 and s.pid == pid, "errors do not end the session"
        assert segments_only(pid) == []
        del a


def test_a_closed_session_refuses_to_load_as_a_closed_file_refuses_to_read(tmp_path):
    # It started a JVM of its own again, silently: a session used after its block outlived it.
    with ferry.Session() as s:
        a = s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
        first = s.pid
    s.close()   # twice is fine
    assert s.pid is None and wait_gone(first)
    for use in (lambda: s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION),
                lambda: s.load_many([EXAMPLES / "sample1.txt"], METHYLATION),
                lambda: s.load_many([], METHYLATION),
                lambda: s.convert([EXAMPLES / "sample1.txt"], tmp_path / "o.h5", METHYLATION, progress=False),
                lambda: s.__enter__()):
        with pytest.raises(ferry.UsageError, match=r"^this ferry\.Session is closed") as e:
            use()
        assert isinstance(e.value, ValueError)
    assert s.pid is None, "no JVM started"
    assert os.listdir(tmp_path) == []
    assert len(a) == 3000, "an array outlives the JVM that loaded it"
    del a


def test_kill_9_of_python_with_a_session_open_leaves_nothing():
    code = ("import ferry, sys\n"
            "s = ferry.Session()\n"
            "a = s.loadtxt(sys.argv[1], [('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])\n"
            "print('loaded', s.pid, a.segment_name, flush=True)\n"
            "sys.stdin.read()\n")
    p = start_python(code, str(EXAMPLES / "sample1.txt"), stdin=-1)
    _, server, name = p.stdout.readline().split()
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert wait_gone(int(server)), "the JVM exits when Python's end of its standard input closes"
    assert not os.path.exists("/dev/shm/" + name)
    assert segments_of(int(server)) == [] and segments_of(p.pid) == []


@pytest.mark.parametrize("how", ["kill -9", "SIGINT"])
def test_python_killed_or_interrupted_during_a_sessions_load_leaves_nothing(tmp_path, how):
    paths = [str(generate(tmp_path / ("t%d.txt" % i), 400_000, seed=i)) for i in range(4)]
    code = ("import ferry, sys\n"
            "dt = [('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]\n"
            "s = ferry.Session()\n"
            "s.loadtxt(sys.argv[1], dt)\n"
            "print('ferry', s.pid, flush=True)\n"
            "try:\n"
            "    s.load_many(sys.argv[2:], dt)\n"
            "    print('finished', flush=True)\n"
            "except KeyboardInterrupt:\n"
            "    print('interrupted', s.pid, flush=True)\n")
    p = start_python(code, str(EXAMPLES / "sample1.txt"), *paths)
    server = int(p.stdout.readline().split()[1])
    deadline = time.monotonic() + 60
    while not segments_only(server) and time.monotonic() < deadline:   # the JVM is loading
        time.sleep(0.005)
    assert segments_only(server), "ferry made no segment"
    os.kill(p.pid, signal.SIGKILL if how == "kill -9" else signal.SIGINT)
    out, err = p.communicate(timeout=60)
    if how == "SIGINT":
        assert out.strip().endswith("interrupted None"), "an interrupted load ends the JVM: " + out + err
    assert wait_gone(server, 60), "ferry still runs"
    assert segments_of(server) == [] and segments_of(p.pid) == []


def test_loads_from_several_threads_take_turns_in_one_jvm():
    import threading
    files = [EXAMPLES / "sample1.txt", EXAMPLES / "sample2.txt", EXAMPLES / "sample3.txt"] * 2
    want = [np.loadtxt(f, dtype=METHYLATION, ndmin=1).tobytes() for f in files]
    got = [None] * len(files)
    pids = set()
    with ferry.Session() as s:
        def load(i):
            got[i] = s.loadtxt(files[i], METHYLATION).tobytes()
            pids.add(s.pid)
        threads = [threading.Thread(target=load, args=(i,)) for i in range(len(files))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        pid = s.pid
    assert got == want
    assert pids == {pid}


def test_a_jvm_killed_between_loads_is_replaced_by_the_next_load():
    with ferry.Session() as s:
        a = s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
        first = s.pid
        os.kill(first, signal.SIGKILL)
        assert wait_gone(first)
        b = s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
        assert s.pid not in (None, first)
        assert a.tobytes() == b.tobytes()
        # A JVM killed by SIGKILL cannot remove its creator record: Python, which reaped it, does.
        assert segments_of(first) == []
        del a, b


def _child_loads(s, path, out):
    a = s.loadtxt(path, METHYLATION)
    out.put((len(a), s.pid))


def test_a_forked_child_loads_through_a_jvm_of_its_own_and_leaves_the_parents_alone():
    import multiprocessing
    fork = multiprocessing.get_context("fork")
    with ferry.Session() as s:
        a = s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
        parent = s.pid
        out = fork.Queue()
        child = fork.Process(target=_child_loads, args=(s, str(EXAMPLES / "sample2.txt"), out))
        child.start()
        rows, child_server = out.get(timeout=120)
        child.join(120)
        assert child.exitcode == 0 and rows == 4000
        assert child_server not in (None, parent), "the child's JVM, not the parent's pipes"
        assert wait_gone(child_server), "the child's JVM ends with the child"
        assert segments_of(child_server) == []
        b = s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
        assert s.pid == parent and a.tobytes() == b.tobytes(), "the parent's session serves on"
        del a, b


def test_loads_and_conversions_in_one_jvm(tmp_path):
    h5py = __import__("h5py")
    with ferry.Session() as s:
        pid = s.pid
        a = s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
        r = s.convert([EXAMPLES / "sample1.txt", EXAMPLES / "sample2.txt"], tmp_path / "o.h5", METHYLATION,
                      progress=False)
        assert r.rows == 7000 and list(r.datasets) == ["sample1", "sample2"]
        with h5py.File(tmp_path / "o.h5", "r") as f:
            assert f["sample1"][:].tobytes() == a.tobytes()
        with pytest.raises(ferry.FerryError, match="add force=True to replace it"):
            s.convert([EXAMPLES / "sample1.txt"], tmp_path / "o.h5", METHYLATION, progress=False)
        b = s.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
        assert s.pid == pid and a.tobytes() == b.tobytes()
        del a, b
    assert sorted(os.listdir(tmp_path)) == ["o.h5"]


def test_python_killed_during_a_sessions_conversion_leaves_nothing(tmp_path):
    big = generate(tmp_path / "big.txt", 2_000_000, seed=3)
    out = tmp_path / "big.h5"
    code = ("import ferry, sys\n"
            "dt = [('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')]\n"
            "s = ferry.Session()\n"
            "print('ferry', s.pid, flush=True)\n"
            "s.convert([sys.argv[1]], sys.argv[2], dt, workers=1, progress=False)\n"
            "print('finished', flush=True)\n")
    p = start_python(code, str(big), str(out))
    server = int(p.stdout.readline().split()[1])
    deadline = time.monotonic() + 60
    while len(os.listdir(tmp_path)) < 2 and time.monotonic() < deadline:   # the temporary output
        time.sleep(0.005)
    assert len(os.listdir(tmp_path)) >= 2, "no conversion started"
    os.kill(p.pid, signal.SIGKILL)
    p.communicate(timeout=60)
    assert wait_gone(server, 60), "ferry still runs"
    assert os.listdir(tmp_path) == ["big.txt"], "no output, no temporary file"
    assert segments_of(server) == [] and segments_of(p.pid) == []


def test_a_jvm_killed_during_a_conversion_is_the_requests_error_not_sent_again(tmp_path):
    # A request the JVM had (its `started`) is never sent again: a conversion sent again could add a
    # dataset twice, or find the output just written. It was, when no progress line had come.
    big = generate(tmp_path / "big.txt", 2_000_000, seed=3)
    out = tmp_path / "big.h5"
    with ferry.Session() as s:
        pid = s.pid
        import threading

        def kill_mid_conversion():
            deadline = time.monotonic() + 60
            while len(os.listdir(tmp_path)) < 2 and time.monotonic() < deadline:   # the temporary output
                time.sleep(0.002)
            os.kill(pid, signal.SIGKILL)

        t = threading.Thread(target=kill_mid_conversion)
        t.start()
        with pytest.raises(ferry.FerryError, match=r"ferry serve was killed by signal 9 \(SIGKILL\) in the middle of a request"):
            s.convert([big], out, METHYLATION, workers=1, progress=False)
        t.join()
        assert s.pid != pid or s.pid is None
    assert not out.exists()


def test_a_load_after_python_changed_folder_or_environment_reads_as_a_new_run_would(tmp_path, monkeypatch):
    # The JVM reads relative paths from the folder it started in: after os.chdir, the session's
    # JVM read a.txt of the former folder and gave its values, where numpy reads the new one's.
    for folder, text in (("one", "1 2\n"), ("two", "3 4\n5 6\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "t.txt").write_text(text)
    h5py = __import__("h5py")
    with ferry.Session() as s:
        monkeypatch.chdir(tmp_path / "one")
        first = s.loadtxt("t.txt", "f8")
        pid = s.pid
        assert (first == np.loadtxt("t.txt")).all()
        monkeypatch.chdir(tmp_path / "two")
        second = s.loadtxt("t.txt", "f8")
        assert second.shape == (2, 2) and (second == np.loadtxt("t.txt")).all()
        assert s.pid != pid and wait_gone(pid), "a JVM of the new folder; the former one ended"
        s.convert(["t.txt"], "o.h5", "f8", progress=False)   # a relative output lands here too
        with h5py.File(tmp_path / "two" / "o.h5", "r") as f:
            assert f["t"][:].tobytes() == second.tobytes()
        assert sorted(os.listdir(tmp_path / "one")) == ["t.txt"]
        pid = s.pid
        s.loadtxt("t.txt", "f8")
        assert s.pid == pid, "in the same folder and environment, the same JVM"
        monkeypatch.setenv("FERRY_TEST_SETTING", "1")   # what a run takes from its environment
        s.loadtxt("t.txt", "f8")
        assert s.pid != pid
        del first, second
