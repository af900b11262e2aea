"""``torch.nn.functional``: activations, ``linear`` and the losses."""
import warnings

import numpy as np

from engine.autograd.node import Function
from engine.ops import elementwise as E
from engine.ops import linalg as L
from engine.ops import reduce as R
from engine.tensor import Tensor

relu, tanh, sigmoid = E.relu, E.tanh, E.sigmoid
_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def softmax(input, dim=None):  # noqa: A002 - PyTorch's argument name
    return R.softmax(input, dim)


def log_softmax(input, dim=None):  # noqa: A002
    return R.log_softmax(input, dim)


def linear(input, weight, bias=None):  # noqa: A002
    """``input @ weight.T + bias``, recorded with the nodes PyTorch records."""
    if input.ndim == 2 and bias is not None:
        return L.addmm(bias, input, weight.t())
    if input.ndim == 1 and bias is not None:
        return L.addmm(bias, input.unsqueeze(0), weight.t()).view(weight.shape[0])
    out = L.matmul(input, weight.t())
    return out if bias is None else out + bias


def _reduction_code(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _REDUCTIONS[reduction]


def _reduce(values, code):
    if code == 1:
        return values.mean()
    if code == 2:
        return values.sum()
    return values


def _warn_sizes(input, target):  # noqa: A002
    if input.shape != target.shape:
        warnings.warn(f"Using a target size ({target.shape!r}) that is different to the input "
                      f"size ({input.shape!r}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=3)


class MseLossBackward0(Function):
    @staticmethod
    def forward(ctx, a, target, reduction):
        ctx.save(self=a, target=target, reduction=reduction)
        diff = np.subtract(a._data, target._data)
        sq = diff * diff
        if reduction == 1:
            return np.mean(sq, dtype=sq.dtype)
        return np.sum(sq, dtype=sq.dtype) if reduction == 2 else sq

    @staticmethod
    def backward(ctx, grad):
        a, target, reduction = ctx.unpack("self", "target", "reduction")
        g = 2 * (a - target) * grad
        if reduction == 1:
            g = g / a.numel()
        return g, (-g if ctx.next_functions[1][0] is not None else None)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):  # noqa: A002
    _warn_sizes(input, target)
    return MseLossBackward0.apply(input, target, reduction=_reduction_code(reduction))


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):  # noqa: A002
    _warn_sizes(input, target)
    return _reduce((input - target).abs(), _reduction_code(reduction))


class NllLossBackward0(Function):
    @staticmethod
    def forward(ctx, logp, target, reduction, ignore_index):
        if target.dtype.category != 1:
            raise RuntimeError(f"expected scalar type Long but found "
                               f"{target.dtype.tensor_type.removesuffix('Tensor')}")
        x, t = logp._data, target._data
        if x.ndim == 1:
            x, t = x[None], t.reshape(1)
        if t.size and (t.max() >= x.shape[1] or t.min() < 0) and not np.all(t == ignore_index):
            bad = int(t.max() if t.max() >= x.shape[1] else t.min())
            raise IndexError(f"Target {bad} is out of bounds.")
        keep = t != ignore_index
        picked = -np.take_along_axis(x, np.where(keep, t, 0)[:, None], 1)[:, 0] * keep
        total = keep.sum()
        ctx.save(target=target, reduction=reduction, ignore_index=ignore_index,
                 total_weight=float(total))
        ctx.mask = np.zeros(x.shape, dtype=x.dtype)
        ctx.mask[np.arange(len(t)), np.where(keep, t, 0)] = -keep.astype(x.dtype)
        ctx.mask = ctx.mask.reshape(logp.shape)
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
            return (mask * (grad.unsqueeze(-1) if mask.ndim > 1 else grad),)
        return (mask * grad / (total if reduction == 1 else 1),)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100,  # noqa: A002
             reduce=None, reduction="mean"):
    if weight is not None:
        raise NotImplementedError("nll_loss with class weights is not supported")
    return NllLossBackward0.apply(input, target, reduction=_reduction_code(reduction),
                                  ignore_index=ignore_index)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,  # noqa: A002
                  reduce=None, reduction="mean", label_smoothing=0.0):
    if label_smoothing:
        raise NotImplementedError("cross_entropy with label_smoothing is not supported")
    return nll_loss(log_softmax(input, 1 if input.ndim > 1 else 0), target, weight,
                    ignore_index=ignore_index, reduction=reduction)
