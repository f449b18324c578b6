"""Fixtures for the tests of the ferry package: the real ``ferry`` launcher of this checkout,
numpy, h5py, and a check that every test leaves nothing of its processes in /dev/shm."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parent.parent
ROOT = PYTHON_DIR.parent
sys.path.insert(0, str(PYTHON_DIR))
os.environ.setdefault("FERRY_HOME", str(ROOT))

import ferry  # noqa: E402
from ferry import _command, _names  # noqa: E402

EXAMPLES = ROOT / "examples"
METHYLATION = [("chr", "S10"), ("pos", "<i4"), ("pct", "<f4"), ("c", "<i4"), ("t", "<i4")]

# Every ferry process the tests start, by pid (the launcher execs the JVM: one pid).
STARTED = []
_init = _command.Run.__init__


def _recording_init(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    STARTED.append(self.process.pid)


_command.Run.__init__ = _recording_init


def segments_of(pid):
    """Names in /dev/shm under the creator tags of pid ``pid``, the plain one and every variant:
    segments and creator records (of any process that had that pid, in any pid namespace)."""
    def of_pid(name):
        tag = _names.tag_of_segment(name) or _names.tag_of_record(name)
        return tag is not None and tag.pid == pid
    return sorted(n for n in os.listdir("/dev/shm") if of_pid(n))


def wait_gone(pid, seconds=30.0):
    """Waits until no process ``pid`` runs (a zombie counts as gone)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/stat" % pid) as f:
                if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.02)
    return False


@pytest.fixture(autouse=True)
def nothing_left_in_dev_shm():
    """Fails a test that leaves in /dev/shm a segment of a ferry process it started, or one this
    process still owns."""
    before = len(STARTED)
    yield
    ferry.close()   # the JVM ferry.loadtxt keeps between calls: each test ends its own
    left = []
    for pid in STARTED[before:]:
        assert wait_gone(pid), "ferry process %d still runs after the test" % pid
        left += segments_of(pid)
    own_record = _names.claimed().record_name() if _names.claimed() else None
    mine = [n for n in segments_of(os.getpid()) if n != own_record]
    assert not left + mine, "left in /dev/shm: %s" % (left + mine)


@pytest.fixture
def methylation():
    return METHYLATION


def run_python(code, *args, timeout=120, **kwargs):
    """Runs ``code`` in a fresh interpreter (this one's) with the package importable."""
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                          timeout=timeout, **kwargs)


def start_python(code, *args, **kwargs):
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def generate(path, lines, seed=1):
    """A methylation table of ``lines`` lines, made by ``ferry generate``."""
    subprocess.run([_command.launcher(), "generate", "--lines", str(lines), "--seed", str(seed), "-o", str(path)],
                   check=True, capture_output=True)
    return path


def ferry_cmd(*args, **kwargs):
    """Runs the ``ferry`` command to its end."""
    return subprocess.run([_command.launcher(), *[str(a) for a in args]], capture_output=True, text=True,
                          timeout=120, **kwargs)


def listed_as(name):
    """What ``ferry shm list`` says of the segment ``name``: (creator pid, creator state)."""
    r = ferry_cmd("shm", "list")
    assert r.returncode == 0, r.stderr
    line = next((l for l in r.stdout.splitlines() if l.startswith(name + " ")), None)
    assert line is not None, "%s is not listed:\n%s" % (name, r.stdout)
    fields = line.split()   # name, size and its unit, pid, state
    return int(fields[3]), " ".join(fields[4:])
