"""Loss nodes that PyTorch records as one node each (``MseLossBackward0``,
``NllLossBackward0``). Reductions: 0 none, 1 mean, 2 sum, as PyTorch saves them."""
import math

import numpy as np

from engine import backend
from engine.autograd.grad_mode import _state as _grad_mode
from engine.autograd.node import Function
from engine.ops import operands as O
from engine.ops.reduce import _mean_array
from engine.tensor import Tensor


class MseLossBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, target, reduction):
        if a.dtype is target.dtype and a.dtype.category >= 2:  # the usual case, checked
            x, y = a._data, target._data
        else:
            x, y, dt = O.binary(a, target)
            if dt.category < 2:
                raise NotImplementedError(
                    f'"mse_cpu" not implemented for \'{O.dtype_name(dt)}\'')
        ctx.save(self=a, target=target, reduction=reduction)
        diff = np.subtract(x, y)
        sq = diff * diff
        if reduction == 1:
            return _mean_array(sq, None, False, sq.dtype)
        return np.sum(sq, dtype=sq.dtype) if reduction == 2 else sq

    @staticmethod
    def backward(ctx, grad):
        a, target, reduction = ctx.unpack("self", "target", "reduction")
        norm = 2 / math.prod(a.shape) if reduction == 1 else 2  # PyTorch's order of operations
        g = (a - target) * norm * grad
        return g, (-g if ctx.needs_grad(1) else None)


class _NllLoss(Function):
    """The negative log-likelihood of each target class: ``-weight[t] * logp[..., t, ...]``
    along the class dim (1, or 0 for a single sample), 0 where ``t`` is ``ignore_index``; a
    mean divides by the weights taken."""

    @staticmethod
    def forward(ctx, logp, target, weight, reduction, ignore_index):
        O.check_same_device(logp, target)
        x, t = logp._data, target._data
        classes = x.shape[1 if x.ndim > 1 else 0]
        rows = np.moveaxis(x, 1, -1).reshape(-1, classes) if x.ndim > 1 else x[None]
        t = t.reshape(-1)
        keep = t != ignore_index
        kept = t[keep]
        if kept.size and (kept.max() >= classes or kept.min() < 0):
            bad = int(kept.max() if kept.max() >= classes else kept.min())
            raise IndexError(f"Target {bad} is out of bounds.")
        safe = np.where(keep, t, 0)
        taken = keep.astype(x.dtype) if weight is None else weight._data[safe] * keep
        chosen = np.take_along_axis(rows, safe[:, None], 1)[:, 0]
        picked = np.where(keep, -taken * chosen, 0)
        total = taken.sum() if reduction else np.zeros((), x.dtype)
        ctx.save(self=logp, target=target, weight=weight, reduction=reduction,
                 ignore_index=ignore_index, total_weight=Tensor._make(total))
        mask = np.zeros_like(rows)
        mask[backend.module_of(rows).arange(len(t)), safe] = -taken
        ctx.mask = np.moveaxis(mask.reshape(x.shape[:1] + x.shape[2:] + (classes,)), -1, 1) \
            if x.ndim > 1 else mask.reshape(x.shape)
        if reduction == 1:
            return (picked.sum() / total).astype(x.dtype)
        if reduction == 2:
            return picked.sum().astype(x.dtype)
        return picked.reshape(target.shape)

    @staticmethod
    def backward(ctx, grad):
        reduction, total = ctx.unpack("reduction", "total_weight")
        mask = Tensor._make(ctx.mask)
        if reduction == 0:
            return (mask * (grad.unsqueeze(1) if mask.ndim > 1 else grad),)
        return (mask * grad / (total if reduction == 1 else 1),)


class NllLossBackward0(_NllLoss):
    """``nll_loss`` of a batch of class scores (N, C), or of one sample's (C)."""


class NllLoss2DBackward0(_NllLoss):
    """``nll_loss`` of scores with dims beyond the class dim (N, C, H, W)."""


def _reduced(values, reduction):
    """An elementwise loss's array, reduced as ``reduction`` asks."""
    if reduction == 1:
        return _mean_array(values, None, False, values.dtype)
    return np.sum(values, dtype=values.dtype) if reduction == 2 else values


def _chained(grad_elements, grad, reduction, numel, weight=None):
    """The elementwise loss gradient (times ``weight``, if one is given) times the incoming
    gradient, over ``numel`` for a mean."""
    g = (grad_elements if weight is None else grad_elements * weight) * grad
    return g / numel if reduction == 1 else g


def _weighted(values, weight, shape):
    """``values`` times the array of a weight tensor, if one is given."""
    if weight is None:
        return values
    try:
        return values * (weight._data if isinstance(weight, Tensor) else weight)
    except ValueError:
        raise O.broadcast_error(shape, tuple(weight.shape)) from None


