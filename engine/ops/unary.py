"""Math on one tensor: neg, abs, exp, log, sqrt, the trigonometric and hyperbolic
functions and their inverses, erf, sigmoid, relu, clamp, nan_to_num, and the stepwise
round, floor, ceil, trunc and sign.

The float-only ops lift integer inputs to the default float first, as PyTorch's do; the
stepwise ones keep integers as they are.
"""
import math

import ml_dtypes
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


# ---------------------------------------------------------------- float functions
class _Float(Function):
    """A float function of one tensor, integers lifted to the default float, computed as
    ``O.precise`` computes; the node saves ``self``, or its result where ``saves_result``."""

    array_backward = True
    numpy_fn = None
    saves_result = False

    @classmethod
    def forward(cls, ctx, a):
        if cls.saves_result:
            ctx.save(result=OUTPUT)
        else:
            ctx.save(self=a)
        with quiet():
            return O.precise(cls.numpy_fn, a)


class TanBackward0(_Float):
    numpy_fn, saves_result = staticmethod(np.tan), True

    @staticmethod
    def backward(ctx, grad):
        r = ctx.unpack("result")
        return (grad * (1 + r * r),)


class AsinBackward0(_Float):
    numpy_fn = staticmethod(np.arcsin)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        return (grad / (1 - a * a) ** 0.5,)


class AcosBackward0(_Float):
    numpy_fn = staticmethod(np.arccos)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        return (-grad / (1 - a * a) ** 0.5,)


class AtanBackward0(_Float):
    numpy_fn = staticmethod(np.arctan)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        return (grad / (1 + a * a),)


class SinhBackward0(_Float):
    array_backward = False
    numpy_fn = staticmethod(np.sinh)

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.unpack("self").cosh(),)


class CoshBackward0(_Float):
    array_backward = False
    numpy_fn = staticmethod(np.cosh)

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.unpack("self").sinh(),)


class AsinhBackward0(_Float):
    numpy_fn = staticmethod(np.arcsinh)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        return (grad / (a * a + 1) ** 0.5,)


class AcoshBackward0(_Float):
    numpy_fn = staticmethod(np.arccosh)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        return (grad / (a * a - 1) ** 0.5,)


class AtanhBackward0(_Float):
    numpy_fn = staticmethod(np.arctanh)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        return (grad / (1 - a * a),)


class Log1PBackward0(_Float):
    numpy_fn = staticmethod(np.log1p)

    @staticmethod
    def backward(ctx, grad):
        return (grad / (ctx.unpack("self") + 1),)


class Expm1Backward0(_Float):
    numpy_fn, saves_result = staticmethod(np.expm1), True

    @staticmethod
    def backward(ctx, grad):
        return (grad * (ctx.unpack("result") + 1),)


class Log2Backward0(_Float):
    numpy_fn = staticmethod(np.log2)

    @staticmethod
    def backward(ctx, grad):
        return (grad / (ctx.unpack("self") * math.log(2)),)


class Log10Backward0(_Float):
    numpy_fn = staticmethod(np.log10)

    @staticmethod
    def backward(ctx, grad):
        return (grad / (ctx.unpack("self") * math.log(10)),)


class Exp2Backward0(_Float):
    numpy_fn, saves_result = staticmethod(np.exp2), True

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.unpack("result") * math.log(2),)


class RsqrtBackward0(_Float):
    saves_result = True

    @staticmethod
    def forward(ctx, a):
        ctx.save(result=OUTPUT)
        with quiet():  # rounded twice, as in PyTorch
            return 1 / np.sqrt(O.floating(a))

    @staticmethod
    def backward(ctx, grad):
        r = ctx.unpack("result")
        return (grad * (-0.5 * r * r * r),)


_ERF = np.frompyfunc(math.erf, 1, 1)


def _erf(x):
    """erf of a float64 array: numpy has none, and Python's is within an ulp."""
    if type(x) is not np.ndarray:  # a cupy array
        from cupyx.scipy.special import erf
        return erf(x)
    return np.asarray(_ERF(x), np.float64)


