"""Indexing and joining: select, slice, advanced indexing, setitem (CopySlices), cat,
stack and repeat. Basic indexing returns views; advanced indexing copies, as in PyTorch."""
import re

import numpy as np

from engine import backend, dtypes
from engine.autograd.node import Function, SavedTensorList, as_given
from engine.ops import operands as O
from engine.ops.movement import _shape_args, _View, expand, live_views, sum_to, unsqueeze
from engine.tensor import Tensor, _wrap_dim


class SelectBackward0(_View):
    @staticmethod
    def forward(ctx, a, dim, index):
        size = a.shape[dim]
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of bounds for dimension {dim} with size "
                             f"{size}")
        ctx.save(dim=dim, index=index, self_sym_sizes=tuple(a.shape))
        return a._data[(slice(None),) * dim + (index, Ellipsis)]   # a 0-d result stays a view

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
        if is_index_put(key):  # index tensors, ``:`` and ``...`` alone: PyTorch's one node
            ctx.save(indices=SavedTensorList(_as_indices(key, a.ndim)))
        return picked(a, key)

    @staticmethod
    def backward(ctx, grad):
        return (_embed(grad, ctx.unpack("self_sym_sizes"), ctx.key),)


class IndexPutImplBackward0(Function):
    """Places a gradient into zeros at ``key``: the backward of indexing, differentiable.
    Its first slot, the zeros, takes no gradient, as in PyTorch."""

    @staticmethod
    def forward(ctx, zeros, grad, shape, key):
        ctx.key = key
        out = backend.array_module(grad._device).zeros(shape, dtype=grad._data.dtype)
        backend.add_at(out, key, grad._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        return None, grad[ctx.key]


def _embed(grad, shape, key):
    return IndexPutImplBackward0.apply(0, grad, shape=tuple(shape), key=key)


def _is_advanced(k):
    """An index numpy reads as an array: tensors, lists, arrays, and True and False (which
    add a dimension of size 1 or 0, as in PyTorch)."""
    return isinstance(k, (Tensor, list, np.ndarray, bool, np.bool_)) or (
        hasattr(k, "__array__") and not isinstance(k, (int, slice)))


def _index_error(error, a, key):
    """numpy's IndexError in PyTorch's words where they differ (a boolean mask's shape)."""
    masks = [k for k in key if getattr(k, "dtype", None) == bool and k.ndim]
    found = re.search(r"along (?:axis|dimension) (\d+)", str(error))
    if "boolean index did not match" in str(error) and len(masks) == 1 and found:
        start = next(i for i, k in enumerate(key) if k is masks[0])
        dim = int(found.group(1))
        return IndexError(f"The shape of the mask {list(masks[0].shape)} at index "
                          f"{dim - start} does not match the shape of the indexed tensor "
                          f"{list(a.shape)} at index {dim}")
    if "used as indices must be of integer" in str(error):
        return IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return IndexError(re.sub(r"^Index", "index", str(error)).replace("axis", "dimension"))


def picked(a, key):
    """``a``'s array at ``key``, or PyTorch's IndexError; cupy wraps an index out of range
    around, so on the GPU the index tensors are checked first."""
    data = a._data
    try:
        if backend.module_of(data) is not np:
            _check_in_range(data.shape, key if isinstance(key, tuple) else (key,))
        return data[key]
    except IndexError as e:
        raise _index_error(e, a, key if isinstance(key, tuple) else (key,)) from None


def _ellipsis_dims(key, ndim):
    """How many of ``ndim`` dims ``...`` stands for in ``key``: those no other index takes
    (a boolean mask takes as many as it has)."""
    return ndim - sum(k.ndim if getattr(k, "dtype", None) == bool else 1 for k in key
                      if k is not Ellipsis and k is not None)


def _check_in_range(shape, key):
    """numpy's check of each index tensor in ``key`` against its dim of ``shape``."""
    d = 0
    for k in key:
        if k is Ellipsis:
            d += _ellipsis_dims(key, len(shape))
        elif getattr(k, "dtype", None) == bool:
            d += k.ndim
        elif k is not None:
            if hasattr(k, "ndim") and k.size and d < len(shape):
                out = (k < -shape[d]) | (k >= shape[d])
                if out.any():
                    raise IndexError(f"index {int(k[out][0])} is out of bounds for dimension "
                                     f"{d} with size {shape[d]}")
            d += 1


def _array_key(k):
    if isinstance(k, Tensor):
        return k._data
    if isinstance(k, list):
        return np.asarray([backend.to_host(x._data) if isinstance(x, Tensor) else x for x in k])
    return k


def _sliced(a, dim, key):
    """``a[..., key]`` at ``dim`` for a slice ``key``, saving its start and end as given, as
    PyTorch does (an end left out as the largest 64-bit int)."""
    start, stop, step = key.indices(a.shape[dim])
    given_start = 0 if key.start is None else int(key.start)
    given_end = _INT64_MAX if key.stop is None else int(key.stop)
    return SliceBackward0.apply(a, dim=dim, start=as_given(start, given_start),
                                end=as_given(stop, given_end), step=step)


_INT64_MAX = 2 ** 63 - 1


def getitem(a, key):
    if isinstance(key, slice) and a.ndim:  # a lone full slice still records a node
        return _sliced(a, 0, key)
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
            if k.indices(out.shape[dim]) != (0, out.shape[dim], 1):
                out = _sliced(out, dim, k)
            dim += 1
            orig += 1
        else:
            if not isinstance(k, (int, np.integer)):
                raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long "
                                 f"or byte Variables are valid indices (got {type(k).__name__})")
            index = int(k)
            size = out.shape[dim]
            if not -size <= index < size:
                raise IndexError(f"index {index} is out of bounds for dimension {orig} with "
                                 f"size {size}")
            out = SelectBackward0.apply(out, dim=dim, index=as_given(index % size, index))
            orig += 1
    if out is a:  # x[:] and x[...] are aliases
        out = AliasBackward0.apply(a)
    return out


