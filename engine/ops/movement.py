"""Shape and movement ops: views, reshapes, transposes, indexing, cat and stack.

View ops return tensors that share their input's array and version counter, as
PyTorch's views do: an in-place change to either shows in both.
"""
import math
import warnings
import weakref

import numpy as np

from engine import backend
from engine.autograd.node import Function, _forward_name
from engine.ops import formula as F
from engine.ops import operands as O
from engine.tensor import Tensor, _wrap_dim


class _View(Function):
    """Base for ops whose result is a view of their first input."""

    @classmethod
    def apply(cls, a, **params):
        out = super().apply(a, **params)
        out._version_counter = a._version_counter
        base = out._base = a._base if a._base is not None else a
        _register_view(base, out)
        note_no_grad_view(a, out)
        return out


def note_no_grad_view(a, view):
    """A view of ``a`` made under no_grad, or made from such a view (then named after its
    op), requires grad as ``a`` does, but no in-place op may change it under grad mode."""
    if a._requires_grad and (view.grad_fn is None or a._base is not None and
                             "_made_in_no_grad" in a.__dict__):
        view._requires_grad = True
        view.__dict__["_made_in_no_grad"] = "" if view.grad_fn is None else \
            _forward_name(view.grad_fn)


def _register_view(base, view):
    """Remember ``view`` on ``base``, weakly, for an in-place op on the base to reach it
    (``live_views``). Dead references are dropped as the list doubles."""
    views = base.__dict__.get("_views")
    if views is None:
        base.__dict__["_views"] = [weakref.ref(view)]
        return
    views.append(weakref.ref(view))
    if len(views) >= 8 and not len(views) & (len(views) - 1):
        views[:] = [ref for ref in views if ref() is not None]


def live_views(base):
    """The views of ``base`` still alive."""
    return [view for view in (ref() for ref in base.__dict__.get("_views", ())) if view is not None]


def _infer_shape(shape, numel):
    if -1 not in shape and math.prod(shape) == numel and min(shape, default=0) >= 0:
        return tuple(shape)  # the usual case: a complete, valid shape
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
    array_backward = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.save(self_sym_sizes=a._data.shape)
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


class ReshapeAliasBackward0(ViewBackward0):
    """``reshape`` of a tensor that is not contiguous but can still be viewed in the shape."""


class UnsafeViewBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.save(self_sym_sizes=a._data.shape)
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
    """``dest.copy_(src)`` in a graph: ``src``'s values in ``dest``'s shape and dtype. What
    ``dest`` held takes no gradient. Also the copy a leaf's first ``.grad`` is under
    ``backward(create_graph=True)``."""

    array_backward = True

    def name(self):
        return "torch::autograd::CopyBackwards"

    @staticmethod
    def forward(ctx, dest, src):
        out = dest._data.copy()
        try:
            out[...] = O.cast(src, dest.dtype)
        except ValueError:
            raise O.broadcast_error(tuple(dest.shape), O.shape_of(src)) from None
        return out

    @staticmethod
    def backward(ctx, grad):  # the central fit sums grad to src's shape and dtype
        return (F.zeros_like(grad) if ctx.needs_grad(0) else None), grad


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
    if a._data.flags.c_contiguous:
        return ViewBackward0.apply(a, shape=shape)
    return ReshapeAliasBackward0.apply(a, shape=shape)


def clone(a):
    return CloneBackward0.apply(a)


def contiguous(a):
    return a if a.is_contiguous() else clone(a)


def flatten(a, start_dim=0, end_dim=-1):
    if a.ndim == 0:
        _wrap_dim(start_dim, 0), _wrap_dim(end_dim, 0)  # PyTorch's error for any other dim
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
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        if a.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                               f"{a.ndim}D")
        return a._data.T

    @staticmethod
    def backward(ctx, grad):
        return (F.t(grad),)


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
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    return PermuteBackward0.apply(a, dims=_shape_args(dims))


def t(a):
    return TBackward0.apply(a)


def transpose(a, dim0, dim1):
    return TransposeBackward0.apply(a, dim0=dim0, dim1=dim1)


def mT(a):  # noqa: N802 - PyTorch's property name
    if a.ndim == 1:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                           "Got 1-D tensor.")
    if a.ndim == 0:
        warnings.warn("Tensor.mT is deprecated on 0-D tensors. This function is the identity "
                      "in these cases.", UserWarning, stacklevel=2)
        return a
    return transpose(a, -2, -1)


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

    array_backward = True

    @staticmethod
    def backward(ctx, grad):
        return (grad.reshape(ctx.unpack("self_sym_sizes")),)


