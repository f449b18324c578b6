"""The package under current Pythons (3.12, 3.13), where they are on this machine: Debian's numpy
is built for its own Python (3.11) only, so these run the part of the package that needs no numpy,
which is also the part that differs between versions: shared memory made, mapped (3.13 maps
without keeping a descriptor per mapping: ``mmap(trackfd=False)``), recorded as Ferry records its
own, and removed at exit; ``ferry`` found and run. Every module is compiled by each Python too."""
import glob
import os
import shutil
import subprocess

import pytest

from conftest import PYTHON_DIR, ROOT, ferry_cmd, listed_as, segments_of

VERSIONS = ("3.12", "3.13")

# The package's numpy-free modules, imported without its __init__ (which imports numpy).
CORE = r"""
import os, sys, types
package = types.ModuleType("ferry")
package.__path__ = [sys.argv[1]]
sys.modules["ferry"] = package
from ferry import _command, _shm

file, mm = _shm.create(10000)
mm[:5] = b"ferry"
path = os.path.join(_shm.DIRECTORY, file.name)
open_to_it = [fd for fd in os.listdir("/proc/self/fd") if os.path.realpath("/proc/self/fd/" + fd) == path]
print(file.name, len(mm), len(open_to_it))
print(_command.launcher())
sys.stdout.flush()
sys.stdin.readline()   # the test looks at /dev/shm meanwhile
"""


def interpreters():
    """(version, path) of each Python of VERSIONS that runs here: pyenv's own, else on PATH (pyenv's
    shims there run only the versions pyenv is set to)."""
    found = []
    for v in VERSIONS:
        candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python%s" % (v, v))))
        candidates += [shutil.which("python" + v)] if shutil.which("python" + v) else []
        for path in candidates:
            if subprocess.run([path, "-c", "pass"], capture_output=True, timeout=60).returncode == 0:
                found.append((v, path))
                break
    return found


@pytest.mark.parametrize("version", VERSIONS)
def test_every_module_compiles(version, tmp_path):
    python = dict(interpreters()).get(version)
    if python is None:
        pytest.skip("no Python %s on this machine (PATH or ~/.pyenv)" % version)
    r = subprocess.run([python, "-m", "compileall", "-q", "-d", "ferry", str(PYTHON_DIR / "ferry")],
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp_path)))
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("version", VERSIONS)
def test_shared_memory_made_recorded_and_removed(version):
    python = dict(interpreters()).get(version)
    if python is None:
        pytest.skip("no Python %s on this machine (PATH or ~/.pyenv)" % version)
    env = dict(os.environ, FERRY_HOME=str(ROOT))
    p = subprocess.Popen([python, "-c", CORE, str(PYTHON_DIR / "ferry")], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        name, size, descriptors = p.stdout.readline().split()
        launcher = p.stdout.readline().strip()
        assert int(size) == 10000
        # 3.13 maps without a descriptor of its own; before it, mmap keeps a duplicate open
        assert int(descriptors) == (0 if version >= "3.13" else 1)
        assert launcher == str(ROOT / "ferry")
        with open("/dev/shm/" + name, "rb") as f:
            assert f.read(5) == b"ferry"
        assert listed_as(name) == (p.pid, "running")
        p.stdin.write("\n")
        p.stdin.flush()
        assert p.wait(timeout=60) == 0, p.stderr.read()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
            ferry_cmd("shm", "clean")
    assert segments_of(p.pid) == []   # the segment and its creator record, removed at exit
