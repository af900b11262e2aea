"""Math on one tensor: neg, abs, exp, log, sqrt, sin, cos, tanh, sigmoid, relu, clamp.

Integer inputs are lifted to the default float first, as PyTorch's float-only ops do.
"""
import numpy as np

from engine import dtypes
from engine.backend import quiet
from engine.autograd.node import OUTPUT, Function
from engine.ops import operands as O
from engine.ops.elementwise import ones_like
from engine.tensor import Tensor


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
        ctx.save(result=OUTPUT)
        return np.maximum(a._data, a._data.dtype.type(0))

    @staticmethod
    def backward(ctx, grad):
        return (grad * (ctx.unpack("result") > 0),)


class ClampBackward1(Function):
    @staticmethod
    def forward(ctx, a, min=None, max=None):  # noqa: A002 - PyTorch's argument names
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
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
        return (grad * mask,)


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


def sign(a):
    return Tensor._make(np.sign(a._data))


def _no_grad_unary(fn):
    return lambda a: Tensor._make(fn(O.floating(a)))


floor = _no_grad_unary(np.floor)


ceil = _no_grad_unary(np.ceil)


round = _no_grad_unary(np.round)  # noqa: A001
