"""Ops that pick elements by position or put them back: diagonals, trace, unfold, gather,
scatter, take, masked_select and index_add.

Their gradients go back through ``_embed`` (IndexPutImplBackward0), with the position in the
input of each element of the result as the key: elements picked twice (unfold's
overlapping windows, repeated indices) sum their gradients.
"""
import math

import numpy as np

from engine import backend, dtypes
from engine.autograd.node import OUTPUT, Function
from engine.ops import operands as O
from engine.ops.indexing import _embed, index_select
from engine.ops.movement import _View
from engine.tensor import Tensor, _wrap_dim


def _key_of(shape, pick, device):
    """Where each element of ``pick(x)`` sits in an ``x`` of ``shape``: ``pick`` applied to
    the elements' flat positions; on ``device``, beside the arrays it indexes."""
    return _to(np.unravel_index(pick(np.arange(math.prod(shape)).reshape(shape)), shape),
               device)


def _to(key, device):
    return tuple(backend.to_device(k, device) for k in key)


def _writable(view, base):
    """numpy's diagonal views are read-only; PyTorch's write through to their base."""
    if getattr(base.flags, "writeable", True) and not getattr(view.flags, "writeable", True):
        view.flags.writeable = True
    return view


# ---------------------------------------------------------------- diagonals
def _diagonal_dims(ndim, dim1, dim2):
    d1, d2 = _wrap_dim(dim1, ndim), _wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


class DiagonalBackward0(_View):
    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        d1, d2 = _diagonal_dims(a.ndim, dim1, dim2)
        ctx.save(dim1=d1, dim2=d2, offset=offset, self_sym_sizes=tuple(a.shape))
        return _writable(a._data.diagonal(offset, d1, d2), a._data)

    @staticmethod
    def backward(ctx, grad):
        d1, d2, offset, shape = ctx.unpack("dim1", "dim2", "offset", "self_sym_sizes")
        return (_embed(grad, shape, _key_of(shape, lambda x: x.diagonal(offset, d1, d2),
                                            grad._device)),)


class DiagonalBackward0_copy(Function):
    """``diag`` of a matrix: its diagonal, copied."""

    @staticmethod
    def forward(ctx, a, offset):
        ctx.save(dim1=0, dim2=1, offset=offset, self_sym_sizes=tuple(a.shape))
        return a._data.diagonal(offset).copy()

    backward = staticmethod(DiagonalBackward0.backward)


class DiagEmbedBackward0(Function):
    @staticmethod
    def forward(ctx, a, offset, dim1, dim2):
        d1, d2 = _diagonal_dims(a.ndim + 1, dim1, dim2)
        ctx.save(dim1=d1, dim2=d2, offset=offset)
        n = (a.shape[-1] if a.ndim else 1) + abs(offset)
        shape = list(a.shape[:-1])
        for d in sorted((d1, d2)):
            shape.insert(d, n)
        out = backend.array_module(a._device).zeros(shape, a._data.dtype)
        _writable(out.diagonal(offset, d1, d2), out)[...] = a._data
        return out

    @staticmethod
    def backward(ctx, grad):
        d1, d2, offset = ctx.unpack("dim1", "dim2", "offset")
        return (grad.diagonal(offset, d1, d2),)


class TraceBackward0(Function):
    @staticmethod
    def forward(ctx, a):
        if a.dtype is dtypes.bool:
            raise NotImplementedError("\"trace\" not implemented for 'Bool'")
        if a.ndim != 2:
            raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {a.ndim}")
        ctx.save(self_sym_sizes=tuple(a.shape))
        dt = np.int64 if a.dtype.category < 2 else a._data.dtype
        return backend.array_module(a._device).asarray(a._data.trace(dtype=dt), dt)

    @staticmethod
    def backward(ctx, grad):
        shape = ctx.unpack("self_sym_sizes")
        return (_embed(grad.expand(min(shape)), shape, _key_of(shape, np.diagonal, grad._device)),)


