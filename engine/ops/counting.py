"""Counting, binning and statistics: diff, unique, bincount, histc, searchsorted, bucketize,
quantile, cov, corrcoef, meshgrid, cartesian_prod; and small gaps among the elementwise and
stacking ops: clamp_min/clamp_max, heaviside, signbit, float_power, logspace, rot90, the
atleast_nd family, column_stack, dstack, block_diag.
"""
import math
import warnings

import numpy as np

from engine import backend, dtypes
from engine.autograd.node import Function
from engine.backend import quiet
from engine.ops import formula as F
from engine.ops import operands as O
from engine.ops import reduce as R
from engine.ops.elementwise import div, pow, sub
from engine.ops.gather import diagonal
from engine.ops.indexing import cat, narrow, stack
from engine.ops.linalg import mm
from engine.ops.movement import SqueezeBackward4, expand, reshape, transpose, unsqueeze, view
from engine.ops.sorting import sort
from engine.ops.unary import clamp, sqrt
from engine.tensor import Tensor, _wrap_dim


def _make(array):
    return Tensor._make(backend.as_array(array))


class _Undifferentiated(Function):
    """The node PyTorch records for an op it has no derivative for: it links the inputs
    that require grad, and its backward raises."""

    @staticmethod
    def forward(ctx, *inputs, result, op=None):
        ctx.op = op
        return result

    @classmethod
    def over(cls, result, *inputs, op=None):
        """``result`` (an array) as a tensor, in the graph when an input requires grad."""
        tracked = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
        return cls.apply(*tracked, result=result, op=op) if tracked else _make(result)


class NotImplementedNode(_Undifferentiated):
    """``torch::autograd::NotImplemented``, shown as ``grad_fn=<NotImplemented>``."""

    def name(self):
        return "torch::autograd::NotImplemented"

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError(f"derivative for aten::{ctx.op} is not implemented")


NotImplementedNode.__name__ = NotImplementedNode.__qualname__ = "NotImplemented"


class Unique2Backward0(_Undifferentiated):
    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError("the derivative for '_unique2' is not implemented.")


# ---------------------------------------------------------------- counting and binning
def diff(a, n=1, dim=-1, prepend=None, append=None):
    if a.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = _wrap_dim(dim, a.ndim)
    for t in (prepend, append):
        if t is not None and t.ndim != a.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        for i in range(a.ndim):
            if t is not None and i != d and t.shape[i] != a.shape[i]:
                raise RuntimeError("diff expects the shape of tensor to prepend or append to "
                                   "match that of input except along the differencing "
                                   f"dimension; input.size({i}) = {a.shape[i]}, but got "
                                   f"tensor.size({i}) = {t.shape[i]}")
    if n == 0:
        from engine.ops.creation import empty_like
        return empty_like(a).copy_(a)
    if prepend is not None or append is not None:
        a = cat([t for t in (prepend, a, append) if t is not None], dim)
    for _ in range(n):
        length = a.shape[d] - 1
        if length < 0:
            break
        later, earlier = narrow(a, d, 1, length), narrow(a, d, 0, length)
        a = (later ^ earlier) if a.dtype is dtypes.bool else sub(later, earlier)
    return a


def unique(a, sorted=True, return_inverse=False, return_counts=False,
           dim=None):
    if dim is None:
        values, inverse, counts = np.unique(a._data, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(a.shape)
    else:
        d = _wrap_dim(dim, a.ndim)
        values, inverse, counts = np.unique(a._data, return_inverse=True, return_counts=True,
                                            axis=d)
        inverse = inverse.reshape(-1)
    out = [Unique2Backward0.over(values, a)]
    if return_inverse:
        out.append(_make(inverse.astype(np.int64)))
    if return_counts:
        out.append(_make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def bincount(a, weights=None, minlength=0):
    if a.dtype.category != 1:
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for "
                                  f"'{O.dtype_name(a.dtype)}'")
    if a.ndim != 1 or (a.numel() and a._data.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if weights is not None and (weights.ndim != 1 or weights.shape[0] != a.shape[0]):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    if weights is None:
        return _make(np.bincount(a._data, minlength=minlength).astype(np.int64))
    dt = weights._data.dtype if weights.dtype is dtypes.float32 else np.float64
    return NotImplementedNode.over(np.bincount(
        a._data, weights._data.astype(np.float64), minlength=minlength).astype(dt), weights,
        op="bincount")


def histc(a, bins=100, min=0, max=0):
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    x = a._data.reshape(-1)
    lo, hi = float(min), float(max)
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    if a.dtype.category < 2:
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for "
                                  f"'{O.dtype_name(a.dtype)}'")
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    inside = x[(x >= lo) & (x <= hi)].astype(np.float64)
    pos = ((inside - lo) * bins / (hi - lo)).astype(np.int64)
    counts = np.bincount(np.minimum(pos, bins - 1), minlength=bins)
    return _make(counts.astype(a._data.dtype))


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None,
                 sorter=None):
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                               "got side of left while right was True")
        right = side == "right"
    scalar = not isinstance(values, Tensor)
    v = backend.module_of(sorted_sequence._data).asarray(values) if scalar else values._data
    seq = sorted_sequence._data
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._data, -1)
    if v.ndim == 0 and seq.ndim != 1:
        raise RuntimeError("torch.searchsorted(): input value can be a scalar only when "
                           "boundaries tensor dimension is 1, but we got boundaries tensor "
                           f"dim({seq.ndim}) and input value's dim(0) numel(1)")
    if seq.ndim > 1 and seq.shape[:-1] != v.shape[:-1]:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the "
                           "first N-1 dimensions of boundaries tensor and input value tensor "
                           "must match, but we got boundaries tensor "
                           f"{list(seq.shape)} and input value tensor {list(v.shape)}")
    how = "right" if right else "left"
    if seq.ndim <= 1:
        out = np.searchsorted(seq, v, how)
    else:
        rows, vrows = seq.reshape(-1, seq.shape[-1]), v.reshape(-1, v.shape[-1])
        out = np.stack([np.searchsorted(r, x, how) for r, x in zip(rows, vrows)]).reshape(
            v.shape)
    return _make(backend.as_array(out).astype(np.int32 if out_int32 else np.int64))


