"""Ops that pick elements by their order: sort, argsort, topk, kthvalue, median, mode, and
the running cummax/cummin. Each returns values and their indices along a dim, as PyTorch's
named tuples; the gradient goes back to the places the indices name."""
import numpy as np

from engine import backend
from engine.autograd.node import OUTPUT, Function
from engine.ops import operands as O
from engine.ops.elementwise import where
from engine.ops.gather import _along
from engine.ops.indexing import _embed
from engine.ops.reduce import ReturnTypes, _dim_of
from engine.tensor import Tensor


def _place(grad, indices, dim, shape):
    """Zeros of ``shape`` with ``grad`` added at ``indices`` along ``dim``."""
    key = _along(indices, dim)
    if isinstance(grad, Tensor):
        return _embed(grad, shape, key)
    out = np.zeros_like(grad, shape=shape)
    backend.add_at(out, key, grad)
    return out


class _Picking(Function):
    """Values picked from the input along ``dim`` at ``indices``, which the op function
    computed (with keepdim's shape) and returns as well."""

    array_backward = True
    takes_keepdim = False  # whether PyTorch's op takes keepdim, and saves it
    saves_self = False  # whether PyTorch's node saves the input rather than its shape

    @classmethod
    def forward(cls, ctx, a, dim, indices, keepdim=True):
        shape = a._data.shape
        if cls.saves_self:
            ctx.save(dim=dim, indices=indices, self=a)
        else:
            ctx.save(dim=dim, indices=indices, self_sym_sizes=shape)
        if cls.takes_keepdim:
            ctx.save(keepdim=keepdim)
        ctx.picked = indices._data if keepdim else np.expand_dims(indices._data, dim)
        x = a._data.reshape(shape or (1,))
        values = np.take_along_axis(x, ctx.picked.reshape(ctx.picked.shape or (1,)), dim)
        return values.reshape(indices._data.shape)

    @staticmethod
    def backward(ctx, grad):
        dim = ctx.unpack("dim")
        shape = tuple(ctx.unpack("self").shape) if ctx.saves_self else \
            ctx.unpack("self_sym_sizes")
        picked = ctx.picked.reshape(ctx.picked.shape or (1,))
        grad = grad.reshape(picked.shape)
        return (_place(grad, picked, dim, shape or (1,)).reshape(shape),)


class SortBackward0(_Picking):
    pass


class SortBackward1(_Picking):
    pass


class TopkBackward0(_Picking):
    pass


class KthvalueBackward0(_Picking):
    takes_keepdim = True


class MedianBackward1(_Picking):
    takes_keepdim = True


class ModeBackward0(_Picking):
    takes_keepdim = True


class MaxBackward0(_Picking):
    takes_keepdim = True


class MinBackward0(_Picking):
    takes_keepdim = True


class CummaxBackward0(_Picking):
    saves_self = True


class CumminBackward0(_Picking):
    saves_self = True


def extremum_along(name, node, arg, a, dim, keepdim):
    """``max(dim)``/``min(dim)``: the first largest (smallest) value along ``dim``, or the
    first nan, and its index; the gradient goes to that index."""
    d = _dim_of(a, dim)
    indices = backend.as_array(arg(a._data.reshape(a.shape or (1,)), axis=d))
    if not a.ndim:
        indices = indices.reshape(())
    elif keepdim:
        indices = np.expand_dims(indices, d)
    return _picked(name, node, a, d, indices, keepdim)


def _picked(name, node, a, dim, indices, keepdim=True):
    """The named tuple of the values ``node`` picks at ``indices`` (an array, which may be
    on the host) and those."""
    indices = Tensor._make(backend.to_device(indices.astype(np.int64, copy=False), a._device))
    return ReturnTypes(name, node.apply(a, dim=dim, indices=indices, keepdim=keepdim), indices)


def _order(x, d, descending=False):
    """Stable argsort along ``d``, nan counted largest; descending keeps ties in order. Found
    on the host, where numpy's sort is stable by request."""
    x = backend.to_host(x)
    if not x.ndim:
        return np.zeros((), np.int64)
    if not descending:
        return np.argsort(x, axis=d, kind="stable")
    return x.shape[d] - 1 - np.flip(np.argsort(np.flip(x, d), axis=d, kind="stable"), d)


def _unsupported(kernel, a):
    raise NotImplementedError(f'"{kernel}" not implemented for \'{O.dtype_name(a.dtype)}\'')


def _check_nonempty(name, a, d):
    if a.ndim and a.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _at_rank(a, d, rank, keepdim):
    """The indices of the elements of rank ``rank`` (an int, or an array of one per row,
    counting from 0) along ``d``, with keepdim's shape."""
    order = _order(a._data, d)
    if not a.ndim:
        return order
    rank = np.broadcast_to(rank, order.shape[:d] + (1,) + order.shape[d + 1:])
    idx = np.take_along_axis(order, rank, d)
    return idx if keepdim else idx.squeeze(d)


