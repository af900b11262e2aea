"""Loss nodes that PyTorch records as one node each (``MseLossBackward0``,
``NllLossBackward0``). Reductions: 0 none, 1 mean, 2 sum, as PyTorch saves them."""
import math

import numpy as np

from engine import backend, dtypes
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


class NllLossBackward0(Function):
    @staticmethod
    def forward(ctx, logp, target, reduction, ignore_index):
        if target.dtype not in (dtypes.int64, dtypes.uint8):
            raise RuntimeError("expected target dtype to be Long or Byte, but got "
                               f"{O.dtype_name(target.dtype)}")
        if logp.ndim > 2:
            raise NotImplementedError("nll_loss and cross_entropy over more than two dimensions "
                                      "(N, C, d1, ...) are not supported")
        if logp.ndim == 2 and target.shape[:1] != logp.shape[:1]:
            raise ValueError(f"Expected input batch_size ({logp.shape[0]}) to match target "
                             f"batch_size ({target.shape[0] if target.ndim else 1}).")
        O.check_same_device(logp, target)
        x, t = logp._data, target._data
        if x.ndim == 1:
            x, t = x[None], t.reshape(1)
        if t.size and (t.max() >= x.shape[1] or t.min() < 0) and not np.all(t == ignore_index):
            bad = int(t.max() if t.max() >= x.shape[1] else t.min())
            raise IndexError(f"Target {bad} is out of bounds.")
        keep = t != ignore_index
        chosen = np.take_along_axis(x, np.where(keep, t, 0)[:, None], 1)[:, 0]
        picked = np.where(keep, -chosen, 0)
        total = keep.sum()
        ctx.save(target=target, reduction=reduction, ignore_index=ignore_index,
                 total_weight=float(total))
        ctx.mask = np.zeros_like(x)
        ctx.mask[backend.array_module(logp._device).arange(len(t)), np.where(keep, t, 0)] = \
            -keep.astype(x.dtype)
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
