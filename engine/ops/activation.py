"""The activations of ``torch.nn.functional`` beyond relu, tanh and sigmoid: softplus,
leaky_relu, gelu, elu and silu, with their in-place forms' nodes."""
import math

import numpy as np

from engine.autograd.node import OUTPUT, Function
from engine.backend import quiet
from engine.ops import formula as F
from engine.ops import operands as O
from engine.ops.unary import _erf, _refuse_non_float


class SoftplusBackward0(Function):
    @staticmethod
    def forward(ctx, a, beta=1, threshold=20):
        _refuse_non_float("softplus_cpu", a)
        ctx.save(self=a, beta=beta, threshold=threshold)
        x = O.opmath(a._data)
        scaled = x * x.dtype.type(beta)
        soft = O.rounded(np.log1p, O.rounded(np.exp, scaled)) / x.dtype.type(beta)
        return np.where(scaled > threshold, x, soft).astype(a.dtype.np, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a, beta, threshold = ctx.unpack("self", "beta", "threshold")
        scaled = a * beta
        return (F.where(scaled > threshold, grad, grad * scaled.sigmoid()),)


def _leaky_relu(a, negative_slope):
    _refuse_non_float("leaky_relu_cpu", a)
    x = O.opmath(a._data)
    out = np.where(x > 0, x, x * x.dtype.type(negative_slope))
    return out.astype(a.dtype.np, copy=False)


class LeakyReluBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, negative_slope=0.01):
        ctx.save(self=a, negative_slope=negative_slope)
        return _leaky_relu(a, negative_slope)

    @staticmethod
    def backward(ctx, grad):
        a, slope = ctx.unpack("self", "negative_slope")
        return (F.where(a > 0, grad, grad * slope),)


class LeakyReluBackward1(Function):
    """``leaky_relu_``, in place: backward reads the sign from the result."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, negative_slope=0.01):
        ctx.save(result=OUTPUT, negative_slope=negative_slope)
        return _leaky_relu(a, negative_slope)

    @staticmethod
    def backward(ctx, grad):
        r, slope = ctx.unpack("result", "negative_slope")
        if slope < 0:
            raise RuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope "
                "which is not supported. This is caused by calling in-place forward function "
                "with a negative slope, please call out-of-place version instead. File an "
                "issue at https://github.com/pytorch/pytorch if you do require supporting "
                "in-place leakRelu backward calculation with negative slope")
        return (F.where(r > 0, grad, grad * slope),)


_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)


def _erf_float32(x):
    """erf as PyTorch's vectorised float32 kernels compute it for gelu: Abramowitz and
    Stegun's formula 7.1.26 (error up to 1.5e-7), with fused multiply-adds."""
    f = np.float32
    t = f(1) / O.fma(f(0.3275911), np.abs(x), f(1))
    r = f(1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        r = O.fma(r, t, f(coefficient))
    return np.copysign(O.fma(-O.rounded(np.exp, -(x * x)) * t, r, f(1)), x)


class GeluBackward0(Function):
    @staticmethod
    def forward(ctx, a, approximate="none"):
        if approximate not in ("none", "tanh"):
            raise RuntimeError("approximate argument must be either none or tanh.")
        _refuse_non_float("GeluKernelImpl", a)
        ctx.save(self=a, approximate=approximate)
        x = O.opmath(a._data)
        c = x.dtype.type
        if approximate == "tanh":
            inner = c(_SQRT_2_OVER_PI) * (x + c(0.044715) * (x * x * x))
            out = c(0.5) * x * (1 + O.rounded(np.tanh, inner))
        else:
            scaled = x * c(math.sqrt(0.5))
            if x.dtype == np.float32:  # x / 2 + x / 2 * erf, fused, as PyTorch computes it
                half = x * c(0.5)
                out = O.fma(half, _erf_float32(scaled), half)
            else:
                out = x * c(0.5) * (1 + O.rounded(_erf, scaled))
        return out.astype(a.dtype.np, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a, approximate = ctx.unpack("self", "approximate")
        if approximate == "tanh":
            t = (_SQRT_2_OVER_PI * (a + 0.044715 * a * a * a)).tanh()
            slope = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * a * a)
            return (grad * (0.5 * (1 + t) + 0.5 * a * (1 - t * t) * slope),)
        cdf = 0.5 * (1 + (a / math.sqrt(2)).erf())
        pdf = (-0.5 * a * a).exp() / math.sqrt(2 * math.pi)
        return (grad * (cdf + a * pdf),)


def _elu(a, alpha, scale, input_scale):
    _refuse_non_float("elu_cpu", a)
    x = O.opmath(a._data)
    c = x.dtype.type
    with quiet():
        negative = O.rounded(np.expm1, x * c(input_scale)) * c(alpha * scale)
        return np.where(x > 0, x * c(scale), negative).astype(a.dtype.np, copy=False)


class EluBackward0(Function):
    @staticmethod
    def forward(ctx, a, alpha=1.0, scale=1, input_scale=1):
        ctx.save(self=a, alpha=alpha, scale=scale, input_scale=input_scale)
        return _elu(a, alpha, scale, input_scale)

    @staticmethod
    def backward(ctx, grad):
        a, alpha, scale, input_scale = ctx.unpack("self", "alpha", "scale", "input_scale")
        negative = grad * (input_scale * alpha * scale) * (a * input_scale).exp()
        return (F.where(a > 0, grad * scale, negative),)


class EluBackward1(Function):
    """``elu_``, in place: backward works from the result."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, alpha=1.0, scale=1, input_scale=1):
        ctx.save(result=OUTPUT, alpha=alpha, scale=scale, input_scale=input_scale)
        return _elu(a, alpha, scale, input_scale)

    @staticmethod
    def backward(ctx, grad):
        r, alpha, scale, input_scale = ctx.unpack("result", "alpha", "scale", "input_scale")
        if alpha < 0:
            raise RuntimeError(
                "In-place elu backward calculation is triggered with a negative slope which "
                "is not supported. This is caused by calling in-place forward function with "
                "a negative slope, please call out-of-place version instead.")
        return (F.where(r > 0, grad * scale, grad * input_scale * (r + alpha * scale)),)


class SiluBackward0(Function):
    @staticmethod
    def forward(ctx, a):
        _refuse_non_float("silu_cpu", a)
        ctx.save(self=a)
        x = O.opmath(a._data)
        with quiet():
            return (x / (1 + O.rounded(np.exp, -x))).astype(a.dtype.np, copy=False)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        s = a.sigmoid()
        return (grad * s * (1 + a * (1 - s)),)


def softplus(a, beta=1, threshold=20):
    return SoftplusBackward0.apply(a, beta=beta, threshold=threshold)


def leaky_relu(a, negative_slope=0.01):
    return LeakyReluBackward0.apply(a, negative_slope=negative_slope)


def gelu(a, approximate="none"):
    return GeluBackward0.apply(a, approximate=approximate)


def elu(a, alpha=1.0):
    return EluBackward0.apply(a, alpha=alpha)


def silu(a):
    return SiluBackward0.apply(a)
