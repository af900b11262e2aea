"""Ops with several outputs, each a view of the input: ``split``, ``chunk``, ``unbind``.

One node serves all the outputs; each output knows its number (``output_nr``), and the
node's backward gets the gradients of all of them (``OutputGrads``), zeros where an output
took none. As in PyTorch, the outputs may not be changed in place while in a graph.
"""
import numpy as np

from engine.autograd.node import Function, OutputGrads
from engine.ops import formula as F
from engine.ops.movement import note_no_grad_view
from engine.tensor import Tensor, _wrap_dim

MULTI_VIEW_ERROR = (
    "Output {nr} of {op} is a view and is being modified inplace. This view is the output of "
    "a function that returns multiple views. Such functions do not allow the output views to "
    "be modified inplace. You should replace the inplace operation by an out-of-place one.")


class _MultiView(Function):
    """An op whose outputs are views of its input, with one node for all of them."""

    array_backward = True

    @classmethod
    def apply(cls, a, **params):
        pieces = super().apply(a, **params)
        base = a._base if a._base is not None else a
        for piece in pieces:
            piece._version_counter, piece._base = a._version_counter, base
            piece.__dict__["_multi_view_of"] = cls.op_name
            note_no_grad_view(a, piece)
        return pieces

    @staticmethod
    def filled(ctx, grad):
        """The gradient of each output, zeros for those that took none."""
        parts = OutputGrads.parts_of(grad, len(ctx._result))
        known = next(g for g in parts if g is not None)
        return [g if g is not None else F.zeros_shaped(known, piece.shape)
                for g, piece in zip(parts, ctx._result)]


class _Split(_MultiView):
    """Splits its input along ``dim`` into pieces of the given ``sizes``."""

    @staticmethod
    def forward(ctx, a, dim, sizes, **saved):
        ctx.save(dim=dim, self_sym_sizes=a._data.shape, **saved)
        return tuple(np.split(a._data, np.cumsum(sizes)[:-1].tolist(), axis=dim))

    @staticmethod
    def backward(ctx, grad):
        return (F.cat(_MultiView.filled(ctx, grad), ctx.unpack("dim")),)


class SplitBackward0(_Split):
    op_name = "Split"


class SplitWithSizesBackward0(_Split):
    op_name = "SplitWithSizes"


class UnbindBackward0(_MultiView):
    op_name = "Unbind"

    @staticmethod
    def forward(ctx, a, dim):
        ctx.save(dim=dim)
        x = np.moveaxis(a._data, dim, 0)
        return tuple(x[i] for i in range(x.shape[0]))

    @staticmethod
    def backward(ctx, grad):
        return (F.stack(_MultiView.filled(ctx, grad), ctx.unpack("dim")),)


def split(a, split_size_or_sections, dim=0):
    if not a.ndim:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    given, dim = dim, _wrap_dim(dim, a.ndim)
    n = a.shape[dim]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = list(split_size_or_sections)
        wrong = [s for s in sizes if not isinstance(s, int)]
        if wrong:
            raise TypeError("split_with_sizes(): argument 'split_sizes' failed to unpack the "
                            "object at pos 2 with error \"type must be tuple of ints,but got "
                            f"{type(wrong[0]).__name__}\"")
        if any(s < 0 for s in sizes):
            raise RuntimeError("split_with_sizes expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={sizes}")
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {given}), but got "
                               f"split_sizes={sizes}")
        return SplitWithSizesBackward0.apply(a, dim=dim, sizes=sizes,
                                             split_sizes=tuple(sizes))
    size = split_size_or_sections
    if isinstance(size, Tensor):
        size = int(size)
    if not isinstance(size, int):
        raise TypeError("split_with_sizes(): argument 'split_sizes' (position 2) must be "
                        f"tuple of ints, not {type(size).__name__}")
    if size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
    if size == 0 and n:
        raise RuntimeError("split_size can only be 0 if dimension size is 0, but got "
                           f"dimension size of {n}")
    sizes = [size] * (n // size) + ([n % size] if n % size else []) if size else [0]
    return SplitBackward0.apply(a, dim=dim, sizes=sizes, split_size=size)


def chunk(a, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if not a.ndim:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    n = a.shape[_wrap_dim(dim, a.ndim)]
    return split(a, -(-n // chunks) if n else [0] * chunks, dim)


def split_with_sizes(a, split_sizes, dim=0):
    return split(a, list(split_sizes), dim)


def unbind(a, dim=0):
    if not a.ndim:
        raise IndexError(f"Dimension specified as {_wrap_dim(dim, 0)} but tensor has no "
                         "dimensions")
    return UnbindBackward0.apply(a, dim=_wrap_dim(dim, a.ndim))