def bucketize(a, boundaries, *, out_int32=False, right=False):
    if boundaries.ndim != 1:
        raise RuntimeError("boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries.ndim})")
    return searchsorted(boundaries, a, out_int32=out_int32, right=right)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(name, a, q, dim, keepdim, interpolation, ignore_nan):
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    if not isinstance(q, Tensor) and not 0 <= q <= 1:
        raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
    if a.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    if isinstance(q, Tensor) and q.ndim > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    if a.dtype not in (dtypes.float32, dtypes.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if isinstance(q, Tensor):
        if q.dtype is not a.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        qs = q._data.reshape(-1).astype(np.float64)
    else:
        qs = backend.module_of(a._data).asarray([q], dtype=np.float64)
    if not ((qs >= 0) & (qs <= 1)).all():
        raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    if dim is None:
        kept = (1,) * a.ndim if keepdim else ()
        values = sort(reshape(a, -1), -1).values
    else:
        d = _wrap_dim(dim, a.ndim)
        kept = tuple(1 if i == d else s for i, s in enumerate(a.shape))
        values = sort(transpose(unsqueeze(a, -1), d, -1), -1).values
        if not keepdim:
            kept = kept[:d] + kept[d + 1:]
    n = values.shape[-1]
    values = view(values, kept + (n,))
    x = values._data
    nans = np.isnan(x)
    if ignore_nan:
        last = (n - nans.sum(-1, keepdims=True)).astype(np.float64) - 1
    else:
        last = np.where(nans.any(-1, keepdims=True), np.nan, n - 1.)
    ranks = qs * last
    ranks = np.where(np.isnan(ranks) | (ranks < 0), n - 1 if not ignore_nan else 0, ranks)
    if interpolation == "lower":
        ranks = np.floor(ranks)
    elif interpolation == "higher":
        ranks = np.ceil(ranks)
    elif interpolation == "nearest":
        ranks = np.round(ranks)
    below = np.floor(ranks).astype(np.int64)
    above = np.ceil(ranks).astype(np.int64)
    lo = values.gather(-1, _make(below))
    if interpolation in ("lower", "higher", "nearest"):
        out = lo
    else:
        hi = values.gather(-1, _make(above))
        weight = np.full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        weight = _make(weight.astype(x.dtype))
        out = lo.lerp(hi, weight)
    if isinstance(q, Tensor) and q.ndim:
        out = transpose(unsqueeze(out, 0), 0, -1)
    return SqueezeBackward4.apply(out, dims=(out.ndim - 1,))


def quantile(a, q, dim=None, keepdim=False, *, interpolation="linear"):
    return _quantile("quantile", a, q, dim, keepdim, interpolation, False)


def nanquantile(a, q, dim=None, keepdim=False, *, interpolation="linear"):
    return _quantile("quantile", a, q, dim, keepdim, interpolation, True)


def cov(a, *, correction=1, fweights=None, aweights=None):
    if a.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                         f"input with {a.ndim} dimensions")
    if fweights is not None or aweights is not None:
        raise NotImplementedError("cov(): fweights and aweights are not supported")
    x = view(a, 1, -1) if a.ndim < 2 else a
    if x.dtype.category < 2:
        x = x.to(dtypes.get_default_dtype())
    n = x.shape[1]
    xp = backend.module_of(x._data)  # the counts are tensors, on x's device, as PyTorch's
    mean = div(R.sum(x, 1), _make(xp.asarray(n, dtype=np.int64)))
    centered = x - unsqueeze(mean, 1)
    scale = _make(xp.asarray(max(n - correction, 0), dtype=np.int64))
    return div(mm(centered, centered.t()), scale).squeeze()


