"""The package's build, beside pyproject.toml (which holds its metadata): one step more than
setuptools' own. Installed from a Ferry checkout (``pip install --no-build-isolation ./python``),
the package is copied away from the ``ferry`` launcher it drives, so it would find the launcher
only by ``FERRY_HOME`` or on ``PATH``. The build writes down which checkout it came from
(``ferry/_installed_from.py``, in the built package only), and the installed package looks there
too. A build from a copy of this folder alone (older pips copy it away first) has no launcher
beside it, and writes nothing."""
import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
MODULE = "_installed_from.py"


class BuildPy(build_py):
    def run(self):
        super().run()
        launcher = HERE.parent / "ferry"
        if launcher.is_file() and os.access(launcher, os.X_OK):
            target = Path(self.build_lib) / "ferry" / MODULE
            target.write_text('"""Written by the build (python/setup.py): the Ferry checkout this package was'
                              ' installed from."""\nCHECKOUT = %r\n' % str(HERE.parent))


setup(cmdclass={"build_py": BuildPy})