class AliasBackward0(_View):
    @staticmethod
    def forward(ctx, a):
        return a._data.view()

    @staticmethod
    def backward(ctx, grad):
        return (grad,)


def assigned(base, key, value, index_put):
    """What ``base[key] = value`` writes: a tensor ``value`` as an array in the base's dtype,
    without the leading 1s PyTorch drops, checked to broadcast to the indexed shape (with
    PyTorch's error for ``index_put``, or for the view CopySlices writes into)."""
    if not isinstance(value, Tensor):
        return value
    if value.ndim:
        O.check_same_device(base, value)
    target = picked(base, key).shape
    array = O.cast(value, base.dtype)
    while array.ndim > len(target) and array.shape[0] == 1:
        array = array[0]
    try:
        fits = np.broadcast_shapes(array.shape, target) == target
    except ValueError:
        fits = False
    if not fits:
        if index_put:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} "
                               f"cannot be broadcast to indexing result of shape {list(target)}")
        expand(Tensor._make(array), target)  # raises PyTorch's error
    return array[()] if not array.ndim else array  # a scalar, which cupy takes too


class _Assign(Function):
    """``base[key] = value`` out of place (``adds``: ``base[key] += value``, repeated places
    adding again). The gradient reaching the written places goes to ``value``; ``base``
    keeps the rest, or all of it where the value was added."""

    adds = index_put = False

    @staticmethod
    def forward(ctx, base, value, key):
        ctx.key = key
        ctx.value_shape = value.shape if isinstance(value, Tensor) else ()
        out = base._data.copy()
        value = assigned(base, key, value, ctx.index_put)
        if ctx.adds:
            backend.add_at(out, key, value)
        else:
            out[key] = value
        return out

    @staticmethod
    def backward(ctx, grad):
        keep = grad
        if not ctx.adds:
            keep = grad.clone()
            keep._data[ctx.key] = 0
        g = grad[ctx.key]
        if g.ndim < len(ctx.value_shape):
            g = g.reshape((1,) * (len(ctx.value_shape) - g.ndim) + tuple(g.shape))
        return keep, sum_to(g, ctx.value_shape)


