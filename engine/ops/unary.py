"""Math on one tensor: neg, abs, exp, log, sqrt, sin, cos, tanh, sigmoid, relu, clamp,
and the stepwise round, floor, ceil, trunc and sign.

The float-only ops lift integer inputs to the default float first, as PyTorch's do; the
stepwise ones keep integers as they are.
"""
import numpy as np

from engine import dtypes
from engine.autograd.node import OUTPUT, Function
from engine.backend import quiet
from engine.ops import formula as F
from engine.ops import operands as O
from engine.ops.elementwise import ones_like


class NegBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        if a.dtype is dtypes.bool:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                               "If you are trying to invert a mask, use the `~` or "
                               "`logical_not()` operator instead.")
        return np.negative(a._data)

    @staticmethod
    def backward(ctx, grad):
        return (-grad,)


class AbsBackward0(Function):
    @staticmethod
    def forward(ctx, a):
        if a.dtype is dtypes.bool:
            raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
        ctx.save(self=a)
        return np.abs(a._data)

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.unpack("self").sign(),)


class ExpBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        ctx.save(result=OUTPUT)
        with quiet():
            return O.precise(np.exp, a)

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.unpack("result"),)


class LogBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        ctx.save(self=a)
        with quiet():
            return O.precise(np.log, a)

    @staticmethod
    def backward(ctx, grad):
        return (grad / ctx.unpack("self"),)


class SqrtBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        ctx.save(result=OUTPUT)
        with quiet():
            return np.sqrt(O.floating(a))

    @staticmethod
    def backward(ctx, grad):
        return (grad / (2 * ctx.unpack("result")),)


class SinBackward0(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save(self=a)
        return O.precise(np.sin, a)

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.unpack("self").cos(),)


class CosBackward0(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save(self=a)
        return O.precise(np.cos, a)

    @staticmethod
    def backward(ctx, grad):
        return (grad * -ctx.unpack("self").sin(),)


class TanhBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        ctx.save(result=OUTPUT)
        return O.precise(np.tanh, a)

    @staticmethod
    def backward(ctx, grad):
        r = ctx.unpack("result")
        return (grad * (1 - r * r),)


class SigmoidBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        ctx.save(result=OUTPUT)
        x = O.floating(a)
        with quiet():
            return (1 / (1 + np.exp(-x))).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        r = ctx.unpack("result")
        return (grad * r * (1 - r),)


class ReluBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        if a.dtype is dtypes.bool:
            raise RuntimeError("Boolean inputs not supported for relu")
        if a.dtype.is_complex:
            raise NotImplementedError("clamp is not supported for complex types")
        ctx.save(result=OUTPUT)
        return np.maximum(a._data, a._data.dtype.type(0))

    @staticmethod
    def backward(ctx, grad):
        return (F.where(ctx.unpack("result") > 0, grad, 0),)


class ClampBackward1(Function):
    @staticmethod
    def forward(ctx, a, min=None, max=None):  # noqa: A002 - PyTorch's argument names
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        if a.dtype.is_complex:
            raise NotImplementedError("clamp is not supported for complex types")
        ctx.save(self=a, min=min, max=max)
        dt = dtypes.result_type(a, *(v for v in (min, max) if v is not None))
        x = O.cast(a, dt)
        lo = -np.inf if min is None else min
        hi = np.inf if max is None else max
        out = np.minimum(np.maximum(x, lo), hi)
        return out.astype(dt.np) if out.dtype != dt.np else out

    @staticmethod
    def backward(ctx, grad):
        a, lo, hi = ctx.unpack("self", "min", "max")
        mask = ones_like(a, dtype=dtypes.bool)
        if lo is not None:
            mask = mask & (a >= lo)
        if hi is not None:
            mask = mask & (a <= hi)
        return (F.where(mask, grad, 0),)


def neg(a):
    return NegBackward0.apply(a)


def abs(a):  # noqa: A001
    return AbsBackward0.apply(a)


def exp(a):
    return ExpBackward0.apply(a)


def log(a):
    return LogBackward0.apply(a)


def sqrt(a):
    return SqrtBackward0.apply(a)


def sin(a):
    return SinBackward0.apply(a)


def cos(a):
    return CosBackward0.apply(a)


def tanh(a):
    return TanhBackward0.apply(a)


def sigmoid(a):
    return SigmoidBackward0.apply(a)


def relu(a):
    return ReluBackward0.apply(a)


def clamp(a, min=None, max=None):  # noqa: A002
    return ClampBackward1.apply(a, min=min, max=max)


class _Stepwise(Function):
    """round, floor, ceil, trunc and sign: flat between their jumps, so PyTorch's gradient
    is zero everywhere. Integer tensors stay as they are (sign aside)."""

    array_backward = True
    numpy_fn = None

    @classmethod
    def forward(cls, ctx, a, **params):
        x = a._data
        name = cls.__name__[:-9].lower()
        if a.dtype.is_complex and name != "round":
            raise NotImplementedError(f"{name} is not supported for complex inputs")
        if a.dtype is dtypes.bool or a.dtype.is_complex:
            raise NotImplementedError(f'"{name}_vml_cpu" not implemented for '
                                      f"'{O.dtype_name(a.dtype)}'")
        return cls.numpy_fn(x, **params) if a.dtype.category >= 2 else x.copy()

    @staticmethod
    def backward(ctx, grad):
        return (F.zeros_like(grad),)


class FloorBackward0(_Stepwise):
    numpy_fn = staticmethod(np.floor)


class CeilBackward0(_Stepwise):
    numpy_fn = staticmethod(np.ceil)


class TruncBackward0(_Stepwise):
    numpy_fn = staticmethod(np.trunc)


class RoundBackward0(_Stepwise):
    numpy_fn = staticmethod(np.round)


class RoundBackward1(_Stepwise):
    """``round(decimals=n)``."""

    numpy_fn = staticmethod(np.round)


class SignBackward0(_Stepwise):
    @staticmethod
    def forward(ctx, a):
        x = a._data
        if a.dtype.is_complex:
            raise NotImplementedError("Unlike NumPy, torch.sign is not intended to support "
                                      "complex numbers. Please use torch.sgn instead.")
        if a.dtype is dtypes.bool:
            return x.copy()
        out = np.sign(x)
        return np.where(np.isnan(out), 0, out).astype(x.dtype) if a.dtype.category >= 2 else out


def floor(a):
    return FloorBackward0.apply(a)


def ceil(a):
    return CeilBackward0.apply(a)


def trunc(a):
    return TruncBackward0.apply(a)


def round(a, decimals=0):  # noqa: A001
    return RoundBackward0.apply(a) if not decimals else RoundBackward1.apply(a, decimals=decimals)


def sign(a):
    return SignBackward0.apply(a)
