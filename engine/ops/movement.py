"""Shape and movement ops: views, reshapes, transposes, indexing, cat and stack.

View ops return tensors that share their input's array and version counter, as
PyTorch's views do: an in-place change to either shows in both.
"""
import warnings

import math

import numpy as np

from engine.autograd.node import Function
from engine.ops import operands as O
from engine.tensor import Tensor, _wrap_dim


class _View(Function):
    """Base for ops whose result is a view of their first input."""

    @classmethod
    def apply(cls, a, **params):
        out = super().apply(a, **params)
        out._version_counter = a._version_counter
        out._base = a._base if a._base is not None else a
        return out


def _infer_shape(shape, numel):
    shape = list(shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            if s < 0:
                raise RuntimeError(f"invalid shape dimension {s}")
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape[shape.index(-1)] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _shape_args(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


class ViewBackward0(_View):
    @staticmethod
    def forward(ctx, a, shape):
        ctx.save(self_sym_sizes=tuple(a.shape))
        try:
            return a._data.reshape(shape, copy=False)
        except (ValueError, TypeError):
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
            ) from None

    @staticmethod
    def backward(ctx, grad):
        return (grad.reshape(ctx.unpack("self_sym_sizes")),)


class UnsafeViewBackward0(Function):
    @staticmethod
    def forward(ctx, a, shape):
        ctx.save(self_sym_sizes=tuple(a.shape))
        return a._data.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return (grad.reshape(ctx.unpack("self_sym_sizes")),)


class CloneBackward0(Function):
    @staticmethod
    def forward(ctx, a):
        return a._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return (grad,)


class CopyBackwards(Function):
    """The copy a leaf's first ``.grad`` is under ``backward(create_graph=True)``."""

    @staticmethod
    def forward(ctx, a):
        return a._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return (grad,)


def view(a, *shape):
    if len(shape) == 1 and hasattr(shape[0], "np"):  # view(dtype)
        raise NotImplementedError("view(dtype) is not supported")
    return ViewBackward0.apply(a, shape=_infer_shape(_shape_args(shape), a.numel()))


def reshape(a, *shape):
    shape = _infer_shape(_shape_args(shape), a.numel())
    try:
        a._data.reshape(shape, copy=False)
    except (ValueError, TypeError):
        return UnsafeViewBackward0.apply(clone(a), shape=shape)
    return ViewBackward0.apply(a, shape=shape)


def clone(a):
    return CloneBackward0.apply(a)


def contiguous(a):
    return a if a.is_contiguous() else clone(a)


def flatten(a, start_dim=0, end_dim=-1):
    if a.ndim == 0:
        return reshape(a, 1)
    s, e = _wrap_dim(start_dim, a.ndim), _wrap_dim(end_dim, a.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return a
    shape = a.shape[:s] + (int(np.prod(a.shape[s:e + 1])),) + a.shape[e + 1:]
    return reshape(a, shape)


def unflatten(a, dim, sizes):
    d = _wrap_dim(dim, a.ndim)
    return view(a, a.shape[:d] + tuple(sizes) + a.shape[d + 1:])


class TBackward0(_View):
    @staticmethod
    def forward(ctx, a):
        if a.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                               f"{a.ndim}D")
        return a._data.T

    @staticmethod
    def backward(ctx, grad):
        return (grad.t(),)


class PermuteBackward0(_View):
    @staticmethod
    def forward(ctx, a, dims):
        if len(dims) != a.ndim:
            raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input "
                               "does not match the length of the desired ordering of dimensions "
                               f"i.e. input.dim() = {a.ndim} is not equal to len(dims) = "
                               f"{len(dims)}")
        dims = tuple(_wrap_dim(d, a.ndim) for d in dims)
        if len(set(dims)) != len(dims):
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        ctx.save(dims=dims)
        return a._data.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        return (grad.permute(tuple(np.argsort(ctx.unpack("dims")).tolist())),)


class TransposeBackward0(_View):
    @staticmethod
    def forward(ctx, a, dim0, dim1):
        d0, d1 = _wrap_dim(dim0, a.ndim), _wrap_dim(dim1, a.ndim)
        ctx.save(dim0=d0, dim1=d1)
        return np.swapaxes(a._data, d0, d1) if a.ndim else a._data

    @staticmethod
    def backward(ctx, grad):
        d0, d1 = ctx.unpack("dim0", "dim1")
        return (grad.transpose(d0, d1),)


def permute(a, *dims):
    return PermuteBackward0.apply(a, dims=_shape_args(dims))


def t(a):
    return TBackward0.apply(a)