def _check_no_grad(function, **weights):
    """PyTorch's refusal of a weight that requires grad, where it has no derivative for it."""
    for name, weight in weights.items():
        if weight is not None and weight.requires_grad and _grad_mode.enabled:
            raise RuntimeError(f"The function '{function}' is not differentiable with respect "
                               f"to argument '{name}'. This input cannot have requires_grad "
                               "True.")


def _float_pair(a, target):
    """Both operands' arrays in their common floating dtype."""
    x, y, _ = O.binary(a, target, floating=True)
    return backend.as_array(x), backend.as_array(y)


class BinaryCrossEntropyBackward0(Function):
    """PyTorch clamps each log at -100, so that a certain wrong prediction costs 100."""

    EPSILON = 1e-12

    @staticmethod
    def forward(ctx, a, target, weight=None, reduction=1):
        if target.dtype is not a.dtype:
            raise RuntimeError(f"Found dtype {O.dtype_name(target.dtype)} but expected "
                               f"{O.dtype_name(a.dtype)}")
        _check_no_grad("binary_cross_entropy", weight=weight)
        x, y = a._data, target._data
        if not np.all((x >= 0) & (x <= 1)):
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.save(self=a, target=target, weight=weight, reduction=reduction)
        with backend.quiet():
            log_x = np.maximum(O.precise(np.log, a), -100)
            log_1mx = np.maximum(O.rounded(np.log1p, -x), -100)
        loss = (y - 1) * log_1mx - y * log_x
        return _reduced(_weighted(loss, weight, x.shape).astype(x.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, w, reduction = ctx.unpack("self", "target", "weight", "reduction")
        grads = [None, None]
        if ctx.needs_grad(0):
            g = (x - t) / ((1 - x) * x).clamp(min=BinaryCrossEntropyBackward0.EPSILON)
            grads[0] = _chained(g, grad, reduction, x.numel(), w)
        if ctx.needs_grad(1):
            g = (-x).log1p() - x.log()
            grads[1] = _chained(g, grad, reduction, x.numel(), w)
        return tuple(grads)


class BinaryCrossEntropyWithLogitsBackward0(Function):
    """``(1 - t) x - (1 + (pos_weight - 1) t) log(sigmoid(x))``, times ``weight``."""

    @staticmethod
    def forward(ctx, a, target, weight=None, pos_weight=None, reduction=1):
        _check_no_grad("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
        ctx.save(self=a, target=target, weight=weight, pos_weight=pos_weight,
                 reduction=reduction)
        x, y = _float_pair(a, target)
        with backend.quiet():
            log_sigmoid = np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))
        if pos_weight is not None:
            log_sigmoid = _weighted(log_sigmoid * y, pos_weight._data - 1, x.shape) + log_sigmoid
        loss = (1 - y) * x - log_sigmoid
        return _reduced(_weighted(loss, weight, x.shape).astype(x.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, w, pw, reduction = ctx.unpack("self", "target", "weight", "pos_weight",
                                            "reduction")
        grads = [None, None]
        if ctx.needs_grad(0):
            if pw is None:
                g = x.sigmoid() - t
            else:
                tp = pw * t
                g = (tp + 1 - t) * x.sigmoid() - tp
            grads[0] = _chained(g, grad, reduction, x.numel(), w)
        if ctx.needs_grad(1):
            g = -x
            if pw is not None:
                g = g - (pw - 1) * (x.clamp(max=0) - (-x.abs()).exp().log1p())
            grads[1] = _chained(g, grad, reduction, x.numel(), w)
        return tuple(grads)


class HuberLossBackward0(Function):
    @staticmethod
    def forward(ctx, a, target, reduction, delta):
        ctx.save(self=a, target=target, reduction=reduction, delta=delta)
        x, y = _float_pair(a, target)
        diff = x - y
        size = np.abs(diff)
        loss = np.where(size < delta, 0.5 * diff * diff, delta * (size - 0.5 * delta))
        return _reduced(loss.astype(diff.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, reduction, delta = ctx.unpack("self", "target", "reduction", "delta")
        g = _chained((x - t).clamp(-delta, delta), grad, reduction, x.numel())
        return g, (-g if ctx.needs_grad(1) else None)


class SmoothL1LossBackward0(Function):
    @staticmethod
    def forward(ctx, a, target, reduction, beta):
        ctx.save(self=a, target=target, reduction=reduction, beta=beta)
        x, y = _float_pair(a, target)
        diff = x - y
        size = np.abs(diff)
        loss = np.where(size < beta, 0.5 * diff * diff / beta, size - 0.5 * beta)
        return _reduced(loss.astype(diff.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, grad):
        x, t, reduction, beta = ctx.unpack("self", "target", "reduction", "beta")
        g = _chained(((x - t) / beta).clamp(-1, 1), grad, reduction, x.numel())
        return g, (-g if ctx.needs_grad(1) else None)