class SqueezeBackward0(_Reshaping):
    @staticmethod
    def forward(ctx, a):
        ctx.save(self_sym_sizes=a._data.shape)
        return a._data.reshape(tuple(s for s in a.shape if s != 1))


class SqueezeBackward1(_Reshaping):
    @staticmethod
    def forward(ctx, a, dim):
        ctx.save(self_sym_sizes=a._data.shape, dim=dim)
        if a.ndim == 0 or a.shape[dim] != 1:
            return a._data.view()
        return a._data.reshape(a.shape[:dim] + a.shape[dim + 1:])


class SqueezeBackward2(_Reshaping):
    @staticmethod
    def forward(ctx, a, dims):
        ctx.save(self_sym_sizes=a._data.shape, dim=dims)
        return a._data.reshape(tuple(s for i, s in enumerate(a.shape)
                                     if not (i in dims and s == 1)))


class SqueezeBackward4(SqueezeBackward2):
    """PyTorch's name for the squeeze that ends a vector-matrix product."""


class UnsqueezeBackward0(_View):
    array_backward = True

    @staticmethod
    def forward(ctx, a, dim):
        ctx.save(dim=dim)
        return np.expand_dims(a._data, dim)

    @staticmethod
    def backward(ctx, grad):
        return (F.squeeze(grad, ctx.unpack("dim")),)


def squeeze(a, dim=None):
    if dim is None:
        return SqueezeBackward0.apply(a)
    if isinstance(dim, (tuple, list)):
        return SqueezeBackward2.apply(a, dims=O.normalize_dims(dim, a.ndim))
    return SqueezeBackward1.apply(a, dim=_wrap_dim(dim, a.ndim))


def unsqueeze(a, dim):
    return UnsqueezeBackward0.apply(a, dim=_wrap_dim(dim, a.ndim + 1))


class ExpandBackward0(_View):
    array_backward = True

    @staticmethod
    def forward(ctx, a, shape):
        ctx.save(self_sym_sizes=a._data.shape)
        return F.broadcast_array(a._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return (F.sum_to(grad, ctx.unpack("self_sym_sizes")),)


def expand(a, *sizes):
    sizes = _shape_args(sizes)
    have = a._data.shape
    lead = len(sizes) - len(have)
    if lead < 0:
        raise RuntimeError(f"expand(torch.{a.dtype.tensor_type}"
                           f"{{{list(have)}}}, size=[{', '.join(map(str, sizes))}]): the "
                           f"number of sizes provided ({len(sizes)}) must be greater or equal "
                           f"to the number of dimensions in the tensor ({len(have)})")
    shape = sizes
    if -1 in sizes:
        if -1 in sizes[:lead]:
            raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a "
                               f"leading, non-existing dimension {sizes.index(-1)}")
        shape = tuple(have[i - lead] if s == -1 else s for i, s in enumerate(sizes))
    for i, s in reversed(list(enumerate(have))):  # PyTorch names the last mismatch
        if s != 1 and s != shape[lead + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({shape[lead + i]}) must match the existing "
                f"size ({s}) at non-singleton dimension {lead + i}.  Target sizes: "
                f"[{', '.join(map(str, sizes))}].  Tensor sizes: [{', '.join(map(str, have))}]")
    return ExpandBackward0.apply(a, shape=shape)


def expand_as(a, other):
    return expand(a, other.shape)


def sum_to(grad, shape):
    """Sum a broadcast gradient back down to ``shape`` (the one place this happens)."""
    shape = tuple(shape)
    if grad._data.shape == shape:
        return grad
    dims = F.reduced_dims(grad._data.shape, shape)
    out = grad.sum(dims, keepdim=True) if dims else grad
    return out.reshape(shape) if out.shape != shape else out


class ToCopyBackward0(Function):
    """A copy in another dtype, on another device, or both; the gradient goes back as the
    source was."""

    @classmethod
    def apply(cls, a, dtype=None, device=None):
        if dtype is not None and dtype.category < 2:  # an integer or bool result takes no grad
            return Tensor._make(_copied(a._data, dtype, device))
        return super().apply(a, dtype=dtype, device=device)

    @staticmethod
    def forward(ctx, a, dtype, device):
        ctx.source_dtype, ctx.source_device = a.dtype, a._device
        return _copied(a._data, dtype, device)

    @staticmethod
    def backward(ctx, grad):
        return (grad.to(ctx.source_device, ctx.source_dtype),)


