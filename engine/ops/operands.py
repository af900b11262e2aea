"""Turning op inputs into backend arrays: dtype promotion, device checks, and PyTorch's
wording for the errors that arise there."""
import numpy as np

from engine import dtypes
from engine.autograd.node import as_given
from engine.backend import quiet
from engine.tensor import Tensor


def check_same_device(a, b):
    if a._device is not b._device and a._device != b._device:
        first, second = sorted([str(a._device), str(b._device)], key=lambda d: d != "cpu")
        raise RuntimeError("Expected all tensors to be on the same device, but found at least "
                           f"two devices, {second} and {first}!")


def binary(a, b, floating=False):
    """``(x, y, dtype)``: both operands as arrays (or Python scalars numpy keeps weak) in
    PyTorch's result dtype; ``floating`` lifts integer results to the default float."""
    if type(a) is Tensor:  # fast paths: same-dtype tensors, a float tensor and a number
        dt = a.dtype
        if type(b) is Tensor:
            if b.dtype is dt and (not floating or dt.category >= 2):
                if a._device is not b._device:
                    check_same_device(a, b)
                return a._data, b._data, dt
        elif (type(b) is float or type(b) is int) and dt in _WEAK_SCALAR_KEEPS:
            return a._data, b, dt
    dt = dtypes.result_type(a, b)
    if floating and dt.category < 2:
        dt = dtypes.get_default_dtype()
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        check_same_device(a, b)
    return cast(a, dt), cast(b, dt), dt


# Float tensors whose dtype a Python float or int leaves as is, and that numpy keeps too.
_WEAK_SCALAR_KEEPS = frozenset((dtypes.float16, dtypes.float32, dtypes.float64))

_INT_MIN = {d: int(np.iinfo(d.np).min) for d in dtypes.ALL if d.category == 1}
_INT_MAX = {d: int(np.iinfo(d.np).max) for d in dtypes.ALL if d.category == 1}


def cast(x, dt):
    if isinstance(x, Tensor):
        return x._data if x.dtype is dt else x._data.astype(dt.np)
    if type(x) is int and dt.category == 1 and not _INT_MIN[dt] <= x <= _INT_MAX[dt]:
        return np.array(x).astype(dt.np)[()]  # PyTorch wraps an out-of-range int around
    if dt is dtypes.bfloat16:  # ml_dtypes does not treat Python scalars as weak
        return dt.np.type(x)
    return x


def floating(a):
    """The array of ``a`` as a floating dtype, as PyTorch's float-only unary ops take it."""
    if a.dtype.category >= 2:
        return a._data
    return a._data.astype(dtypes.get_default_dtype().np)


def precise(fn, a):
    """``fn`` of ``a`` as a float, computed in float64 for narrower floats and rounded once:
    PyTorch's float32 ``exp``, ``log``, ``sin``... are more exact than numpy's."""
    return rounded(fn, floating(a))


def elementwise(fn, a, b, x, y, dt):
    """``fn(x, y)`` with PyTorch's broadcasting error and the exact result dtype. Half
    floats are multiplied and divided in float32 and rounded once, as PyTorch does: in
    ``h * 1e5`` the number does not first overflow float16 (in ``h + 1e5`` it does)."""
    if dt.itemsize == 2 and dt.category == 2 and fn in _IN_SINGLE_FOR_HALF:
        x, y = _in_single(a, x), _in_single(b, y)
    try:
        out = fn(x, y)
    except ValueError:
        raise broadcast_error(shape_of(a), shape_of(b)) from None
    if out.dtype is not dt.np and out.dtype != dt.np:
        out = out.astype(dt.np)
    return out