class IndexPutBackward0(_Assign):
    """PyTorch's ``index_put``: ``tensor[key] = value`` where the key holds tensors (and
    otherwise only ``:`` and ``...``), and ``index_put(indices, values, accumulate)``."""

    index_put = True

    @staticmethod
    def forward(ctx, base, value, key, accumulate=False):
        ctx.save(indices=SavedTensorList(_as_indices(key, base.ndim)), accumulate=accumulate)
        ctx.adds = accumulate
        return _Assign.forward(ctx, base, value, key)


def _as_indices(key, ndim):
    """The key as PyTorch's ``_saved_indices`` shows it: a tensor, or None for ``:``, per
    indexed dim, without the trailing Nones."""
    key = key if isinstance(key, tuple) else (key,)
    out = []
    for k in key:
        if k is Ellipsis:
            out += [None] * _ellipsis_dims(key, ndim)
        else:
            out.append(None if isinstance(k, slice) else Tensor._make(k))
    while out and out[-1] is None:
        out.pop()
    return tuple(out)


def is_index_put(key):
    """Whether ``tensor[key] = value`` is PyTorch's index_put: a key with an index tensor
    (not a 0-dim one, which counts as a number), and otherwise only ``:`` and ``...``
    (anything else makes a view first, and CopySlices records the write into it)."""
    key = key if isinstance(key, tuple) else (key,)
    arrays = [k for k in key if hasattr(k, "ndim") and k.ndim]
    return bool(arrays) and len(arrays) + sum(
        1 for k in key if k is Ellipsis or isinstance(k, slice) and k == slice(None)) == len(key)


def index_put(a, indices, values, accumulate=False):
    if not isinstance(indices, (tuple, list)):
        raise TypeError("index_put(): argument 'indices' (position 1) must be tuple of "
                        f"Tensors, not {O.type_name(indices)}")
    if not isinstance(values, Tensor):
        raise TypeError("index_put(): argument 'values' (position 2) must be Tensor, not "
                        f"{O.type_name(values)}")
    for i, index in enumerate(indices):
        if not isinstance(index, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{O.type_name(index)}")
        if index.dtype.category > 1:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if values.dtype is not a.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{O.dtype_name(a.dtype)} for the destination and "
                           f"{O.dtype_name(values.dtype)} for the source.")
    key = tuple(index._data for index in indices)
    picked(a, key)  # PyTorch's IndexError for an index out of range
    return IndexPutBackward0.apply(a, values, key=key, accumulate=accumulate)


class CopySlices(_Assign):
    """``tensor[key] = value`` on a tensor in a graph: PyTorch's CopySlices node. Also what a
    base becomes when an in-place op changes a view of it (`over_view`): then the node holds
    the op's own node (``fn``) and runs it on the viewed part of the gradient."""

    fn = None

    def name(self):
        return "torch::autograd::CopySlices"

    @staticmethod
    def backward(ctx, grad):
        if ctx.fn is not None:
            return _through_view_op(ctx.fn, grad, ctx.key)
        return _Assign.backward(ctx, grad)

    @classmethod
    def over_view(cls, view, result):
        """An in-place op turned `view` into `result`: its base's grad_fn becomes a CopySlices
        whose inputs are the base as it was and the op's other inputs, as in PyTorch. The view
        then reads from the new base (AsStridedBackward0), so the op's node is reached once."""
        base, fn = view._base, result.grad_fn
        key = view_key(view, base)
        before = Tensor._make(base._data, base.grad_fn)
        before._requires_grad = base._requires_grad
        node = cls.apply(before, result, key=key).grad_fn
        node.fn = fn
        node.next_functions = (node.next_functions[0], *fn.next_functions[1:])
        node._input_meta = (*(m for m in node._input_meta if m[0] == 0),
                            *(m for m in fn._input_meta if m[0] > 0))
        base.grad_fn, base._requires_grad = node, True
        return AsStridedBackward0.apply(base, key=key)


