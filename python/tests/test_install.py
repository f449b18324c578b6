"""``pip install ./python`` from a checkout, as a new user runs it: without network, into a virtual
environment, and then used from anywhere, with neither ``FERRY_HOME`` nor ``ferry`` on ``PATH``."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES, PYTHON_DIR, ROOT, STARTED

LOAD = """
import ferry, numpy as np
dt = [("chr", "S10"), ("pos", "<i4"), ("pct", "<f4"), ("c", "<i4"), ("t", "<i4")]
a = ferry.loadtxt(%r, dt)
assert (a == np.loadtxt(%r, dtype=dt, ndmin=1)).all()
print(ferry.__file__)
print(ferry._command.launcher())
""" % (str(EXAMPLES / "sample1.txt"), str(EXAMPLES / "sample1.txt"))


def a_checkout(at):
    """A checkout as pip sees it: the package's folder, and the launcher beside it (a link to this
    checkout's, which follows it back here to run)."""
    shutil.copytree(PYTHON_DIR, at / "python", ignore=shutil.ignore_patterns(
        "tests", "build", "*.egg-info", "__pycache__"))
    os.symlink(ROOT / "ferry", at / "ferry")
    return at


def a_user_env():
    env = {k: v for k, v in os.environ.items() if k not in ("FERRY_HOME", "PYTHONPATH")}
    env["PATH"] = "/usr/bin:/bin"   # no ferry there
    return env


def installed(checkout, venv):
    """The package installed by pip from ``checkout`` into a new virtual environment ``venv``,
    which sees the system's numpy; {@return its python}."""
    made = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                          capture_output=True, text=True, timeout=120)
    if made.returncode != 0:
        pytest.fail("no virtual environment (Debian: apt-get install python3-venv python3-pip):\n" + made.stderr)
    python = venv / "bin" / "python"
    r = subprocess.run([str(python), "-m", "pip", "install", "--no-build-isolation", "--no-index",
                        "--disable-pip-version-check", str(checkout / "python")],
                       capture_output=True, text=True, timeout=300, env=a_user_env())
    assert r.returncode == 0, r.stdout + r.stderr
    return python


def run(python, cwd):
    p = subprocess.Popen([str(python), "-c", LOAD], cwd=cwd, env=a_user_env(), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    STARTED.append(p.pid)   # nothing of it may be left in /dev/shm (conftest's check)
    out, err = p.communicate(timeout=120)
    return p.returncode, out, err


def test_pip_install_from_a_checkout_finds_that_checkouts_launcher(tmp_path):
    checkout = a_checkout(tmp_path / "checkout")
    python = installed(checkout, tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    code, out, err = run(python, elsewhere)
    assert code == 0, err
    package, launcher = out.split()
    assert package.startswith(str(tmp_path / "venv")), package   # the installed copy, not the checkout's
    assert launcher == str(checkout / "ferry")

    # The checkout gone: the package says what to do rather than run a launcher that is not there.
    (checkout / "ferry").unlink()
    code, out, err = run(python, elsewhere)
    assert code != 0
    assert ("cannot find the ferry command (this package was installed from %s, which holds no ferry now):"
            " set FERRY_HOME" % checkout) in err, err

    # An install prefix's layout (scripts/install PREFIX, the package copied beside its bin/): bin/ferry
    (checkout / "bin").mkdir(exist_ok=True)
    os.symlink(ROOT / "ferry", checkout / "bin" / "ferry")
    code, out, err = run(python, elsewhere)
    assert code == 0, err
    assert out.split()[1] == str(checkout / "bin" / "ferry")