def corrcoef(a):
    if a.ndim > 2:
        raise RuntimeError(f"corrcoef(): expected input to have two or fewer dimensions but got "
                         f"an input with {a.ndim} dimensions")
    c = cov(a)
    if c.ndim == 0:
        return c / c
    std = sqrt(diagonal(c))
    c = c / view(std, -1, 1)
    c = c / view(std, 1, -1)
    return clamp(c, -1, 1)


def meshgrid(*tensors, indexing=None):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass "
                      "the indexing argument.")
        indexing = "ij"
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           f"received: {indexing}")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list "
                               f"but got: {t!r}")
    swap = indexing == "xy" and len(tensors) >= 2
    order = list(tensors)
    if swap:
        order[0], order[1] = order[1], order[0]
    shape = tuple(t.numel() for t in order)
    grids = []
    for i, t in enumerate(order):
        ones = [1] * len(order)
        ones[i] = -1
        grids.append(expand(view(t, ones), shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def cartesian_prod(*tensors):
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    return stack([reshape(g, -1) for g in meshgrid(*tensors, indexing="ij")], 1)


# ---------------------------------------------------------------- elementwise gaps
class ClampMinBackward0(Function):
    @staticmethod
    def forward(ctx, a, min):
        ctx.save(self=a, min=min)
        return clamp(a.detach(), min=min)._data

    @staticmethod
    def backward(ctx, grad):
        a, lo = ctx.unpack("self", "min")
        return (F.where(a >= lo, grad, 0),)


class ClampMaxBackward0(Function):
    @staticmethod
    def forward(ctx, a, max):
        ctx.save(self=a, max=max)
        return clamp(a.detach(), max=max)._data

    @staticmethod
    def backward(ctx, grad):
        a, hi = ctx.unpack("self", "max")
        return (F.where(a <= hi, grad, 0),)


def _bounded(a, bound, pick):
    try:
        O.broadcast_shapes(tuple(a.shape), tuple(bound.shape))
    except RuntimeError:
        raise O.broadcast_error(tuple(a.shape), tuple(bound.shape)) from None
    dt = dtypes.result_type(a, bound)
    return pick(O.cast(a, dt), O.cast(bound, dt)).astype(dt.np)


class ClampMinBackward1(Function):
    @staticmethod
    def forward(ctx, a, min):
        ctx.save(self=a, min=min)
        return _bounded(a, min, np.maximum)

    @staticmethod
    def backward(ctx, grad):
        a, lo = ctx.unpack("self", "min")
        return (F.sum_to(F.where(a >= lo, grad, 0), a.shape) if ctx.needs_grad(0) else None,
                F.sum_to(F.where(a < lo, grad, 0), lo.shape) if ctx.needs_grad(1) else None)


class ClampMaxBackward1(Function):
    @staticmethod
    def forward(ctx, a, max):
        ctx.save(self=a, max=max)
        return _bounded(a, max, np.minimum)

    @staticmethod
    def backward(ctx, grad):
        a, hi = ctx.unpack("self", "max")
        return (F.sum_to(F.where(a <= hi, grad, 0), a.shape) if ctx.needs_grad(0) else None,
                F.sum_to(F.where(a > hi, grad, 0), hi.shape) if ctx.needs_grad(1) else None)


def clamp_min(a, min):
    if isinstance(min, Tensor):
        return ClampMinBackward1.apply(a, min)
    return ClampMinBackward0.apply(a, min=min)


def clamp_max(a, max):
    if isinstance(max, Tensor):
        return ClampMaxBackward1.apply(a, max)
    return ClampMaxBackward0.apply(a, max=max)


def heaviside(a, values):
    if not isinstance(values, Tensor):
        raise O.not_a_tensor("heaviside", "values", 2, values)
    if a.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    if a.dtype.is_complex:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    x, v = a._data, values._data
    try:
        out = np.where(x == 0, v, (x > 0).astype(x.dtype))
    except ValueError:
        raise O.broadcast_error(tuple(a.shape), tuple(values.shape)) from None
    return NotImplementedNode.over(out.astype(x.dtype), a, values, op="heaviside")


def signbit(a):
    if a.dtype.is_complex:
        raise RuntimeError("signbit is not implemented for complex tensors.")
    return _make(np.signbit(a._data))


def float_power(a, exponent):
    complex_ = any(isinstance(x, complex) or (isinstance(x, Tensor) and x.dtype.is_complex)
                   for x in (a, exponent))
    dt = dtypes.complex128 if complex_ else dtypes.float64
    wide = lambda x: x.to(dt) if isinstance(x, Tensor) else (
        complex(x) if complex_ else float(x))
    return pow(wide(a), wide(exponent))


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False,
             **kwargs):
    from engine.ops.creation import tensor
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = dtype or dtypes.get_default_dtype()
    if dt.category < 2 and steps > 1:
        start, end = int(start), int(end)
    with quiet():
        x = np.power(float(base), np.linspace(float(start), float(end), steps))
    return tensor(x.astype(dt.np), dtype=dt, device=device, requires_grad=requires_grad)


class Rot90Backward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, k=1, dims=(0, 1)):
        dims = tuple(dims)
        if len(dims) != 2:
            raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
        if a.ndim < 2:
            raise RuntimeError(f"expected total dims >= 2, but got total dims = {a.ndim}")
        d0, d1 = (_wrap_dim(d, a.ndim) for d in dims)
        if d0 == d1:
            raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} "
                               f"and dim1 = {d1}")
        ctx.save(k=k, dims=dims)
        return np.rot90(a._data, k, (d0, d1)).copy()

    @staticmethod
    def backward(ctx, grad):
        k, dims = ctx.unpack("k", "dims")
        if isinstance(grad, Tensor):
            return (rot90(grad, -k, dims),)
        return (np.rot90(grad, -k, dims),)