def diagonal(a, offset=0, dim1=0, dim2=1):
    return DiagonalBackward0.apply(a, offset=offset, dim1=dim1, dim2=dim2)


def diag_embed(a, offset=0, dim1=-2, dim2=-1):
    return DiagEmbedBackward0.apply(a, offset=offset, dim1=dim1, dim2=dim2)


def diag(a, diagonal=0):
    if a.ndim == 1:
        return diag_embed(a, diagonal)
    if a.ndim != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {a.ndim}D")
    return DiagonalBackward0_copy.apply(a, offset=diagonal)


def trace(a):
    return TraceBackward0.apply(a)


# ---------------------------------------------------------------- unfold
def _windows(x, dim, size, step):
    """``x``'s windows of ``size`` along ``dim``, ``step`` apart, as a view: the windows
    along ``dim``, each window's elements along a new last dim."""
    if x.ndim == 0:
        return x.reshape(1)
    n, stride = x.shape[dim], x.strides[dim]
    shape = x.shape[:dim] + ((n - size) // step + 1,) + x.shape[dim + 1:] + (size,)
    strides = x.strides[:dim] + (stride * step,) + x.strides[dim + 1:] + (stride,)
    if isinstance(x, np.ndarray):
        return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=x.flags.writeable)
    return backend.cupy.lib.stride_tricks.as_strided(x, shape, strides)


class UnfoldBackward0(_View):
    @staticmethod
    def forward(ctx, a, dimension, size, step):
        d = _wrap_dim(dimension, a.ndim)
        n = a.shape[d] if a.ndim else 1
        if size > n:
            raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is "
                               f"{size}")
        if step <= 0:
            raise RuntimeError(f"step is {step} but must be > 0")
        ctx.save(dimension=d, self_sym_sizes=tuple(a.shape), size=size, step=step)
        return _windows(a._data, d, size, step)

    @staticmethod
    def backward(ctx, grad):
        d, shape, size, step = ctx.unpack("dimension", "self_sym_sizes", "size", "step")
        return (_embed(grad, shape, _key_of(shape, lambda x: _windows(x, d, size, step),
                                            grad._device)),)


def unfold(a, dimension, size, step):
    return UnfoldBackward0.apply(a, dimension=dimension, size=size, step=step)


# ---------------------------------------------------------------- gather and scatter
def _along(index, dim):
    """The key that picks, at each position of ``index``, the element whose position along
    ``dim`` is the index's value (and elsewhere the index's own position), as
    ``take_along_axis`` picks."""
    grid = list(backend.module_of(index).ogrid[tuple(slice(n) for n in index.shape)])
    grid[dim] = index
    return tuple(grid)


def _check_index(name, a, dim, index, src=None):
    """PyTorch's checks of a gather/scatter index: its dtype, rank, sizes and values; the
    index's positions in ``a`` (a 0-dim ``a`` and index read as 1-dim)."""
    if index.dtype not in (dtypes.int64, dtypes.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if max(index.ndim, 1) != max(a.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if name == 'gather' else 'self'} tensor")
    shape = tuple(a.shape) or (1,)
    src_shape = None if src is None else tuple(src.shape) or (1,)
    idx = index._data if index.ndim else index._data.reshape(1)
    for k, n in enumerate(idx.shape if idx.size else ()):
        if k != dim and n > shape[k] or src_shape is not None and n > src_shape[k]:
            expected = (f"expected index {list(index.shape)} to be no larger than self "
                        f"{list(a.shape)} apart from dimension {dim}")
            if name == "gather":
                raise RuntimeError(f"Size does not match at dimension {k} {expected}")
            if src is None:
                raise RuntimeError(expected.capitalize())
            raise RuntimeError(f"{expected.capitalize()} and to be no larger size than src "
                               f"{list(src.shape)}")
    _check_in_range(idx, dim, shape[dim])
    return _to(_along(backend.to_device(idx, backend.CPU).astype(np.int64, copy=False), dim),
               a._device)


def _check_in_range(idx, dim, size):
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise RuntimeError(f"index {idx[bad][0]} is out of bounds for dimension {dim} with size "
                           f"{size}")


def _flat(a):
    return a._data if a.ndim else a._data.reshape(1)


class GatherBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim, index, sparse_grad):
        key = _check_index("gather", a, dim, index)
        ctx.save(dim=dim, index=index, self=a, sparse_grad=sparse_grad)
        ctx.key = key
        return _flat(a)[key].reshape(index.shape)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.unpack("self")
        shape = tuple(a.shape) or (1,)
        key = ctx.key
        grad = grad.reshape(key[ctx.unpack("dim")].shape)
        return (_embed(grad, shape, key).reshape(a.shape),)