def floor_divide_floats(x, y):
    """PyTorch's floor division of floats, which starts from fmod: 1 // 0.1 is 9, as in
    Python (not floor(1 / 0.1) = 10), and inf // 1 is nan."""
    mod = np.fmod(x, y)
    div = (x - mod) / y
    div = np.where((mod != 0) & ((y < 0) != (mod < 0)), div - 1, div)
    floor = np.floor(div)
    floor = np.where(div - floor > 0.5, floor + 1, floor)
    quotient = np.true_divide(x, y)
    rounded = np.where(div != 0, floor, np.copysign(0, quotient))
    if not np.ndim(y):  # a number: cupy takes no Python bool for a condition
        return quotient if y == 0 else rounded
    return np.where(y == 0, quotient, rounded)


_IN_SINGLE_FOR_HALF = frozenset((np.multiply, np.true_divide, floor_divide_floats))


def _in_single(operand, x):
    """``x`` in float32; a Python number from the ``operand`` given, not from ``x``, which
    may already be rounded to the half type."""
    return np.float32(operand) if isinstance(operand, (int, float)) else x.astype(np.float32)


def shape_of(x):
    return tuple(x.shape) if isinstance(x, Tensor) else ()


def broadcast_error(sa, sb):
    for i in range(1, max(len(sa), len(sb)) + 1):
        da = sa[-i] if i <= len(sa) else 1
        db = sb[-i] if i <= len(sb) else 1
        if da != db and 1 not in (da, db):
            dim = max(len(sa), len(sb)) - i
            return RuntimeError(f"The size of tensor a ({da}) must match the size of tensor b "
                                f"({db}) at non-singleton dimension {dim}")
    return RuntimeError(f"shapes {list(sa)} and {list(sb)} cannot be broadcast together")


def broadcast_shapes(*shapes):
    result = []
    for i in range(1, max((len(s) for s in shapes), default=0) + 1):
        size = 1
        for s in shapes:
            d = s[-i] if i <= len(s) else 1
            if d != 1:
                if size not in (1, d):
                    raise RuntimeError("Shape mismatch: objects cannot be broadcast to a "
                                       "single shape.  Mismatch is between arg 0 and arg 1.")
                size = d
        result.append(size)
    return tuple(reversed(result))


def type_name(value):
    """A value's type as PyTorch's argument errors name it: builtins bare, others with
    their module (``numpy.ndarray``)."""
    if isinstance(value, Tensor):
        return "Tensor"
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def not_a_tensor(fn, arg, position, value):
    """PyTorch's error for ``value`` given where argument ``arg`` takes a tensor."""
    return TypeError(f"{fn}(): argument '{arg}' (position {position}) must be Tensor, not "
                     f"{type_name(value)}")


def dtype_name(dt):
    """PyTorch's short scalar-type name: Float, Long, BFloat16..."""
    return dt.tensor_type.removesuffix("Tensor")


def normalize_dims(dim, ndim):
    """A tuple of non-negative dims from an int, a sequence, or None (all dims)."""
    from engine.tensor import _wrap_dim
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (tuple, list)):
        return as_given(tuple(sorted(_wrap_dim(d, ndim) for d in dim)), tuple(dim))
    return (_wrap_dim(dim, ndim),)


def opmath(x):
    """``x`` as PyTorch computes with it: half floats in float32."""
    return x.astype(np.float32) if x.dtype.itemsize < 4 and x.dtype.kind not in "biu" else x


def rounded(fn, x):
    """``fn(x)`` as PyTorch's float math gives it: in float64 for narrower floats, rounded
    once to ``x``'s dtype (complex ones, all 8 bytes or more, as they are)."""
    if x.dtype.itemsize >= 8:
        return fn(x)
    with quiet():
        return fn(x.astype(np.float64)).astype(x.dtype)


def fma(x, y, z):
    """``x * y + z`` rounded once, as a fused multiply-add gives it, for float32 (whose
    product float64 holds exactly); float64 is left unfused."""
    dt = np.result_type(x.dtype, y.dtype, z.dtype)
    if dt.itemsize < 8:
        return (x.astype(np.float64) * y + z).astype(dt)
    return x * y + z