def rot90(a, k=1, dims=(0, 1)):
    return Rot90Backward0.apply(a, k=k, dims=tuple(dims))


# ---------------------------------------------------------------- stacking gaps
def _each(fn, tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(fn(t) for t in tensors[0])
    if len(tensors) == 1:
        return fn(tensors[0])
    return tuple(fn(t) for t in tensors)


def _at_least_1d(t):
    return reshape(t, 1) if t.ndim == 0 else t


def _at_least_2d(t):
    if t.ndim == 0:
        return reshape(t, 1, 1)
    return unsqueeze(t, 0) if t.ndim == 1 else t


def _at_least_3d(t):
    if t.ndim == 0:
        return reshape(t, 1, 1, 1)
    if t.ndim == 1:
        return unsqueeze(unsqueeze(t, 0), -1)
    return unsqueeze(t, -1) if t.ndim == 2 else t


def atleast_1d(*tensors):
    return _each(_at_least_1d, tensors)


def atleast_2d(*tensors):
    return _each(_at_least_2d, tensors)


def atleast_3d(*tensors):
    return _each(_at_least_3d, tensors)


def column_stack(tensors):
    if not len(tensors):
        raise RuntimeError("column_stack expects a non-empty TensorList")
    return cat([reshape(t, t.numel(), 1) if t.ndim <= 1 else t for t in tensors], 1)


def dstack(tensors):
    if not len(tensors):
        raise RuntimeError("dstack expects a non-empty TensorList")
    return cat([_at_least_3d(t) for t in tensors], 2)


class BlockDiagBackward0(Function):
    @staticmethod
    def forward(ctx, *tensors):
        blocks = []
        for i, t in enumerate(tensors):
            if t.ndim > 2:
                raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                                   f"dimensions. Input {i} has {t.ndim} dimensions")
            blocks.append(t._data.reshape((1,) * (2 - t.ndim) + t._data.shape))
        dt = dtypes.result_type(*tensors) if len(tensors) > 1 else tensors[0].dtype
        rows, cols = sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)
        out = np.zeros_like(blocks[0], dt.np, shape=(rows, cols))
        r = c = 0
        for b in blocks:
            out[r:r + b.shape[0], c:c + b.shape[1]] = b
            r, c = r + b.shape[0], c + b.shape[1]
        ctx.shapes = [tuple(t.shape) for t in tensors]
        return out

    @staticmethod
    def backward(ctx, grad):
        grads, r, c = [], 0, 0
        for shape in ctx.shapes:
            if shape == (0,):
                grads.append(reshape(grad[:0, :0], (0,)))
                continue
            h, w = ((1,) * (2 - len(shape)) + shape)
            grads.append(reshape(grad[r:r + h, c:c + w], shape))
            r, c = r + h, c + w
        return tuple(grads)


def block_diag(*tensors):
    if not tensors:
        return _make(np.zeros((1, 0), np.float32))
    return BlockDiagBackward0.apply(*tensors)


def clamp_min_(a, min):
    return a.clamp_min_(min)


def clamp_max_(a, max):
    return a.clamp_max_(max)


def float_power_(self, exponent):
    if self.dtype not in (dtypes.float64, dtypes.complex128):
        wide = "ComplexDouble" if self.dtype.is_complex else "Double"
        raise RuntimeError(f"the base given to float_power_ has dtype "
                           f"{O.dtype_name(self.dtype)} but the operation's result "
                           f"requires dtype {wide}")
    from engine.tensor_methods import _inplace
    return _inplace(self, float_power, exponent)
