"""Float functions of two or three tensors: atan2, hypot, logaddexp, xlogy, fmod, lerp,
addcmul and addcdiv, computed as PyTorch computes them (in float64 for narrower floats, with
its fused multiply-adds where it has them), so that float32 results match to the bit."""
import numpy as np

from engine import backend, dtypes
from engine.autograd.node import OUTPUT, Function
from engine.backend import quiet
from engine.ops import operands as O
from engine.ops.elementwise import _broadcasts, _check_integer_divisor, _refuse_kernel
from engine.tensor import Tensor


# ---------------------------------------------------------------- float math of two tensors
def _float_operands(name, a, b, method=False, integers=True):
    """Two tensors (PyTorch takes no numbers here) as arrays of their float result dtype;
    ``integers=False`` refuses integer results, as PyTorch has no kernel for them."""
    for position, x, arg in ((0, a, "input"), (1, b, "other")):
        if not isinstance(x, Tensor):
            raise O.not_a_tensor(name, arg, position + 1 - method, x)
    dt = dtypes.result_type(a, b)
    if dt.is_complex or (not integers and dt.category < 2):
        if not _broadcasts(O.shape_of(a), O.shape_of(b)):
            raise O.broadcast_error(O.shape_of(a), O.shape_of(b))
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{O.dtype_name(dt)}'")
    return O.binary(a, b, floating=True)


def _precise(fn, a, b, x, y, dt):
    """``fn(x, y)`` computed in float64 for narrower floats, rounded once (see
    ``O.precise``)."""
    if dt.itemsize < 8:
        x, y = x.astype(np.float64), y.astype(np.float64)
    with quiet():
        return O.elementwise(fn, a, b, x, y, dt)