class ScatterBackward0(Function):
    """``scatter`` with a tensor of values; its forward is also scatter's with a number
    (ScatterBackward1) and, with ``add``, scatter_add's."""

    @staticmethod
    def forward(ctx, a, src, dim, index, add=False):
        if isinstance(src, Tensor) and src.dtype is not a.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        key = _check_index("scatter", a, dim, index, src if isinstance(src, Tensor) else None)
        ctx.save(dim=dim, index=index)
        ctx.key = key
        out = _flat(a).copy()
        if not index.numel():
            return out.reshape(a._data.shape)
        if isinstance(src, Tensor):
            src = _flat(src)[tuple(slice(0, n) for n in key[dim].shape)]
        if add:
            backend.add_at(out, key, src)
        else:
            out[key] = src
        return out.reshape(a._data.shape)

    @staticmethod
    def backward(ctx, grad):
        dim, index = ctx.unpack("dim", "index")
        keep = scatter(grad, dim, index, 0) if ctx.needs_grad(0) else None
        return keep, gather(grad, dim, index) if ctx.needs_grad(1) else None


class ScatterBackward1(ScatterBackward0):
    @staticmethod
    def backward(ctx, grad):
        dim, index = ctx.unpack("dim", "index")
        return (scatter(grad, dim, index, 0),)


class ScatterAddBackward0(ScatterBackward0):
    @staticmethod
    def backward(ctx, grad):
        dim, index = ctx.unpack("dim", "index")
        return grad, gather(grad, dim, index) if ctx.needs_grad(1) else None


# How scatter_reduce combines: its ufunc, and the value a place starts from when the input's
# own value takes no part (include_self=False)
_REDUCTIONS = {"sum": (np.add, 0), "mean": (np.add, 0), "prod": (np.multiply, 1),
               "amax": (np.maximum, -np.inf), "amin": (np.minimum, np.inf)}
_ALIASES = {"max": "amax", "min": "amin"}  # PyTorch takes these too


class ScatterReduceBackward0(Function):
    """Each value of ``src`` combined into the place ``index`` sends it to, with the input's
    own value there or (``include_self=False``) without it; places no value reaches keep the
    input's. A mean divides by the values combined (rounding down for integers)."""

    @staticmethod
    def forward(ctx, a, src, dim, index, reduce, include_self):
        if src.dtype is not a.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        key = _check_index("scatter", a, dim, index, src)
        x = _flat(a)
        out = x.copy()
        hits = np.zeros_like(x, np.int64)
        backend.add_at(hits, key, 1)
        reached = hits > 0
        ufunc, start = _REDUCTIONS[_ALIASES.get(reduce, reduce)]
        if not include_self:
            out[reached] = _finite(start, a.dtype)
        backend.ufunc_at(ufunc, out, key, _flat(src)[tuple(slice(0, n) for n in key[dim].shape)])
        if reduce == "mean":
            counts = np.where(reached, hits + include_self, 1).astype(x.dtype)
            out = out // counts if a.dtype.category < 2 else out / counts
        ctx.save(dim=dim, index=index, reduce=reduce, include_self=include_self, self=a,
                 src=src, result=OUTPUT)
        ctx.key, ctx.hits = key, hits
        return out.reshape(a._data.shape)

    @staticmethod
    def backward(ctx, grad):
        dim, index, reduce, include_self, a, src, result = ctx.unpack(
            "dim", "index", "reduce", "include_self", "self", "src", "result")
        reduce = _ALIASES.get(reduce, reduce)
        reached = Tensor._make((ctx.hits > 0).reshape(a._data.shape))
        if reduce in ("sum", "mean"):
            if reduce == "mean":
                counts = ctx.hits + include_self
                grad = grad / Tensor._make(np.maximum(counts, 1).reshape(a._data.shape))
            return (grad if include_self else grad.masked_fill(reached, 0),
                    gather(grad, dim, index))
        if reduce == "prod":
            for_self, for_src = _products_of_others(ctx, a, src, result, include_self)
            return grad * Tensor._make(for_self), gather(grad, dim, index) * Tensor._make(for_src)
        # amax, amin: the gradient shared evenly by the values equal to the result, the
        # input's counted even where it took no part, as PyTorch counts it
        picked = gather(result, dim, index)
        src_part = src[tuple(slice(0, n) for n in index.shape)] if src.ndim else src
        from_src = (src_part == picked).to(grad.dtype)
        from_self = (a == result).to(grad.dtype)
        shares = scatter_add(from_self, dim, index, from_src)
        grad_self = grad * from_self / shares
        return (grad_self if include_self else grad_self.masked_fill(reached, 0),
                gather(grad / shares, dim, index) * from_src)