def reread_views(base, changed):
    """After an in-place op put ``base`` (or its view ``changed``) in the graph anew, each
    other view of it reads its values from the new base (AsStridedBackward0), as PyTorch's
    views do once their base has changed."""
    for view in live_views(base):
        if view is not changed:
            view.grad_fn = AsStridedBackward0.apply(base, key=view_key(view, base)).grad_fn
            view._output_nr = 0
            view._requires_grad = True


def _through_view_op(fn, grad, key):
    from engine.autograd.engine import input_grads
    grads = input_grads(fn, grad[key])
    out = grad.clone()
    out[key] = grads[0] if grads[0] is not None else 0
    return (out, *grads[1:])


class AsStridedBackward0(Function):
    """A view read back from its base after an in-place op changed it."""

    @staticmethod
    def forward(ctx, base, key):
        ctx.key = key
        ctx.save(self_sym_sizes=tuple(base.shape))
        return base._data[key]

    @staticmethod
    def backward(ctx, grad):
        return (_embed(grad, ctx.unpack("self_sym_sizes"), ctx.key),)


def view_key(view, base):
    """Where each element of `view` sits in `base`: an index into the base, found from the
    memory the two arrays share."""
    start = _address(base._data)
    in_base = _offsets(base._data, start)
    low = int(in_base.min()) if in_base.size else 0
    where = np.full(int(in_base.max()) - low + 1 if in_base.size else 0, -1, dtype=np.int64)
    where[(in_base - low).ravel()] = np.arange(in_base.size)
    flat = where[_offsets(view._data, start) - low]
    return np.unravel_index(flat, base._data.shape)


def _offsets(array, start):
    """Each element's distance from the address `start`, in elements."""
    item = array.itemsize
    offsets = np.full(array.shape, (_address(array) - start) // item, dtype=np.int64)
    for axis, (n, stride) in enumerate(zip(array.shape, array.strides)):
        shape = [1] * array.ndim
        shape[axis] = n
        offsets = offsets + (np.arange(n) * (stride // item)).reshape(shape)
    return offsets


def _address(array):
    interface = getattr(array, "__array_interface__", None)
    return interface["data"][0] if interface is not None else array.data.ptr


# ---------------------------------------------------------------- joining
class CatBackward0(Function):
    @staticmethod
    def forward(ctx, *tensors, dim=0):
        if not tensors:
            raise ValueError("torch.cat(): expected a non-empty list of Tensors")
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


class IndexSelectBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim, index):
        if index.dtype not in (dtypes.int64, dtypes.int32):
            raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
        if index.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        d = _wrap_dim(dim, a.ndim) if a.ndim else 0
        ctx.save(dim=d, index=index, self_sym_sizes=tuple(a.shape))
        i = index._data.reshape(-1)
        size = a.shape[d] if a.ndim else 1
        if i.size and (i.max() >= size or i.min() < 0):  # no negative indices here
            raise IndexError("index out of range in self")
        return np.take(a._data, i, axis=d) if a.ndim else a._data.copy()

    @staticmethod
    def backward(ctx, grad):
        d, index, shape = ctx.unpack("dim", "index", "self_sym_sizes")
        if not shape:
            return (grad,)
        return (_embed(grad, shape, (slice(None),) * d + (index._data.reshape(-1),)),)


def index_select(a, dim, index):
    return IndexSelectBackward0.apply(a, dim=dim, index=index)


def narrow(a, dim, start, length):
    if not a.ndim:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, a.ndim)
    size = a.shape[d]
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:  # saved made non-negative, as PyTorch saves it
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return SliceBackward0.apply(a, dim=d, start=start, end=start + length, step=1)


def tensor_split(a, indices_or_sections, dim=0):
    """Pieces of ``a`` along ``dim``, each a slice: ``n`` pieces as even as can be, or the
    pieces between the given indices."""
    if not a.ndim:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = int(_wrap_dim(dim, a.ndim))  # its slices save the dim it is, as PyTorch's do
    n, split = a.shape[d], indices_or_sections
    if isinstance(split, Tensor):
        if split.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                               "zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {split.ndim} dims")
        if split.dtype is not dtypes.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype "
                               f"of long, but got {O.dtype_name(split.dtype)}")
        split = split.tolist()
    if isinstance(split, int) and not isinstance(split, bool):
        if split <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {split}")
        small, extra = divmod(n, split)
        bounds = [0]
        for i in range(split):
            bounds.append(bounds[-1] + small + (i < extra))
        pieces = zip(bounds, bounds[1:])
    elif isinstance(split, (list, tuple)) and all(
            isinstance(i, int) and not isinstance(i, bool) for i in split):
        pieces = zip([0, *split], [*split, n])
    else:
        raise TypeError("tensor_split(): argument 'indices_or_sections' must be an int, a "
                        f"tuple of ints or a Tensor, not {type(split).__name__}")
    return tuple(_sliced(a, d, slice(start, end)) for start, end in pieces)