class Atan2Backward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, b, method=False):
        x, y, dt = _float_operands("atan2", a, b, method)
        ctx.save(self=a, other=b)
        return _precise(np.arctan2, a, b, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        scaled = grad / (a * a + b * b)
        return scaled * b, -scaled * a


class HypotBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, b, method=False):
        x, y, dt = _float_operands("hypot", a, b, method, integers=False)
        ctx.save(self=a, other=b, result=OUTPUT)
        return _precise(np.hypot, a, b, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        a, b, r = ctx.unpack("self", "other", "result")
        return grad * a / r, grad * b / r


def _logaddexp(x, y):
    """PyTorch's steps, each rounded: the larger plus log1p(exp(-|x - y|))."""
    out = np.maximum(x, y) + O.rounded(np.log1p, O.rounded(np.exp, -np.abs(x - y)))
    return np.where(np.isinf(x) & (x == y), x, out)


class LogaddexpBackward0(Function):
    @staticmethod
    def forward(ctx, a, b, method=False):
        x, y, dt = _float_operands("logaddexp", a, b, method, integers=False)
        ctx.save(self=a, other=b)
        with quiet():
            return O.elementwise(_logaddexp, a, b, O.opmath(x), O.opmath(y), dt)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        return grad / (1 + (b - a).exp()), grad / (1 + (a - b).exp())


def _xlogy(a, b):
    """``a * log(b)`` as a float, 0 where ``a`` is 0 (unless ``b`` is nan)."""
    for x in (a, b):
        if isinstance(x, Tensor) and x.dtype.is_complex:
            raise NotImplementedError(f"\"xlogy_cpu\" not implemented for "
                                      f"'{O.dtype_name(x.dtype)}'")
    x, y, dt = O.binary(a, b, floating=True)
    y = y if hasattr(y, "astype") else dt.np.type(y)
    with quiet():
        log_y = O.rounded(np.log, y)
        out = O.elementwise(np.multiply, a, b if isinstance(b, Tensor) else log_y, x, log_y, dt)
        out = np.where((x == 0) & ~np.isnan(y), np.zeros_like(out), out)
        return out.astype(dt.np, copy=False)  # cupy's where makes bfloat16 float32


class XlogyBackward0(Function):
    """``xlogy`` of two tensors."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save(self=a, other=b)
        return _xlogy(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        grad_a = xlogy(grad, b).masked_fill((a == 0) & (b <= 0), 0) if ctx.needs_grad(0) \
            else None
        return grad_a, grad * a / b if ctx.needs_grad(1) else None


class XlogyBackward1(Function):
    """``xlogy(number, tensor)``: the tensor is the one input."""

    @staticmethod
    def forward(ctx, b, number):
        ctx.save(self=number, other=b)
        return _xlogy(number, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        return (grad * a / b,)


class XlogyBackward2(Function):
    """``xlogy(tensor, number)``."""

    @staticmethod
    def forward(ctx, a, number):
        ctx.save(self=a, other=number)
        return _xlogy(a, number)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        return (xlogy(grad, b).masked_fill((a == 0) & (b <= 0), 0),)


class FmodBackward0(Function):
    """``fmod`` by a number."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, other):
        x, y, dt = O.binary(a, other)
        return _fmod(a, other, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        return (grad,)


class FmodBackward1(Function):
    """``fmod`` by a tensor, whose gradient is minus the truncated quotient."""

    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = O.binary(a, b)
        ctx.save(self=a, other=b)
        return _fmod(a, b, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        return grad, -grad * (a / b).trunc() if ctx.needs_grad(1) else None


def _fmod(a, b, x, y, dt):
    _refuse_kernel("fmod_cpu", a, b)
    with quiet():
        out = O.elementwise(np.fmod, a, b, x, y, dt)
    _check_integer_divisor(y, dt)
    return out


# ---------------------------------------------------------------- lerp, addcmul, addcdiv
def _lerp_operands(a, end, weight):
    from engine.ops.linalg import _CPP_NAMES
    for name, x in (("end", end), ("weight", weight)):
        if isinstance(x, Tensor) and x.dtype is not a.dtype:
            raise RuntimeError(f"expected dtype {_CPP_NAMES[a.dtype.name]} for `{name}` but got "
                               f"dtype {_CPP_NAMES[x.dtype.name]}")
    _lerp_shapes(a, end, weight)
    if a.dtype.category != 2:
        kernel = "lerp_kernel_tensor" if isinstance(weight, Tensor) else "lerp_kernel_scalar"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{O.dtype_name(a.dtype)}'")


def _lerp(a, end, weight):
    """PyTorch's two-sided formula, exact at both ends, with its fused multiply-adds; half
    floats computed in float32."""
    x, y = O.opmath(a._data), O.opmath(end._data)
    w = O.opmath(weight._data) if isinstance(weight, Tensor) else \
        backend.module_of(x).asarray(weight, x.dtype)
    diff = y - x
    out = np.where(np.abs(w) < 0.5, O.fma(w, diff, x), O.fma(-diff, 1 - w, y))
    return out.astype(a.dtype.np, copy=False)


def _lerp_shapes(a, end, weight):
    shapes = [O.shape_of(t) for t in (a, end, weight)]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        first, second = (0, 2) if _broadcasts(shapes[0], shapes[1]) else (0, 1)
        raise O.broadcast_error(shapes[first], shapes[second]) from None


class LerpBackward0(Function):
    """``lerp`` with a number for weight."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, end, weight):
        _lerp_operands(a, end, weight)
        ctx.save(weight=weight)
        return _lerp(a, end, weight)

    @staticmethod
    def backward(ctx, grad):
        w = ctx.unpack("weight")
        return grad * (1 - w), grad * w


class LerpBackward1(Function):
    """``lerp`` with a tensor weight, which takes a gradient too."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, end, weight):
        _lerp_operands(a, end, weight)
        ctx.save(self=a, end=end, weight=weight)
        return _lerp(a, end, weight)

    @staticmethod
    def backward(ctx, grad):
        a, end, w = ctx.unpack("self", "end", "weight")
        return grad * (1 - w), grad * w, grad * (end - a)


def _addc(name, a, t1, t2, value, fn):
    """``a + value * fn(t1, t2)`` in the dtype of the three, computed as PyTorch does."""
    dt = dtypes.result_type(a, t1, t2)
    if dt is dtypes.bool:
        raise NotImplementedError(f"\"{name}_cpu_out\" not implemented for 'Bool'")
    x, y, z = (O.opmath(O.cast(t, dt)) for t in (a, t1, t2))
    value = O.cast(int(value), dt) if dt.category < 2 else z.dtype.type(value)
    scaled = y * value if value != 1 else y
    try:
        with quiet():
            out = O.fma(scaled, z, x) if fn is np.multiply and dt.category == 2 else \
                x + fn(scaled, z)
    except ValueError:
        raise _broadcast_error3(a, t1, t2) from None
    return out.astype(dt.np, copy=False)


def _broadcast_error3(*operands):
    shapes = [O.shape_of(t) for t in operands]
    for i in range(3):
        for j in range(i + 1, 3):
            if not _broadcasts(shapes[i], shapes[j]):
                return O.broadcast_error(shapes[i], shapes[j])
    return O.broadcast_error(shapes[0], np.broadcast_shapes(shapes[1], shapes[2]))


class AddcmulBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, t1, t2, value=1):
        ctx.save(tensor1=t1, tensor2=t2, value=value)
        return _addc("addcmul", a, t1, t2, value, np.multiply)

    @staticmethod
    def backward(ctx, grad):
        t1, t2, value = ctx.unpack("tensor1", "tensor2", "value")
        return grad, grad * (t2 * value), grad * (t1 * value)


class AddcdivBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, t1, t2, value=1):
        if t1.dtype.category < 2 and t2.dtype.category < 2:
            raise RuntimeError(
                "Integer division with addcdiv is no longer supported, and in a future  "
                "release addcdiv will perform a true division of tensor1 and tensor2. The "
                "historic addcdiv behavior can be implemented as (input + value * "
                "torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
                "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv "
                "behavior is just the latter implementation: (input + value * tensor1 / "
                "tensor2), for all dtypes.")
        ctx.save(tensor1=t1, tensor2=t2, value=value)
        return _addc("addcdiv", a, t1, t2, value, np.true_divide)

    @staticmethod
    def backward(ctx, grad):
        t1, t2, value = ctx.unpack("tensor1", "tensor2", "value")
        return grad, grad * (value / t2), -grad * (value * t1 / (t2 * t2))


def atan2(a, b, *, method=False):
    """``method``: called as ``a.atan2(b)``, whose errors count positions from ``b``."""
    return Atan2Backward0.apply(a, b, method=method)


def hypot(a, b, *, method=False):
    return HypotBackward0.apply(a, b, method=method)


def logaddexp(a, b, *, method=False):
    return LogaddexpBackward0.apply(a, b, method=method)


def xlogy(a, b):
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        return XlogyBackward0.apply(a, b)
    if isinstance(b, Tensor):
        return XlogyBackward1.apply(b, number=a)
    if isinstance(a, Tensor):
        return XlogyBackward2.apply(a, number=b)
    raise TypeError(f"xlogy() received an invalid combination of arguments - got "
                    f"({type(a).__name__}, {type(b).__name__}), but expected one of:\n"
                    " * (Tensor input, Tensor other, *, Tensor out = None)\n"
                    " * (Number self, Tensor other, *, Tensor out = None)\n"
                    " * (Tensor input, Number other, *, Tensor out = None)\n")


def fmod(a, b):
    if isinstance(b, Tensor):
        return FmodBackward1.apply(a, b)
    return FmodBackward0.apply(a, other=b)


def lerp(a, end, weight):
    if isinstance(weight, Tensor):
        return LerpBackward1.apply(a, end, weight)
    return LerpBackward0.apply(a, end, weight=weight)


def addcmul(a, tensor1, tensor2, *, value=1):
    return AddcmulBackward0.apply(a, tensor1, tensor2, value=value)


def addcdiv(a, tensor1, tensor2, *, value=1):
    return AddcdivBackward0.apply(a, tensor1, tensor2, value=value)