def transpose(a, dim0, dim1):
    return TransposeBackward0.apply(a, dim0=dim0, dim1=dim1)


def T(a):  # noqa: N802 - PyTorch's property name
    if a.ndim == 0:
        warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity "
                      "in these cases.", UserWarning, stacklevel=2)
    elif a.ndim != 2:
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                      "shape is deprecated and it will throw an error in a future release. "
                      "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch."
                      "arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
                      UserWarning, stacklevel=2)
    return permute(a, tuple(reversed(range(a.ndim))))


class _Reshaping(_View):
    """Squeeze/unsqueeze: the gradient is reshaped back to the input's shape."""

    @staticmethod
    def backward(ctx, grad):
        return (grad.reshape(ctx.unpack("self_sym_sizes")),)


class SqueezeBackward0(_Reshaping):
    @staticmethod
    def forward(ctx, a):
        ctx.save(self_sym_sizes=tuple(a.shape))
        return a._data.reshape(tuple(s for s in a.shape if s != 1))


class SqueezeBackward1(_Reshaping):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.save(self_sym_sizes=tuple(a.shape), dim=dim)
        if a.ndim == 0 or a.shape[dim] != 1:
            return a._data.view()
        return a._data.reshape(a.shape[:dim] + a.shape[dim + 1:])


class SqueezeBackward2(_Reshaping):
    @staticmethod
    def forward(ctx, a, dims):
        ctx.save(self_sym_sizes=tuple(a.shape), dim=dims)
        return a._data.reshape(tuple(s for i, s in enumerate(a.shape)
                                     if not (i in dims and s == 1)))


class SqueezeBackward4(SqueezeBackward2):
    """PyTorch's name for the squeeze that ends a vector-matrix product."""


class UnsqueezeBackward0(_View):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.save(dim=dim)
        return np.expand_dims(a._data, dim)

    @staticmethod
    def backward(ctx, grad):
        return (grad.squeeze(ctx.unpack("dim")),)


def squeeze(a, dim=None):
    if dim is None:
        return SqueezeBackward0.apply(a)
    if isinstance(dim, (tuple, list)):
        return SqueezeBackward2.apply(a, dims=O.normalize_dims(dim, a.ndim))
    return SqueezeBackward1.apply(a, dim=_wrap_dim(dim, a.ndim))


def unsqueeze(a, dim):
    return UnsqueezeBackward0.apply(a, dim=_wrap_dim(dim, a.ndim + 1))


_SMALL = 4096


class ExpandBackward0(_View):
    @staticmethod
    def forward(ctx, a, shape):
        ctx.save(self_sym_sizes=tuple(a.shape))
        if a._data.size * 4 < _SMALL and math.prod(shape) < _SMALL:
            # broadcast_to costs microseconds; a small read-only copy is several times cheaper
            out = np.empty(shape, dtype=a._data.dtype)
            out[...] = a._data
            out.flags.writeable = False
            return out
        return np.broadcast_to(a._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return (sum_to(grad, ctx.unpack("self_sym_sizes")),)


def expand(a, *sizes):
    sizes = _shape_args(sizes)
    if len(sizes) < a.ndim:
        raise RuntimeError(f"expand(torch.{a.dtype.tensor_type}"
                           f"{{{list(a.shape)}}}, size=[{', '.join(map(str, sizes))}]): the "
                           f"number of sizes provided ({len(sizes)}) must be greater or equal "
                           f"to the number of dimensions in the tensor ({a.ndim})")
    lead = len(sizes) - a.ndim
    shape = tuple(a.shape[i - lead] if s == -1 else s for i, s in enumerate(sizes))
    for i in range(a.ndim):
        if a.shape[i] != 1 and a.shape[i] != shape[lead + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({shape[lead + i]}) must match the existing "
                f"size ({a.shape[i]}) at non-singleton dimension {lead + i}.  Target sizes: "
                f"[{', '.join(map(str, sizes))}].  Tensor sizes: [{', '.join(map(str, a.shape))}]")
    if shape == tuple(a.shape):
        return a
    return ExpandBackward0.apply(a, shape=shape)


def expand_as(a, other):
    return expand(a, other.shape)


def sum_to(grad, shape):
    """Sum a broadcast gradient back down to ``shape`` (the one place this happens)."""
    shape = tuple(shape)
    if tuple(grad.shape) == shape:
        return grad
    lead = grad.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                      if s == 1 and grad.shape[lead + i] != 1)
    out = grad.sum(dims, keepdim=True) if dims else grad
    return out.reshape(shape) if lead or out.shape != shape else out


