"""The JVM ferry.loadtxt and ferry.load_many keep between calls: one JVM for a script's loads,
ended by ferry.close(), by FERRY_KEEP_JVM seconds idle, or with Python; a JVM per call with
FERRY_KEEP_JVM=0; calls from several threads at once."""
import os
import signal
import subprocess
import threading

import numpy as np
import pytest

import ferry
from conftest import EXAMPLES, METHYLATION, STARTED, segments_of, start_python, wait_gone


def started_since(before):
    return STARTED[before:]


def test_the_calls_of_a_script_share_one_jvm_which_close_ends(monkeypatch):
    monkeypatch.delenv("FERRY_KEEP_JVM", raising=False)
    before = len(STARTED)
    a = ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    many = ferry.load_many([EXAMPLES / "sample2.txt", EXAMPLES / "sample4.txt.gz"], METHYLATION)
    b = ferry.loadtxt(EXAMPLES / "sample1.txt", "i4", usecols=(1, 3), max_rows=5)
    assert a.tobytes() == np.loadtxt(EXAMPLES / "sample1.txt", dtype=METHYLATION).tobytes()
    assert many["sample4"].tobytes() == np.loadtxt(EXAMPLES / "sample4.txt.gz", dtype=METHYLATION).tobytes()
    assert b.tobytes() == np.loadtxt(EXAMPLES / "sample1.txt", dtype="i4", usecols=(1, 3), max_rows=5).tobytes()
    [jvm] = started_since(before)
    assert not wait_gone(jvm, 0.3), "the JVM stays for the next call"
    with pytest.raises(ferry.ParseError) as e:   # an error leaves the JVM serving
        ferry.loadtxt(EXAMPLES / "sample1.txt", "f8")
    assert e.value.line == 1 and e.value.path.endswith("sample1.txt")
    assert started_since(before) == [jvm]
    ferry.close()
    assert wait_gone(jvm, 10), "close() ends it"
    c = ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    assert len(started_since(before)) == 2, "the next call starts another"
    assert c.tobytes() == a.tobytes()
    del a, b, c, many


def test_an_idle_jvm_ends_after_ferry_keep_jvm_seconds(monkeypatch):
    monkeypatch.setenv("FERRY_KEEP_JVM", "0.5")
    before = len(STARTED)
    ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    [jvm] = started_since(before)
    assert wait_gone(jvm, 10), "idle for half a second: ended"


def test_ferry_keep_jvm_0_runs_a_jvm_per_call_and_a_bad_value_says_what_it_means(monkeypatch):
    monkeypatch.setenv("FERRY_KEEP_JVM", "0")
    before = len(STARTED)
    ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    ferry.load_many([EXAMPLES / "sample1.txt"], METHYLATION)
    first, second = started_since(before)
    assert wait_gone(first, 1) and wait_gone(second, 1), "each ended with its call"
    for bad in ("soon", "-1", "nan", "-inf"):
        monkeypatch.setenv("FERRY_KEEP_JVM", bad)
        with pytest.raises(ferry.UsageError, match="FERRY_KEEP_JVM"):
            ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    # inf, as 1e300 is: until Python ends (it was refused where 1e300 was taken)
    from ferry import _kept
    for forever in ("inf", "1e300"):
        monkeypatch.setenv("FERRY_KEEP_JVM", forever)
        assert _kept._seconds() == _kept._FOR_EVER


