"""numba on demand: kernels run interpreted for a handful of points, compiled for many.

Importing numba and loading its cached machine code costs about 1.5 s per process, far more
than answering one point. So the kernels of ``geo/`` are decorated with :func:`njit` from this
module: a kernel is a :class:`Kernel` that runs its plain Python function (the same code, on
the same float64 IEEE arithmetic) when :func:`for_batch` says a batch is too small to be worth
numba; any other call runs it compiled. numba is imported on the first compiled call, and each
kernel is compiled on its first compiled call (``cache=True``: from numba's disk cache after
the first time).

numba's cache lives in the incidentmap cache folder (``<cache>/numba``) unless
``NUMBA_CACHE_DIR`` is set, so it also works when the package is installed read-only.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import types

log = logging.getLogger(__name__)

#: Below this many points a kernel call runs interpreted unless compiled code is loaded (one
#: interpreted point costs about a millisecond; loading numba about 1.5 s).
INTERPRET_BELOW = 64

#: ``numba.prange`` in compiled kernels, ``range`` when they run interpreted.
prange = range

_KERNELS: list[Kernel] = []
_NAMESPACES: dict[int, dict] = {}
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
        if getattr(_state, "interpreting", False):
            return self.py_func(*args)  # called from an interpreted kernel
        return _dispatcher(self)(*args)

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


def _register(func, options: dict) -> Kernel:
    kernel = Kernel(func, options)
    _KERNELS.append(kernel)
    return kernel


def numba_cache_dir() -> str:
    """Where numba keeps compiled kernels: ``$NUMBA_CACHE_DIR`` or ``<cache folder>/numba``."""
    explicit = os.environ.get("NUMBA_CACHE_DIR")
    if explicit:
        return explicit
    from incidentmap.geo.paths import default_cache_dir

    return str(default_cache_dir() / "numba")


def is_compiled() -> bool:
    """True once numba is loaded."""
    return _numba is not None


def activate():
    """Import numba once (its cache in :func:`numba_cache_dir`) and return the module."""
    global _numba
    with _lock:
        if _numba is None:
            os.environ.setdefault("NUMBA_CACHE_DIR", numba_cache_dir())
            started = time.perf_counter()
            import numba

            _numba = numba
            log.debug("numba %s loaded in %.2f s", numba.__version__, time.perf_counter() - started)
        return _numba


def _dispatcher(kernel: Kernel):
    """The kernel's numba dispatcher, created on first use (numba compiles on first call).

    numba gets the same code over a copy of the module's globals in which every kernel is
    its dispatcher (and ``prange`` is numba's), so compiled kernels call each other natively
    while the module keeps its :class:`Kernel` objects for interpreted runs.
    """
    with _lock:
        if kernel.dispatcher is None:
            numba = activate()
            f = kernel.py_func
            fresh = id(f.__globals__) not in _NAMESPACES
            ns = _NAMESPACES.setdefault(id(f.__globals__), dict(f.__globals__))
            clone = types.FunctionType(f.__code__, ns, f.__name__, f.__defaults__, f.__closure__)
            clone.__qualname__, clone.__module__ = f.__qualname__, f.__module__
            clone.__doc__ = f.__doc__
            kernel.dispatcher = numba.njit(**kernel.options)(clone)
            if fresh:  # globals are resolved when numba compiles, so fill them in now
                for key, value in list(ns.items()):
                    if isinstance(value, Kernel):
                        ns[key] = _dispatcher(value)
                    elif key == "prange" and value is range:
                        ns[key] = numba.prange
        return kernel.dispatcher


def thread_count() -> int:
    """How many threads numba's parallel kernels use (loads numba)."""
    return int(activate().get_num_threads())


def compiled(kernel):
    """The numba dispatcher of ``kernel`` (loading numba first if needed)."""
    return _dispatcher(kernel) if isinstance(kernel, Kernel) else kernel


def for_batch(kernel, n: int):
    """``kernel`` compiled for a batch of ``n`` points, or interpreted if that is cheaper
    (fewer than :data:`INTERPRET_BELOW` points and no compiled code loaded for it yet)."""
    if isinstance(kernel, Kernel) and n < INTERPRET_BELOW and not _has_code(kernel):
        return kernel.interpreted
    return compiled(kernel)


def _has_code(kernel: Kernel) -> bool:
    return kernel.dispatcher is not None and bool(kernel.dispatcher.signatures)