# ---------------------------------------------------------------- indexing
class SelectBackward0(_View):
    @staticmethod
    def forward(ctx, a, dim, index):
        size = a.shape[dim]
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of bounds for dimension {dim} with size "
                             f"{size}")
        ctx.save(dim=dim, index=index, self_sym_sizes=tuple(a.shape))
        return a._data[(slice(None),) * dim + (index,)]

    @staticmethod
    def backward(ctx, grad):
        dim, index, shape = ctx.unpack("dim", "index", "self_sym_sizes")
        return (_embed(grad, shape, (slice(None),) * dim + (index,)),)


class SliceBackward0(_View):
    @staticmethod
    def forward(ctx, a, dim, start, end, step):
        if step <= 0:
            raise ValueError("step must be greater than zero")
        ctx.save(dim=dim, start=start, end=end, step=step, self_sym_sizes=tuple(a.shape))
        return a._data[(slice(None),) * dim + (slice(start, end, step),)]

    @staticmethod
    def backward(ctx, grad):
        dim, start, end, step, shape = ctx.unpack("dim", "start", "end", "step",
                                                  "self_sym_sizes")
        return (_embed(grad, shape, (slice(None),) * dim + (slice(start, end, step),)),)


class IndexBackward0(Function):
    @staticmethod
    def forward(ctx, a, key):
        ctx.key = key
        ctx.save(self_sym_sizes=tuple(a.shape))
        try:
            return a._data[key]
        except IndexError as e:
            raise IndexError(str(e).replace("axis", "dimension")) from None

    @staticmethod
    def backward(ctx, grad):
        return (_embed(grad, ctx.unpack("self_sym_sizes"), ctx.key),)


class IndexPutBackward0(Function):
    """Places a gradient into zeros at ``key``: the backward of indexing, differentiable."""

    @staticmethod
    def forward(ctx, grad, shape, key):
        ctx.key = key
        out = np.zeros(shape, dtype=grad._data.dtype)
        np.add.at(out, key, grad._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        return (grad[ctx.key],)


def _embed(grad, shape, key):
    return IndexPutBackward0.apply(grad, shape=tuple(shape), key=key)


def _is_advanced(k):
    return isinstance(k, (Tensor, list, np.ndarray)) or (
        hasattr(k, "__array__") and not isinstance(k, (int, slice)))


def _array_key(k):
    if isinstance(k, Tensor):
        return k._data
    if isinstance(k, list):
        return np.asarray([x._data if isinstance(x, Tensor) else x for x in k])
    return k


def getitem(a, key):
    if isinstance(key, slice) and a.ndim:  # a lone full slice still records a node
        start, stop, step = key.indices(a.shape[0])
        return SliceBackward0.apply(a, dim=0, start=start, end=stop, step=step)
    key = key if isinstance(key, tuple) else (key,)
    if any(_is_advanced(k) for k in key):
        return IndexBackward0.apply(a, key=tuple(_array_key(k) for k in key))
    n_indexed = sum(1 for k in key if k is not None and k is not Ellipsis)
    if n_indexed > a.ndim:
        raise IndexError(f"too many indices for tensor of dimension {a.ndim}")
    out, dim, orig = a, 0, 0  # dim in ``out``; orig: the same dim of ``a``, for messages
    for k in key:
        if k is Ellipsis:
            dim += a.ndim - n_indexed
            orig += a.ndim - n_indexed
        elif k is None:
            out = unsqueeze(out, dim)
            dim += 1
        elif isinstance(k, slice):
            start, stop, step = k.indices(out.shape[dim])
            if (start, stop, step) != (0, out.shape[dim], 1):
                out = SliceBackward0.apply(out, dim=dim, start=start, end=stop, step=step)
            dim += 1
            orig += 1
        else:
            index = int(k)
            size = out.shape[dim]
            if not -size <= index < size:
                raise IndexError(f"index {index} is out of bounds for dimension {orig} with "
                                 f"size {size}")
            out = SelectBackward0.apply(out, dim=dim, index=index % size)
            orig += 1
    if out is a:  # x[:] and x[...] are aliases
        out = _View.apply.__func__(AliasBackward0, a)
    return out


class AliasBackward0(_View):
    @staticmethod
    def forward(ctx, a):
        return a._data.view()

    @staticmethod
    def backward(ctx, grad):
        return (grad,)


class CopySlices(Function):
    """``tensor[key] = value`` on a tensor in a graph: PyTorch's CopySlices node."""

    @staticmethod
    def forward(ctx, base, value, key):
        ctx.key = key
        ctx.value_shape = value.shape if isinstance(value, Tensor) else ()
        out = base._data.copy()
        if isinstance(value, Tensor):
            value = O.cast(value, base.dtype)
            while value.ndim > out[key].ndim and value.shape[0] == 1:  # leading 1s drop out
                value = value[0]
        out[key] = value
        return out

    @staticmethod
    def backward(ctx, grad):
        keep = grad.clone()
        keep._data[ctx.key] = 0
        g = grad[ctx.key]
        if g.ndim < len(ctx.value_shape):
            g = g.reshape((1,) * (len(ctx.value_shape) - g.ndim) + tuple(g.shape))
        return keep, sum_to(g, ctx.value_shape)


# ---------------------------------------------------------------- joining
class CatBackward0(Function):
    @staticmethod
    def forward(ctx, *tensors, dim=0):
        if not tensors:
            raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
        from engine.dtypes import result_type
        dt = result_type(*[t for t in tensors])
        ref = next((t for t in tensors if t.ndim), tensors[0])
        if ref.ndim == 0:
            raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
        d = _wrap_dim(dim, ref.ndim)
        ctx.save(dim=d)
        ctx.sizes = [t.shape[d] if t.ndim else 0 for t in tensors]
        try:
            return np.concatenate([O.cast(t, dt) for t in tensors], axis=d)
        except ValueError:
            for i, t in enumerate(tensors):
                if t.ndim != ref.ndim:
                    raise RuntimeError(f"Tensors must have same number of dimensions: got "
                                       f"{ref.ndim} and {t.ndim}") from None
                for j in range(ref.ndim):
                    if j != d and t.shape[j] != ref.shape[j]:
                        raise RuntimeError(
                            f"Sizes of tensors must match except in dimension {d}. Expected "
                            f"size {ref.shape[j]} but got size {t.shape[j]} for tensor number "
                            f"{i} in the list.") from None
            raise

    @staticmethod
    def backward(ctx, grad):
        d = ctx.unpack("dim")
        out, start = [], 0
        for size in ctx.sizes:
            out.append(grad.narrow(d, start, size))
            start += size
        return tuple(out)


class StackBackward0(Function):
    @staticmethod
    def forward(ctx, *tensors, dim=0):
        if not tensors:
            raise RuntimeError("stack expects a non-empty TensorList")
        for i, t in enumerate(tensors):
            if t.shape != tensors[0].shape:
                raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                                   f"{list(tensors[0].shape)} at entry 0 and {list(t.shape)} "
                                   f"at entry {i}")
        from engine.dtypes import result_type
        dt = result_type(*tensors)
        d = _wrap_dim(dim, tensors[0].ndim + 1)
        ctx.save(dim=d)
        return np.stack([O.cast(t, dt) for t in tensors], axis=d)

    @staticmethod
    def backward(ctx, grad):
        d = ctx.unpack("dim")
        return tuple(grad.select(d, i) for i in range(grad.shape[d]))