def _finite(start, dt):
    """A reduction's starting value in dtype ``dt``: infinities become the integer dtype's
    bounds, or for bool, False and True."""
    if dt.category >= 2 or abs(start) != np.inf:
        return start
    if dt.category == 0:
        return bool(start > 0)
    limits = np.iinfo(dt.np)
    return limits.min if start < 0 else limits.max


def _products_of_others(ctx, a, src, result, include_self):
    """For the input and for each ``src`` value, the product of the other values combined
    with it: the result divided by it, or where zeros take part, the product of the
    non-zero values (one zero: for the zero itself), else 0."""
    x, r = _flat(a), _flat(result)
    shape = ctx.key[ctx.unpack("dim")].shape  # the index's
    values = _flat(src)[tuple(slice(0, n) for n in shape)]
    zeros = np.zeros_like(x, np.int64)
    backend.add_at(zeros, ctx.key, (values == 0).astype(np.int64))
    nonzero_product = np.where(x == 0, 1, x) if include_self else np.ones_like(x)
    backend.ufunc_at(np.multiply, nonzero_product, ctx.key, np.where(values == 0, 1, values))
    if include_self:
        zeros = zeros + (x == 0)

    def others(v, zeros, product, total):
        with backend.quiet():
            return np.where(v != 0, np.where(zeros == 0, total / np.where(v == 0, 1, v), 0),
                            np.where(zeros == 1, product, 0))
    reached = ctx.hits > 0
    for_self = others(x, zeros, nonzero_product, r) if include_self else \
        np.where(reached, 0, 1).astype(x.dtype)
    for_src = others(values, zeros[ctx.key], nonzero_product[ctx.key], r[ctx.key])
    return for_self.reshape(a._data.shape), for_src.reshape(shape)


def scatter_reduce(a, dim, index, src, reduce, *, include_self=True):
    if _ALIASES.get(reduce, reduce) not in _REDUCTIONS:
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    return ScatterReduceBackward0.apply(a, src, dim=_wrap_dim(dim, a.ndim), index=index,
                                        reduce=reduce, include_self=include_self)


def gather(a, dim, index, *, sparse_grad=False):
    dim = _wrap_dim(dim, a.ndim)
    return GatherBackward0.apply(a, dim=dim, index=index, sparse_grad=sparse_grad)


def _index_filled(a, dim, index, value):
    """A copy of ``a`` with ``value`` at ``index`` along ``dim``."""
    if index.dtype is not dtypes.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    idx = index._data.reshape(-1)
    size = a.shape[dim] if a.ndim else 1
    bad = (idx < -size) | (idx >= size)
    if bad.any():
        raise IndexError(f"index {int(idx[bad][0])} is out of bounds for dimension {dim} with "
                         f"size {size}")
    out = _flat(a).copy()
    out[(slice(None),) * dim + (idx,)] = value
    return out.reshape(a._data.shape)