def _copied(array, dtype, device):
    array = array if dtype is None else array.astype(dtype.np)
    return array if device is None else backend.to_device(array, device)


def swapaxes(a, axis0, axis1):
    return transpose(a, axis0, axis1)


def movedim(a, source, destination):
    source = list(source) if isinstance(source, (tuple, list)) else [source]
    destination = list(destination) if isinstance(destination, (tuple, list)) else [destination]
    if len(source) != len(destination):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({source} dims)"
                           f" should contain the same number of dims as destination "
                           f"({destination} dims)")
    src = [_wrap_dim(d, a.ndim) for d in source]
    dst = [_wrap_dim(d, a.ndim) for d in destination]
    for name, given, dims in (("source", source, src), ("destination", destination, dst)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({given})")
    if not a.ndim:
        from engine.ops.indexing import AliasBackward0
        return AliasBackward0.apply(a)
    order = [None] * a.ndim
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(d for d in range(a.ndim) if d not in src)
    return permute(a, tuple(d if d is not None else next(rest) for d in order))


def broadcast_to(a, *size):
    return expand(a, *size)


def broadcast_tensors(*tensors):
    tensors = _shape_args(tensors)
    shape = ()
    for x in tensors:
        try:
            shape = np.broadcast_shapes(shape, tuple(x.shape))
        except ValueError:
            raise O.broadcast_error(shape, tuple(x.shape)) from None
    return tuple(x if x.shape == shape else expand(x, shape) for x in tensors)


# ---------------------------------------------------------------- flips, rolls, triangles
class FlipBackward0(Function):
    @staticmethod
    def forward(ctx, a, dims):
        axes = tuple(_wrap_dim(d, a.ndim) for d in dims)
        for d in axes:
            if axes.count(d) > 1:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        ctx.save(dims=dims)
        return np.flip(a._data, axes if a.ndim else ()).copy()

    @staticmethod
    def backward(ctx, grad):
        return (flip(grad, ctx.unpack("dims")),)


def flip(a, dims):
    if isinstance(dims, int):
        raise TypeError("flip(): argument 'dims' (position 2) must be tuple of ints, not int")
    return FlipBackward0.apply(a, dims=tuple(dims))


def flip_method(a, *dims):
    if not dims:
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    return flip(a, _shape_args(dims))


def fliplr(a):
    if a.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(a, (1,))


def flipud(a):
    if a.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(a, (0,))


class RollBackward0(Function):
    @staticmethod
    def forward(ctx, a, shifts, dims):
        ctx.save(dims=dims, shifts=shifts)
        if not dims:
            return np.roll(a._data.reshape(-1), shifts[0]).reshape(a._data.shape)
        return np.roll(a._data, shifts, tuple(_wrap_dim(d, a.ndim) for d in dims))

    @staticmethod
    def backward(ctx, grad):
        shifts, dims = ctx.unpack("shifts", "dims")
        return (roll(grad, tuple(-s for s in shifts), dims),)


def roll(a, shifts, dims=()):
    shifts = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    dims = tuple(dims) if isinstance(dims, (tuple, list)) else (() if dims is None else (dims,))
    if not shifts:
        raise RuntimeError("`shifts` required")
    if len(shifts) != len(dims) and (dims or len(shifts) != 1):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    if dims and not a.ndim:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    return RollBackward0.apply(a, shifts=shifts, dims=dims)


class _Triangle(Function):
    """tril/triu: keeps one triangle of the last two dims; the gradient keeps the same one."""

    name_, keep = None, None

    @classmethod
    def forward(cls, ctx, a, diagonal):
        if a.ndim < 2:
            raise RuntimeError(f"{cls.name_}: input tensor must have at least 2 dimensions")
        ctx.save(diagonal=diagonal)
        return cls.keep(a._data, diagonal)

    @classmethod
    def backward(cls, ctx, grad):
        return (cls.apply(grad, diagonal=ctx.unpack("diagonal")),)


class TrilBackward0(_Triangle):
    name_, keep = "tril", staticmethod(np.tril)


class TriuBackward0(_Triangle):
    name_, keep = "triu", staticmethod(np.triu)


def tril(a, diagonal=0):
    return TrilBackward0.apply(a, diagonal=diagonal)


def triu(a, diagonal=0):
    return TriuBackward0.apply(a, diagonal=diagonal)


moveaxis, swapdims = movedim, swapaxes