def cat(tensors, dim=0):
    return CatBackward0.apply(*tensors, dim=dim)


def stack(tensors, dim=0):
    return StackBackward0.apply(*tensors, dim=dim)


def narrow(a, dim, start, length):
    d = _wrap_dim(dim, a.ndim)
    return SliceBackward0.apply(a, dim=d, start=start, end=start + length, step=1)


def select(a, dim, index):
    d = _wrap_dim(dim, a.ndim)
    return SelectBackward0.apply(a, dim=d, index=index % a.shape[d])


def vstack(tensors):
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in tensors], 0)


def hstack(tensors):
    return cat(list(tensors), 0 if tensors[0].ndim == 1 else 1)


class RepeatBackward0(Function):
    @staticmethod
    def forward(ctx, a, repeats):
        if len(repeats) < a.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than "
                               "number of dimensions of tensor")
        ctx.save(repeats=repeats, self_sym_sizes=tuple(a.shape))
        return np.tile(a._data, repeats)

    @staticmethod
    def backward(ctx, grad):
        repeats, shape = ctx.unpack("repeats", "self_sym_sizes")
        lead = len(repeats) - len(shape)
        full = (1,) * lead + tuple(shape)
        split = []
        for r, s in zip(repeats, full):
            split += [r, s]
        g = grad.reshape(split).sum(tuple(range(0, 2 * len(full), 2)))
        return (g.reshape(shape),)


def repeat(a, *repeats):
    return RepeatBackward0.apply(a, repeats=_shape_args(repeats))


class ToCopyBackward0(Function):
    @staticmethod
    def forward(ctx, a, dtype):
        ctx.source_dtype = a.dtype
        return a._data.astype(dtype.np)

    @staticmethod
    def backward(ctx, grad):
        return (grad.to(ctx.source_dtype),)