class IndexFillBackward0(Function):
    """``index_fill`` with a number: the places filled take no gradient."""

    @staticmethod
    def forward(ctx, a, dim, index, value):
        ctx.save(dim=dim, index=index)
        return _index_filled(a, dim, index, value)

    @staticmethod
    def backward(ctx, grad):
        dim, index = ctx.unpack("dim", "index")
        return (grad.index_fill(dim, index, 0),)


class IndexFillBackward1(Function):
    """``index_fill`` with a 0-dim tensor, which takes the gradient of each place filled
    (once, however often the index names it)."""

    @staticmethod
    def forward(ctx, a, value, dim, index):
        ctx.save(dim=dim, index=index)
        return _index_filled(a, dim, index, backend.to_device(value._data, a._device))

    @staticmethod
    def backward(ctx, grad):
        dim, index = ctx.unpack("dim", "index")
        places = Tensor._make(backend.module_of(index._data).unique(index._data.reshape(-1)))
        taken = grad.index_select(dim, places).sum() if ctx.needs_grad(1) else None
        return grad.index_fill(dim, index, 0), taken


def index_fill(a, dim, index, value):
    d = _wrap_dim(dim, a.ndim)
    if not isinstance(index, Tensor):
        raise O.not_a_tensor("index_fill", "index", 2, index)
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value.ndim} dimension(s).")
        return IndexFillBackward1.apply(a, value, dim=d, index=index)
    return IndexFillBackward0.apply(a, dim=d, index=index, value=value)


def take_along_dim(a, indices, dim=None):
    """``gather`` with ``a`` and ``indices`` broadcast to each other outside ``dim``; without
    a dim, from ``a`` flattened."""
    if not isinstance(indices, Tensor):
        raise O.not_a_tensor("take_along_dim", "indices", 2, indices)
    if indices.dtype is not dtypes.int64:
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{O.dtype_name(indices.dtype)}")
    if dim is None:
        return gather(a.reshape(-1), 0, indices.reshape(-1))
    d = int(_wrap_dim(dim, a.ndim))  # saved as the dim it is, as PyTorch saves it here
    if a.ndim != indices.ndim:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {a.ndim} dimensions for input, and "
                           f"{indices.ndim} dimensions for indices")
    index_shape, input_shape = list(a.shape), list(indices.shape)
    index_shape[d], input_shape[d] = indices.shape[d], a.shape[d]
    return gather(a.expand(O.broadcast_shapes(tuple(input_shape), tuple(a.shape))), d,
                  indices.expand(O.broadcast_shapes(tuple(index_shape), tuple(indices.shape))))


def scatter(a, dim, index, src=None, *, value=None):
    dim = _wrap_dim(dim, a.ndim)
    if isinstance(src, Tensor):
        return ScatterBackward0.apply(a, src, dim=dim, index=index)
    return ScatterBackward1.apply(a, src=src if value is None else value, dim=dim,
                                  index=index)


def scatter_add(a, dim, index, src):
    if not isinstance(src, Tensor):
        raise O.not_a_tensor("scatter_add", "src", 3, src)
    return ScatterAddBackward0.apply(a, src, dim=_wrap_dim(dim, a.ndim), index=index, add=True)


# ---------------------------------------------------------------- take, masked_select, index_add
class TakeBackward0(Function):
    @staticmethod
    def forward(ctx, a, index):
        if index.dtype is not dtypes.int64:
            raise RuntimeError("take(): Expected a long tensor for index, but got "
                               f"{O.dtype_name(index.dtype)}")
        n = a.numel()
        if not n and index.numel():
            raise IndexError("take(): tried to take from an empty tensor")
        bad = (index._data < -n) | (index._data >= n)
        if bad.any():
            raise IndexError(f"out of range: tried to access index {index._data[bad][0]} on a "
                             f"tensor of {n} elements.")
        ctx.save(index=index, self=a)
        return a._data.reshape(-1)[backend.to_device(index._data, a._device)]

    @staticmethod
    def backward(ctx, grad):
        index, a = ctx.unpack("index", "self")
        n = a.numel()
        positions = backend.to_device(index._data.reshape(-1) % max(n, 1), grad._device)
        flat = _embed(grad.reshape(-1), (n,), (positions,))
        return (flat.reshape(a.shape),)


