"""numba on demand: kernels run interpreted for a handful of points, compiled for many.

Importing numba and loading its cached machine code costs about 1.5 s per process, far more
than answering one point. So the kernels of ``geo/`` are decorated with :func:`njit` from this
module: a kernel is a :class:`Kernel` that runs its plain Python function (the same code, on
the same float64 IEEE arithmetic) when :func:`for_batch` says a batch is too small to be worth
loading numba; any other call compiles. Then numba is imported once, every kernel is compiled (``cache=True``: from
numba's disk cache after the first time) and every module global naming a kernel is replaced
by its numba dispatcher, so compiled kernels call each other natively.

numba's cache lives in the incidentmap cache folder (``<cache>/numba``) unless
``NUMBA_CACHE_DIR`` is set, so it also works when the package is installed read-only.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

log = logging.getLogger(__name__)

#: Below this many points a kernel call runs interpreted when numba is not loaded yet (one
#: interpreted point costs about a millisecond; loading numba about 1.5 s).
INTERPRET_BELOW = 64

#: Stands for ``numba.prange`` until numba is loaded (then each module's ``prange`` is swapped).
prange = range

_KERNELS: list[Kernel] = []
_lock = threading.RLock()
_state = threading.local()
_numba = None


class Kernel:
    """A function numba compiles on first fast use; interpreted until then."""

    def __init__(self, func, options: dict):
        self.py_func = func
        self.options = options
        self.dispatcher = None
        self.__name__ = func.__name__
        self.__doc__ = func.__doc__
        self.__wrapped__ = func

    def __call__(self, *args):
        if self.dispatcher is None and getattr(_state, "interpreting", False):
            return self.py_func(*args)  # called from an interpreted kernel
        return compiled(self)(*args)

    def interpreted(self, *args):
        """Run the plain Python function (and the kernels it calls) without numba."""
        outer = getattr(_state, "interpreting", False)
        _state.interpreting = True
        try:
            return self.py_func(*args)
        finally:
            _state.interpreting = outer

    def __repr__(self) -> str:
        state = "compiled" if self.dispatcher is not None else "interpreted"
        return f"<Kernel {self.py_func.__module__}.{self.__name__} ({state})>"


def njit(*args, **options):
    """Like ``numba.njit`` (``@njit`` or ``@njit(cache=True, parallel=True)``), but lazy."""
    if args and callable(args[0]) and not options:
        return _register(args[0], {})
    return lambda func: _register(func, options)


def _register(func, options: dict):
    with _lock:
        if _numba is not None:  # a module imported after numba was loaded
            return _numba.njit(**options)(func)
        kernel = Kernel(func, options)
        _KERNELS.append(kernel)
        return kernel

    return wrap


def numba_cache_dir() -> str:
    """Where numba keeps compiled kernels: ``$NUMBA_CACHE_DIR`` or ``<cache folder>/numba``."""
    explicit = os.environ.get("NUMBA_CACHE_DIR")
    if explicit:
        return explicit
    from incidentmap.geo.paths import default_cache_dir

    return str(default_cache_dir() / "numba")


def is_compiled() -> bool:
    """True once numba is loaded and the kernels are compiled dispatchers."""
    return _numba is not None


def activate() -> None:
    """Import numba (once) and turn every registered kernel into a numba dispatcher."""
    global _numba
    with _lock:
        if _numba is not None:
            return
        os.environ.setdefault("NUMBA_CACHE_DIR", numba_cache_dir())
        started = time.perf_counter()
        import numba

        for kernel in _KERNELS:
            if kernel.dispatcher is None:
                kernel.dispatcher = numba.njit(**kernel.options)(kernel.py_func)
        by_id = {id(k): k for k in _KERNELS}
        for name, module in list(sys.modules.items()):
            if not name.startswith("incidentmap.geo") or module is None:
                continue
            space = vars(module)
            for key, value in list(space.items()):
                if id(value) in by_id and value is by_id[id(value)]:
                    space[key] = value.dispatcher
                elif key == "prange" and value is range:
                    space[key] = numba.prange
        _numba = numba
        log.debug("numba %s loaded in %.2f s", numba.__version__, time.perf_counter() - started)


def compiled(kernel):
    """The numba dispatcher of ``kernel`` (loading numba first if needed)."""
    activate()
    return kernel.dispatcher if isinstance(kernel, Kernel) else kernel


def for_batch(kernel, n: int):
    """``kernel`` compiled for a batch of ``n`` points, or interpreted if that is cheaper."""
    if _numba is None and n < INTERPRET_BELOW and isinstance(kernel, Kernel):
        return kernel.interpreted
    return compiled(kernel)
