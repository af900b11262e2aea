"""The one place that knows which array library runs a device: numpy for "cpu", cupy for
"cuda". Everything else asks this module for the array module of a device."""
import functools
import threading

import numpy as np

# PyTorch computes with IEEE infinities and NaNs silently; so does the engine's numpy.
np.seterr(all="ignore")

try:  # numpy keeps its error settings in a context variable, which ``quiet`` sets directly
    from numpy._core.umath import _extobj_contextvar, _get_extobj_dict, _make_extobj
except ImportError:  # should these private names move, ``quiet`` falls back on np.errstate
    _extobj_contextvar = None

try:  # cupy is optional: without it (or without a GPU) only the cpu exists
    import cupy
except Exception:  # noqa: BLE001 - a broken CUDA install must not break the engine
    cupy = None


class device:
    """PyTorch's ``torch.device``: ``device("cuda:0")``, ``device("cpu")``."""

    __slots__ = ("type", "index")

    def __init__(self, spec, index=None):
        if isinstance(spec, device):
            spec, index = spec.type, spec.index
        spec = str(spec)
        if ":" in spec:
            spec, _, idx = spec.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{spec}:{idx}'")
            index = int(idx)
        if spec not in ("cpu", "cuda"):
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, "
                f"ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone "
                f"device type at start of device string: {spec}")
        self.type = spec
        self.index = index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"


CPU = device("cpu")


_ERRORS = ("divide", "over", "under", "invalid")  # the floating-point errors numpy may warn of


class quiet:
    """``with quiet():`` turns numpy's floating-point warnings off, as ``np.errstate(all=
    "ignore")`` does, at a fraction of its cost. The engine computes inside it wherever numpy
    may warn: numpy's settings are per thread, and a new thread starts with warnings on."""

    __slots__ = ("_token",)

    def __enter__(self):
        if _extobj_contextvar is None:
            self._token = np.errstate(all="ignore")
            self._token.__enter__()
            return
        ignoring = _ignoring_settings()
        self._token = None if ignoring is None else _extobj_contextvar.set(ignoring)

    def __exit__(self, *exc_info):
        if _extobj_contextvar is None:
            self._token.__exit__(*exc_info)
        elif self._token is not None:
            _extobj_contextvar.reset(self._token)


_settings_cache = (None, None)  # the settings last seen, and _ignoring_settings() for them


def _ignoring_settings():
    """numpy's settings that ignore all floating-point errors, keeping this thread's buffer
    size and callback; None where this thread's settings ignore them already."""
    global _settings_cache
    current, (seen, ignoring) = _extobj_contextvar.get(), _settings_cache
    if current is not seen:
        settings = _get_extobj_dict()
        ignoring = None if all(settings[k] == "ignore" for k in _ERRORS) else \
            _make_extobj(all="ignore")
        _settings_cache = (current, ignoring)
    return ignoring


def _warns():
    """Whether numpy warns of floating-point errors in this thread now: where it does not,
    ``quiet`` has nothing to do, and a hot path can skip its cost (a ``with`` alone costs
    more than this check)."""
    return _extobj_contextvar is None or _ignoring_settings() is not None


def quietly(fn, *args):
    """``fn(*args)`` inside ``quiet``, or just ``fn(*args)`` where ``quiet`` would do nothing."""
    if not _warns():
        return fn(*args)
    with quiet():
        return fn(*args)


def entered_quiet():
    """A ``quiet`` entered already, for code that exits and enters it by hand (a generator,
    around each pause); None where it would do nothing."""
    if not _warns():
        return None
    entered = quiet()
    entered.__enter__()
    return entered


def cuda_available():
    if cupy is None:
        return False
    try:
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # noqa: BLE001 - no driver, no device: all mean "not available"
        return False


class _Defaults(threading.local):
    device = CPU  # each thread starts on the cpu, as with PyTorch's own per-thread default


_defaults = _Defaults()


def set_default_device(spec):
    """PyTorch's ``torch.set_default_device``: where a factory function given no device puts
    its tensor, in this thread; None means the cpu."""
    _defaults.device = CPU if spec is None else device(spec)  # checked where it is used


def get_default_device():
    return resolve(None)


def resolve(spec):
    """A device from a user's spec, checked to exist; ``cuda`` means ``cuda:0``, and no spec
    means the default device."""
    if spec is None:
        spec = _defaults.device
        if spec is CPU:
            return CPU
    d = spec if isinstance(spec, device) else device(spec)
    if d.type == "cpu":
        return CPU
    if not cuda_available():
        raise AssertionError("Torch not compiled with CUDA enabled" if cupy is None
                             else "No CUDA GPUs are available")
    if (d.index or 0) >= cupy.cuda.runtime.getDeviceCount():
        raise RuntimeError("CUDA error: invalid device ordinal")
    return _cuda(d.index or 0)


def array_module(dev):
    return np if dev.type == "cpu" else cupy


def module_of(array):
    """numpy or cupy: the module that computes on ``array``."""
    return cupy if cupy is not None and isinstance(array, cupy.ndarray) else np


def as_array(x):
    """``x``, a number (numpy's or Python's) made a 0-dim array; arrays of either module stay
    as they are."""
    return np.asarray(x) if isinstance(x, (np.generic, bool, int, float, complex)) else x


_CUPY_ADD_AT = frozenset("iIlLqQefd")  # the dtypes cupy's add.at adds (numpy's type codes)


def add_at(out, key, values):
    """``out[key] += values``, each repeated index adding again, as ``np.add.at`` does."""
    ufunc_at(np.add, out, key, values)


def ufunc_at(ufunc, out, key, values):
    """``ufunc.at(out, key, values)``: ``out[key] = ufunc(out[key], values)``, applied again
    for each repeated index; on the host where cupy has no such ``at`` (it adds, in some
    dtypes)."""
    if module_of(out) is np:
        ufunc.at(out, key, values)
        return
    if ufunc is np.add and out.dtype.char in _CUPY_ADD_AT:
        cupy.add.at(out, key, values)
        return
    host = to_host(out)
    key = key if isinstance(key, tuple) else (key,)
    ufunc.at(host, tuple(to_host(k) if hasattr(k, "shape") else k for k in key),
             to_host(values) if hasattr(values, "shape") else values)
    out[...] = cupy.asarray(host)


def device_of(array):
    if cupy is not None and isinstance(array, cupy.ndarray):
        return _cuda(array.device.id)
    return CPU


@functools.cache
def _cuda(index):
    return device("cuda", index)


def to_device(array, dev):
    """The array on ``dev`` (the same object when it is already there)."""
    if dev.type == "cpu":
        return array if isinstance(array, np.ndarray) else cupy.asnumpy(array)
    with cupy.cuda.Device(dev.index or 0):
        return cupy.asarray(array)


def to_host(array):
    """A numpy view or copy of any backend array, for printing, ``item`` and ``tolist``."""
    return array if isinstance(array, np.ndarray) else cupy.asnumpy(array)