def sort(a, dim=-1, descending=False, *, stable=None):
    """``stable``, given at all, picks PyTorch's other overload (node SortBackward1)."""
    d = _dim_of(a, dim)
    return _picked("sort", SortBackward0 if stable is None else SortBackward1, a, d,
                   _order(a._data, d, descending))


def argsort(a, dim=-1, descending=False, *, stable=False):
    d = _dim_of(a, dim)
    order = _order(a._data, d, descending).astype(np.int64, copy=False)
    return Tensor._make(backend.to_device(order, a._device))


def topk(a, k, dim=-1, largest=True, sorted=True):  # noqa: A002 - PyTorch's name
    """The k largest (or smallest) in order; ``sorted=False`` orders them too."""
    d = _dim_of(a, dim)
    if not 0 <= k <= (a.shape[d] if a.ndim else 1):
        raise RuntimeError("selected index k out of range")
    if a.dtype.category == 0:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    order = _order(a._data, d, largest)
    return _picked("topk", TopkBackward0, a, d, np.take(order, np.arange(k), d)
                   if a.ndim else order)


def kthvalue(a, k, dim=-1, keepdim=False):
    d = _dim_of(a, dim)
    _check_nonempty("kthvalue", a, d)
    if not 1 <= k <= (a.shape[d] if a.ndim else 1):
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if a.dtype.category == 0:
        _unsupported("kthvalue_cpu", a)
    return _picked("kthvalue", KthvalueBackward0, a, d, _at_rank(a, d, k - 1, keepdim),
                   keepdim)


class MedianBackward0(Function):
    """median() of all elements: the gradient is shared among the elements equal to it."""

    @staticmethod
    def forward(ctx, a):
        ctx.save(self=a, result=OUTPUT)
        x = np.sort(a._data.reshape(-1))
        if not x.size:
            return backend.module_of(x).full((), np.nan, x.dtype)
        return x[_median_rank(x, 0)[0]]

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.unpack("self", "result")
        chosen = a.isnan() if result.isnan().item() else a == result
        return (where(chosen, grad / chosen.sum(), 0),)


def _median_rank(ordered, d):
    """The rank of the lower median of ``ordered`` (sorted along ``d``, nan last), or where
    there is a nan, that of the first nan."""
    n = ordered.shape[d] if ordered.ndim else 1
    nans = np.isnan(ordered) if ordered.dtype.kind in "fc" else np.zeros_like(ordered, bool)
    nans = nans.sum(d, keepdims=True)
    return np.where(nans > 0, n - nans, (n - 1) // 2)


def median(a, dim=None, keepdim=False):
    if dim is None:
        if a.dtype.category == 0 and a.numel():
            _unsupported("median_cpu", a)
        return MedianBackward0.apply(a)
    d = _dim_of(a, dim)
    _check_nonempty("median", a, d)
    if a.dtype.category == 0:
        _unsupported("median_out", a)
    ordered = np.sort(backend.to_host(a._data).reshape(a.shape or (1,)), d)
    return _picked("median", MedianBackward1, a, d,
                   _at_rank(a, d, _median_rank(ordered, d), keepdim), keepdim)


def _mode_of(row):
    """The index of the most frequent value of ``row`` (the smallest such value), at its
    last place."""
    values, counts = np.unique(row, return_counts=True)
    value = values[np.argmax(counts)]
    return row.size - 1 - np.flatnonzero(row[::-1] == value)[0]


def mode(a, dim=-1, keepdim=False):
    d = _dim_of(a, dim)
    _check_nonempty("mode", a, d)
    x = np.moveaxis(backend.to_host(a._data).reshape(a.shape or (1,)), d, -1)
    idx = np.array([_mode_of(row) for row in x.reshape(-1, x.shape[-1])], np.int64)
    idx = idx.reshape(x.shape[:-1])
    return _picked("mode", ModeBackward0, a, d, np.expand_dims(idx, d) if keepdim and a.ndim
                   else idx, keepdim)


def _running(ufunc, a, d):
    """The indices of the running extremum along ``d``: on ties the latest, and from a nan
    on, the latest nan. Found on the host: cupy has no ``accumulate``."""
    x = backend.to_host(a._data).reshape(a.shape or (1,))
    best = ufunc.accumulate(x, axis=d)
    hit = (x == best) | (np.isnan(x) if x.dtype.kind in "fc" else False)
    places = np.arange(x.shape[d]).reshape((-1,) + (1,) * (x.ndim - d - 1))
    return np.maximum.accumulate(np.where(hit, places, 0), axis=d).reshape(a.shape)


def _scan_dim(name, a, dim):
    if not a.ndim and dim not in (0, -1):
        raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
    return _dim_of(a, dim)


def cummax(a, dim):
    d = _scan_dim("cummax", a, dim)
    return _picked("cummax", CummaxBackward0, a, d, _running(np.maximum, a, d))


def cummin(a, dim):
    d = _scan_dim("cummin", a, dim)
    return _picked("cummin", CumminBackward0, a, d, _running(np.minimum, a, d))