class ErfBackward0(_Float):
    array_backward = False
    numpy_fn = staticmethod(_erf)

    @classmethod
    def forward(cls, ctx, a):
        if a.dtype.is_complex:
            raise NotImplementedError(f"\"erf_vml_cpu\" not implemented for "
                                      f"'{O.dtype_name(a.dtype)}'")
        return super().forward(ctx, a)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        return (grad * (2 / math.sqrt(math.pi)) * (-(a * a)).exp(),)


def _no_inplace_derivative(name):
    def backward(ctx, grad):
        raise NotImplementedError(f"the derivative for 'inplace version of {name}' is not "
                                  "implemented.")
    return staticmethod(backward)


class AsinhBackward1(AsinhBackward0):
    array_backward, backward = False, _no_inplace_derivative("asinh")


class AcoshBackward1(AcoshBackward0):
    array_backward, backward = False, _no_inplace_derivative("acosh")


class AtanhBackward1(AtanhBackward0):
    array_backward, backward = False, _no_inplace_derivative("atanh")


def _refuse_non_float(kernel, a):
    if a.dtype.category != 2:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{O.dtype_name(a.dtype)}'")


class SincBackward0(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save(self=a)
        x = O.floating(a)
        work = O.opmath(x)
        px = work * work.dtype.type(math.pi)  # rounded before the sine, as in PyTorch
        with quiet():
            out = O.rounded(np.sin, px) / px
        return np.where(work == 0, 1, out).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        px, squared = a * math.pi, a * a * math.pi
        return (F.where(squared == 0, 0, grad * (px * px.cos() - px.sin()) / squared),)


class FracBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        _refuse_non_float("frac_cpu", a)
        x = a._data
        with quiet():
            return x - np.trunc(x)

    @staticmethod
    def backward(ctx, grad):
        return (grad,)


class NanToNumBackward0(Function):
    @staticmethod
    def forward(ctx, a, nan=None, posinf=None, neginf=None):
        x = a._data
        if a.dtype.category != 2:
            return x.copy()
        ctx.save(self=a)
        info, of_dtype = ml_dtypes.finfo(x.dtype), x.dtype.type
        with quiet():  # a value beyond the dtype's range becomes inf, as in PyTorch
            big = info.max if posinf is None else of_dtype(posinf)
            small = info.min if neginf is None else of_dtype(neginf)
            out = np.where(x == np.inf, big, np.where(x == -np.inf, small, x))
            return np.where(np.isnan(x), of_dtype(0 if nan is None else nan), out)

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.unpack("self").isfinite(),)


def tan(a):
    return TanBackward0.apply(a)


def asin(a):
    return AsinBackward0.apply(a)


def acos(a):
    return AcosBackward0.apply(a)


def atan(a):
    return AtanBackward0.apply(a)


def sinh(a):
    return SinhBackward0.apply(a)


def cosh(a):
    return CoshBackward0.apply(a)


def asinh(a):
    return AsinhBackward0.apply(a)


def acosh(a):
    return AcoshBackward0.apply(a)


def atanh(a):
    return AtanhBackward0.apply(a)


def log1p(a):
    return Log1PBackward0.apply(a)


def expm1(a):
    return Expm1Backward0.apply(a)


def log2(a):
    return Log2Backward0.apply(a)


def log10(a):
    return Log10Backward0.apply(a)


def exp2(a):
    return Exp2Backward0.apply(a)


def rsqrt(a):
    return RsqrtBackward0.apply(a)


def erf(a):
    return ErfBackward0.apply(a)


def sinc(a):
    return SincBackward0.apply(a)


def frac(a):
    return FracBackward0.apply(a)


def nan_to_num(a, nan=0.0, posinf=None, neginf=None):
    return NanToNumBackward0.apply(a, nan=nan, posinf=posinf, neginf=neginf)


arcsin, arccos, arctan, arcsinh, arccosh, arctanh, fix = (
    asin, acos, atan, asinh, acosh, atanh, trunc)