def take(a, index):
    return TakeBackward0.apply(a, index)


class MaskedSelectBackward0(Function):
    @staticmethod
    def forward(ctx, a, mask):
        if mask.dtype is not dtypes.bool:
            raise RuntimeError("masked_select: expected BoolTensor for mask")
        try:
            shape = np.broadcast_shapes(tuple(a.shape), tuple(mask.shape))
        except ValueError:
            raise O.broadcast_error(tuple(mask.shape), tuple(a.shape)) from None
        ctx.save(mask=mask, self=a)
        ctx.where = np.nonzero(np.broadcast_to(mask._data, shape).reshape(shape or (1,)))
        return np.broadcast_to(a._data, shape).reshape(shape or (1,))[ctx.where]

    @staticmethod
    def backward(ctx, grad):
        mask, a = ctx.unpack("mask", "self")
        shape = np.broadcast_shapes(tuple(a.shape), tuple(mask.shape))
        return (_embed(grad, shape or (1,), ctx.where).reshape(shape),)


def masked_select(a, mask):
    return MaskedSelectBackward0.apply(a, mask=mask)


class IndexAddBackward0(Function):
    @staticmethod
    def forward(ctx, a, source, dim, index, alpha):
        if index.dtype not in (dtypes.int64, dtypes.int32):
            raise RuntimeError("index_add_(): Expected dtype int32/int64 for index but got: "
                               f"{O.dtype_name(index.dtype)}")
        if index.ndim > 1:
            raise IndexError(f"index_add_(): Index is supposed to be a vector, but got dim: "
                             f"{index.ndim} with type: {O.dtype_name(index.dtype)} and size: "
                             f"{list(index.shape)}")
        if source.dtype is not a.dtype:
            raise RuntimeError(f"index_add_(): self ({O.dtype_name(a.dtype)}) and source "
                               f"({O.dtype_name(source.dtype)}) must have the same scalar type")
        shape, src_shape = tuple(a.shape) or (1,), tuple(source.shape) or (1,)
        if len(shape) != len(src_shape) or any(
                k != dim and n != m for k, (n, m) in enumerate(zip(shape, src_shape))):
            raise RuntimeError("source tensor shape must match self tensor shape, excluding "
                               f"the specified dimension. Got self.shape = {list(a.shape)} "
                               f"source.shape = {list(source.shape)}")
        idx = index._data.reshape(-1)
        if idx.size != src_shape[dim]:
            raise RuntimeError(f"index_add_(): Number of indices ({idx.size}) should be equal "
                               f"to source.size(dim): ({src_shape[dim]}), for dim: {dim}")
        _check_in_range(idx, dim, shape[dim])
        ctx.save(alpha=alpha, dim=dim, index=index, source=source, source_dim=source.ndim)
        out = _flat(a).copy()
        key = (slice(None),) * dim + (backend.to_device(idx, a._device),)
        scale = int(alpha) if a.dtype.category == 1 else alpha
        backend.add_at(out, key, _flat(source) * scale)
        return out.reshape(a._data.shape)

    @staticmethod
    def backward(ctx, grad):
        alpha, dim, index, source_dim = ctx.unpack("alpha", "dim", "index", "source_dim")
        if not ctx.needs_grad(1):
            return grad, None
        picked = index_select(grad, dim, index) if grad.ndim else grad
        picked = picked * alpha if alpha != 1 else picked
        return grad, picked.reshape(()) if source_dim == 0 else picked


def index_add(a, dim, index, source, *, alpha=1):
    return IndexAddBackward0.apply(a, source, dim=_wrap_dim(dim, a.ndim), index=index,
                                   alpha=alpha)
