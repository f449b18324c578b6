"""Ferry from Python: text tables with np.loadtxt's values, parsed in parallel by Ferry straight
into shared memory (``loadtxt``, ``load_many``, whose JVM stays warm for the next call until
``close()`` or ``FERRY_KEEP_JVM`` seconds idle; ``Session`` for a JVM of one's own) or into HDF5
(``convert``); numpy arrays shared with Java processes (``attach``, ``share``, ``SharedArray``).
Needs numpy and the ``ferry`` command (``FERRY_HOME``, beside this package in a checkout, or on
PATH)."""
from ._array import SharedArray, attach, share
from ._convert import Conversion, convert
from ._errors import FerryError, InputNotFoundError, ParseError, UsageError, WorkerError
from ._kept import close, load_many, loadtxt
from ._session import Session

__all__ = ["loadtxt", "load_many", "close", "Session", "convert", "Conversion", "attach", "share", "SharedArray",
           "FerryError", "InputNotFoundError", "ParseError", "UsageError", "WorkerError"]
__version__ = "0.1.0"
