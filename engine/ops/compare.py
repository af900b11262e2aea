"""Comparisons, logical and bitwise ops: no gradients, bool or integer results."""
import numpy as np

from engine.ops import operands as O
from engine.tensor import Tensor


def _compare(fn, ordered=None):
    """``ordered``: the kernel name of an ordering (``lt``...), which complex numbers lack."""
    def compare(a, b):
        x, y, dt = O.binary(a, b)
        if ordered and dt.is_complex:
            raise NotImplementedError(f'"{ordered}_cpu" not implemented for '
                                      f"'{O.dtype_name(dt)}'")
        try:
            return Tensor._make(fn(x, y))
        except ValueError:
            raise O.broadcast_error(O.shape_of(a), O.shape_of(b)) from None
    return compare


eq, ne = _compare(np.equal), _compare(np.not_equal)
lt, le, gt, ge = (_compare(f, name) for f, name in ((np.less, "lt"), (np.less_equal, "le"),
                                                   (np.greater, "gt"), (np.greater_equal, "ge")))


def _bitwise(fn, name):
    def op(a, b):
        x, y, dt = O.binary(a, b)
        if dt.category > 1:
            raise NotImplementedError(f'"{name}_cpu" not implemented for \'{O.dtype_name(dt)}\'')
        return Tensor._make(O.elementwise(fn, a, b, x, y, dt))
    return op


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def bitwise_not(a):
    if a.dtype.category > 1:
        raise NotImplementedError(
            f"\"bitwise_not_cpu\" not implemented for '{O.dtype_name(a.dtype)}'")
    return Tensor._make(np.invert(a._data))


def logical_not(a):
    return Tensor._make(np.logical_not(a._data))


def _logical(fn):
    def logical(a, b):
        if not isinstance(b, Tensor):
            raise TypeError(f"{fn.__name__}(): argument 'other' (position 2) must be Tensor, "
                            f"not {type(b).__name__}")
        x, y, _ = O.binary(a, b)
        return Tensor._make(fn(x, y))
    return logical


logical_and = _logical(np.logical_and)
logical_or = _logical(np.logical_or)
logical_xor = _logical(np.logical_xor)


def isnan(a):
    return Tensor._make(np.isnan(a._data))


def isfinite(a):
    return Tensor._make(np.isfinite(a._data))


def isinf(a):
    return Tensor._make(np.isinf(a._data))


def _other_tensor(fn, b):
    if not isinstance(b, Tensor):
        raise O.not_a_tensor(fn, "other", 2, b)


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False, *, _fn="isclose"):
    """``|a - b| <= atol + rtol * |b|``, elementwise; equal values (infinities too) are
    close, and nans are where ``equal_nan``."""
    _other_tensor(_fn, b)
    if a.dtype is not b.dtype:
        raise RuntimeError(f"{O.dtype_name(a.dtype)} did not match {O.dtype_name(b.dtype)}")
    O.check_same_device(a, b)
    for name, value in (("rtol", rtol), ("atol", atol)):
        if value < 0:
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got "
                               f"{value:g}")
    x, y = a._data, b._data
    if a.dtype.category < 2:
        x, y = x.astype(np.float64), y.astype(np.float64)
    try:
        return Tensor._make(np.isclose(x, y, rtol, atol, equal_nan))
    except ValueError:
        raise O.broadcast_error(O.shape_of(a), O.shape_of(b)) from None


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(a, b, rtol, atol, equal_nan, _fn="allclose")._data.all())


def equal(a, b):
    """Whether both have the same shape and values (of any dtypes)."""
    _other_tensor("equal", b)
    O.check_same_device(a, b)
    return a.shape == b.shape and bool(np.array_equal(a._data, b._data))