def select(a, dim, index):
    if not a.ndim:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    if not isinstance(index, (int, np.integer, Tensor)) or isinstance(index, bool):
        raise TypeError("select(): argument 'index' (position 2) must be int, not "
                        f"{type(index).__name__}")
    d, index = _wrap_dim(dim, a.ndim), int(index)
    size = a.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(a.shape)} at dimension {d}")
    return SelectBackward0.apply(a, dim=d, index=as_given(index % size, index))


def vstack(tensors):
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in tensors], 0)


def hstack(tensors):
    tensors = [t.reshape(1) if t.ndim == 0 else t for t in tensors]
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


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


def tile(a, *dims):
    dims = _shape_args(dims)
    return repeat(a, (1,) * (a.ndim - len(dims)) + tuple(dims))


def repeat_interleave(a, repeats=None, dim=None, *, output_size=None):
    if repeats is None:  # repeat_interleave(repeats): the indices repeat_interleave takes
        return Tensor._make(_repeated_indices(a, a.numel()))
    if dim is None:
        a, dim = a.flatten(), 0
    if isinstance(repeats, Tensor) and not a.ndim:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = _wrap_dim(dim, a.ndim)
    if isinstance(repeats, Tensor):
        index = _repeated_indices(repeats, a.shape[d], dim)
        if output_size is not None and output_size != index.size:
            raise RuntimeError("allocated size does not match required size")
        return index_select(a, d, Tensor._make(index))
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    if a.ndim == 0:
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    if output_size is not None and output_size != a.shape[d] * repeats:
        raise RuntimeError("repeat_interleave: Invalid output_size, expected "
                           f"{a.shape[d] * repeats} but got {output_size}")
    shape = a.shape[:d + 1] + (repeats,) + a.shape[d + 1:]
    return unsqueeze(a, d + 1).expand(shape).clone().flatten(d, d + 1)


def _repeated_indices(repeats, n, dim=0):
    """Each position below ``n`` (the size of ``dim``) as many times as ``repeats`` says (one
    count for all, or one each)."""
    if repeats.dtype.category != 1:
        raise NotImplementedError(
            f"\"repeat_interleave_cpu\" not implemented for '{O.dtype_name(repeats.dtype)}'")
    if repeats.ndim > 1:
        raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
    counts = repeats._data.reshape(-1)
    if counts.size == 1:
        counts = np.broadcast_to(counts, (n,))
    elif counts.size != n:
        raise RuntimeError("repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {counts.size} and input.size({dim}) = {n}")
    if (counts < 0).any():
        raise RuntimeError("repeats can not be negative")
    return np.repeat(backend.module_of(counts).arange(n), counts)