def test_calls_from_several_threads_at_once_do_not_wait_for_one_jvm(tmp_path):
    paths = []
    for i in range(6):
        p = tmp_path / ("t%d.txt" % i)
        p.write_text("".join("%d %d.5\n" % (i * 1000 + j, j) for j in range(20000)))
        paths.append(p)
    got = [None] * len(paths)

    def load(i):
        got[i] = ferry.loadtxt(paths[i], "f8")

    threads = [threading.Thread(target=load, args=(i,)) for i in range(len(paths))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for p, a in zip(paths, got):
        assert a is not None and (a == np.loadtxt(p)).all()


def test_a_forked_child_keeps_a_jvm_of_its_own():
    import multiprocessing
    fork = multiprocessing.get_context("fork")
    a = ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    before = len(STARTED)
    out = fork.Queue()
    child = fork.Process(target=_child_loads, args=(out,))
    child.start()
    rows, child_jvm = out.get(timeout=120)
    child.join(120)
    assert child.exitcode == 0 and rows == 4000
    assert wait_gone(child_jvm, 10), "the child's JVM ends with the child"
    b = ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    assert a.tobytes() == b.tobytes(), "the parent's JVM serves on"
    assert started_since(before) == [], "the parent's own, not another"
    del a, b


def _child_loads(out):
    from ferry import _kept
    a = ferry.loadtxt(EXAMPLES / "sample2.txt", METHYLATION)
    out.put((len(a), _kept._kept.session.pid))


def test_a_forked_child_alive_does_not_keep_the_jvm_of_a_killed_python():
    # The child's copy of the JVM's standard input kept the JVM running after kill -9 of Python,
    # for as long as the child lived.
    code = ("import ferry, os, sys, time\n"
            "from ferry import _kept\n"
            "a = ferry.loadtxt(sys.argv[1], 'f8', usecols=(1, 2))\n"
            "print('ferry', _kept._kept.session.pid, flush=True)\n"
            "child = os.fork()\n"
            "if child == 0:\n"
            "    time.sleep(60)\n"
            "    os._exit(0)\n"
            "print('child', child, flush=True)\n"
            "sys.stdin.read()\n")
    p = start_python(code, str(EXAMPLES / "sample1.txt"), stdin=subprocess.PIPE)
    try:
        jvm = int(p.stdout.readline().split()[1])
        child = int(p.stdout.readline().split()[1])
        os.kill(p.pid, signal.SIGKILL)
        p.wait(30)
        assert wait_gone(jvm, 10), "the JVM ends with Python, the child alive"
        assert segments_of(jvm) == []
    finally:
        p.kill()
        try:
            os.kill(child, signal.SIGKILL)
        except (NameError, ProcessLookupError):
            pass


def test_a_call_of_its_own_takes_more_paths_than_a_command_line_holds(monkeypatch, tmp_path):
    # A JVM of the call's own (FERRY_KEEP_JVM=0, or the kept one busy) was given the paths as
    # arguments: past ARG_MAX bytes, a bare OSError "Argument list too long" where the kept JVM,
    # which takes them in a request, loaded them.
    arg_max = os.sysconf("SC_ARG_MAX")
    if arg_max > 8 << 20:
        pytest.skip("ARG_MAX is %d here: more paths than a test should make" % arg_max)
    deep = tmp_path
    while len(str(deep)) < 3500:
        deep = deep / ("d" * 200)
    deep.mkdir(parents=True)
    paths = []
    for i in range(arg_max // 3700 + 20):
        p = deep / ("%04d_" % i + "f" * 190 + ".txt")
        p.write_text("%d 1.5\n" % i)
        paths.append(str(p))
    assert sum(len(p) + 1 for p in paths) > arg_max
    monkeypatch.setenv("FERRY_KEEP_JVM", "0")
    got = ferry.load_many(paths, "f8")
    assert len(got) == len(paths)
    assert [a.tolist() for a in list(got.values())[:3]] == [[0.0, 1.5], [1.0, 1.5], [2.0, 1.5]]
    del got


def test_a_jvm_that_cannot_start_says_why_in_the_message(monkeypatch):
    # The kept JVM's end was "ferry serve exited with code 1 in the middle of a request", its
    # reason only in the error's stderr; a JVM of the call's own said it.
    monkeypatch.delenv("FERRY_KEEP_JVM", raising=False)
    monkeypatch.setenv("JAVA_TOOL_OPTIONS", "-Xmx1m")
    with pytest.raises(ferry.FerryError, match=r"in the middle of a request: .*Too small maximum heap") as e:
        ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)
    assert "Picked up" not in str(e.value), "the JVM's note of the option is left out"
    monkeypatch.delenv("JAVA_TOOL_OPTIONS")
    assert len(ferry.loadtxt(EXAMPLES / "sample1.txt", METHYLATION)) == 3000
