"""What backward formulas need beyond Python's operators, for tensors and arrays alike.

A formula runs on tensors when the gradient must itself be differentiable
(``create_graph=True``), so every step is recorded. Otherwise there is nothing to record,
and a node whose class sets ``array_backward = True`` runs its formula on the backend's
plain arrays, several times faster. Such formulas use operators and these helpers only, so
the one formula serves both.
"""
import numpy as np
from numpy import ndarray  # np.ndarray is a slower lookup: numpy's module has __getattr__

from engine.tensor import Tensor


def t(x):
    return x.t() if isinstance(x, Tensor) else x.T


def mm(a, b):
    """``a @ b`` of matrices. On arrays numpy's ``dot`` costs less, but where an operand has
    one element it drops a nan or inf of the other (0 * nan gives 0)."""
    if isinstance(a, Tensor):
        return a.mm(b)
    return a.dot(b) if a.size != 1 and b.size != 1 else a @ b


def mv(a, v):
    return a.mv(v) if isinstance(a, Tensor) else a @ v


def expand(x, shape):
    return x.expand(shape) if isinstance(x, Tensor) else broadcast_array(x, shape)


def broadcast_array(x, shape):
    """``expand`` of an array, as PyTorch's is: a view whose broadcast dimensions step by 0,
    so that writing one element writes every element sharing it."""
    if type(x) is ndarray:
        if x.ndim:
            lead = len(shape) - x.ndim
            strides = (0,) * lead + tuple(0 if n == 1 else s for n, s in zip(x.shape, x.strides))
        else:
            strides = (0,) * len(shape)
        try:
            return ndarray(shape, x.dtype, x, 0, strides)
        except ValueError:  # x is not contiguous, so it has no buffer to view
            pass
    return np.broadcast_to(x, shape)


def zeros_like(x):
    """Zeros of ``x``'s shape and dtype, outside any graph."""
    return Tensor._make(np.zeros_like(x._data)) if isinstance(x, Tensor) else np.zeros_like(x)


def zeros_shaped(like, shape):
    """Zeros of ``shape`` in ``like``'s dtype and device, outside any graph."""
    if isinstance(like, Tensor):
        return Tensor._make(np.zeros_like(like._data, shape=shape))
    return np.zeros_like(like, shape=shape)


def cat(parts, dim):
    if isinstance(parts[0], Tensor):
        from engine.ops.indexing import cat
        return cat(parts, dim)
    return np.concatenate(parts, dim)


def stack(parts, dim):
    if isinstance(parts[0], Tensor):
        from engine.ops.indexing import stack
        return stack(parts, dim)
    return np.stack(parts, dim)


def where(condition, x, y):
    """``x`` where ``condition`` holds, else ``y``: a choice, unlike a product with a mask,
    through which a nan or inf gradient would reach the entries the mask zeroes."""
    if isinstance(condition, Tensor):
        from engine.ops.elementwise import where
        return where(condition, x, y)
    return np.where(condition, x, y)


def unsqueeze(x, dim):
    return x.unsqueeze(dim) if isinstance(x, Tensor) else np.expand_dims(x, dim)


def squeeze(x, dim):
    if isinstance(x, Tensor):
        return x.squeeze(dim)
    return np.squeeze(x, dim) if x.ndim and x.shape[dim] == 1 else x


def conj(x):
    """The conjugate of a complex value, anything else as it is."""
    if isinstance(x, Tensor):
        return x.conj() if x.is_complex() else x
    return x.conj() if getattr(x, "dtype", None) is not None and x.dtype.kind == "c" else x


def reduced_dims(shape, target):
    """The dims of ``shape`` to sum over for a gradient broadcast from ``target``."""
    lead = len(shape) - len(target)
    return tuple(range(lead)) + tuple(lead + i for i, s in enumerate(target)
                                      if s == 1 and shape[lead + i] != 1)


def sum_to_array(x, shape):
    """``sum_to`` for a plain array: sum a broadcast gradient back down to ``shape``."""
    dims = reduced_dims(x.shape, shape)
    if dims:
        x = x.sum(dims, keepdims=True)
    return x.reshape(shape) if x.shape != shape else x


def sum_to(x, shape):
    if isinstance(x, Tensor):
        from engine.ops.movement import sum_to
        return sum_to(x, shape)
    return sum_to_array(x, tuple(shape))
