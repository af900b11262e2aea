"""Products and linear algebra: einsum, tensordot, vdot, inner, kron, cross, dist, cdist, and
``torch.linalg``'s norms, det, slogdet, inv, solve and matrix_power.

einsum, tensordot, inner, kron and matrix_power are composites built on permute, reshape,
mm and bmm, as PyTorch builds them, so the graph shows the same nodes.
"""
import math

import numpy as np

from engine import backend, dtypes
from engine.autograd.node import OUTPUT, Function, OutputGrads
from engine.backend import quiet
from engine.ops import formula as F
from engine.ops import operands as O
from engine.ops import reduce as R
from engine.ops.elementwise import where, zeros_like
from engine.ops.gather import diagonal
from engine.ops.indexing import cat
from engine.ops.linalg import _same_dtype, bmm, check_same_length, dot, matmul, mm
from engine.ops.movement import UnsafeViewBackward0, permute, reshape, tril, triu, unsqueeze, view
from engine.tensor import Tensor, _wrap_dim


# ---------------------------------------------------------------- einsum
def _einsum_labels(term, ndim, index):
    """The labels of one operand's term, its ellipsis spelled as ``("...", k)`` labels
    numbered from the right, so that ellipses of different lengths broadcast."""
    if "." in term.replace("...", "", 1):
        raise RuntimeError(f"einsum(): found '.' for operand {index} " + (
            "for which an ellipsis was already found" if term.count("...") > 1 else
            "that is not part of any ellipsis"))
    head, dots, tail = term.partition("...")
    for c in head + tail:
        if not c.isalpha():
            raise RuntimeError(f"einsum(): invalid subscript given at index "
                               f"{term.index(c)} in the equation string, subscripts must be "
                               "in [a-zA-Z]")
    named = len(head) + len(tail)
    if (dots and named > ndim) or (not dots and named != ndim):
        raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) "
                           + ("is more than the number of dimensions " if dots else
                              "does not match the number of dimensions ")
                           + f"({ndim}) for operand {index}"
                           + ("" if dots else " and no ellipsis was given"))
    ellipsis = [("...", k) for k in range(ndim - named - 1, -1, -1)] if dots else []
    return list(head) + ellipsis + list(tail)


def _label_key(label):
    return (0, -label[1]) if isinstance(label, tuple) else (1, label)


def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    lhs, arrow, rhs = equation.replace(" ", "").partition("->")
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation" if len(operands) > len(terms) else
                           "einsum(): fewer operands were provided than specified in the "
                           "equation")
    labels = [_einsum_labels(term, op.ndim, i) for i, (term, op) in
              enumerate(zip(terms, operands))]
    counts, sizes = {}, {}
    for i, (ls, op) in enumerate(zip(labels, operands)):
        for label, size in zip(ls, op.shape):
            counts[label] = counts.get(label, 0) + 1
            seen = sizes.setdefault(label, size)
            if size != seen and 1 not in (size, seen):
                raise RuntimeError(f"einsum(): subscript {label} has size {size} for operand "
                                   f"{i} which does not broadcast with previously seen size "
                                   f"{seen}")
            if seen == 1:
                sizes[label] = size
    ellipsis = sorted({l for ls in labels for l in ls if isinstance(l, tuple)},
                      key=_label_key)
    if arrow:
        head, dots, tail = rhs.partition("...")
        out = list(head) + (ellipsis if dots else []) + list(tail)
        for c in head + tail:
            if c not in counts:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   "equation for any input operand")
            if (head + tail).count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once "
                                   "in the output")
    else:
        out = ellipsis + sorted(l for l in counts if not isinstance(l, tuple) and
                                counts[l] == 1)
    summed = sorted((l for l in counts if l not in out), key=_label_key)
    order = out + summed
    ops = [_aligned(op, ls, order) for op, ls in zip(operands, labels)]
    n_out = len(out)
    if len(ops) == 1:
        result = ops[0]
        return R.sum(result, tuple(range(n_out, len(order)))) if summed else result
    last = {l: max(i for i, ls in enumerate(labels) if l in ls) for l in order}
    result = ops[0]
    only_first = tuple(d for d in range(n_out, len(order))
                       if last[order[d]] == 0 and result.shape[d] != 1)
    if only_first:
        result = R.sum(result, only_first, keepdim=True)
    for i, other in enumerate(ops[1:], 1):
        sum_dims = []
        for d in range(n_out, len(order)):
            if last[order[d]] != i:
                continue
            big_a, big_b = result.shape[d] != 1, other.shape[d] != 1
            if big_a and big_b:
                sum_dims.append(d)
            elif big_a:
                result = R.sum(result, d, keepdim=True)
            elif big_b:
                other = R.sum(other, d, keepdim=True)
        result = _sumproduct_pair(result, other, sum_dims)
    if summed:
        result = view(result, tuple(result.shape[:n_out]))
    return result


def _aligned(op, labels, order):
    """The operand with its repeated labels' diagonals taken, and its dims in ``order``,
    size 1 where it has no such label."""
    seen = []
    for label in labels:
        if label in seen:
            i, j = seen.index(label), len(seen)
            op = diagonal(op, 0, i, j)
            op = permute(op, _move_last_to(op.ndim, i))
        else:
            seen.append(label)
    for _ in range(len(order) - len(seen)):
        op = unsqueeze(op, op.ndim)
    missing = iter(range(len(seen), len(order)))
    return permute(op, tuple(seen.index(l) if l in seen else next(missing) for l in order))


def _move_last_to(ndim, i):
    dims = list(range(ndim - 1))
    dims.insert(i, ndim - 1)
    return tuple(dims)


def _sumproduct_pair(left, right, sum_dims):
    """The product of two aligned operands summed over ``sum_dims`` (kept as size 1), as one
    bmm over the dims both have, the dims only one has, and the summed ones."""
    if not sum_dims:
        return left * right
    lro, lo, ro = [], [], []
    for d in range(left.ndim):
        if d in sum_dims:
            continue
        big_l, big_r = left.shape[d] != 1, right.shape[d] != 1
        (lro if big_l and big_r else lo if big_l else ro).append(d)
    size = lambda t, dims: math.prod(t.shape[d] for d in dims)
    out_shape = ([left.shape[d] for d in lro + lo] + [1] * len(sum_dims)
                 + [right.shape[d] for d in ro])
    n_lro, n_sum = size(left, lro), size(left, sum_dims)
    a = reshape(permute(left, tuple(lro + lo + sum_dims + ro)), n_lro, size(left, lo), n_sum)
    b = reshape(permute(right, tuple(lro + sum_dims + ro + lo)), n_lro, n_sum, size(right, ro))
    order = lro + lo + sum_dims + ro
    return permute(view(bmm(a, b), out_shape), tuple(order.index(d) for d in range(left.ndim)))


# ---------------------------------------------------------------- products
def tensordot(a, b, dims=2, out=None):
    if isinstance(dims, int) or (isinstance(dims, Tensor) and dims.ndim == 0):
        n = int(dims)
        if n < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={n}")
        if n > a.ndim or n > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={n}")
        dims_a, dims_b = list(range(-n, 0)), list(range(n))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    for da, db in zip(dims_a, dims_b):
        _wrap_dim(da, a.ndim), _wrap_dim(db, b.ndim)
        if a.shape[da] != b.shape[db]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[da]} in dim {da} and second has size "
                               f"{b.shape[db]} in dim {db}")
    dims_a = [_wrap_dim(d, a.ndim) for d in dims_a]
    dims_b = [_wrap_dim(d, b.ndim) for d in dims_b]
    free_a = [d for d in range(a.ndim) if d not in dims_a]
    free_b = [d for d in range(b.ndim) if d not in dims_b]
    k = math.prod(a.shape[d] for d in dims_a)
    shape = [a.shape[d] for d in free_a] + [b.shape[d] for d in free_b]
    pa, pb = permute(a, tuple(free_a + dims_a)), permute(b, tuple(dims_b + free_b))
    if not free_a and not free_b:
        return view(dot(reshape(pa, k), reshape(pb, k)), ())
    m, n = math.prod(a.shape[d] for d in free_a), math.prod(b.shape[d] for d in free_b)
    return view(mm(reshape(pa, m, k), reshape(pb, k, n)), shape)


class VdotBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, b):
        if a.ndim != 1 or b.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
        _same_dtype("dot", a, b)  # vdot's message names dot, as PyTorch's does
        if a.dtype is dtypes.bool:
            raise NotImplementedError("\"dot\" not implemented for 'Bool'")
        check_same_length(a, b)
        ctx.save(self=a, other=b)
        return np.vdot(a._data, b._data)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        return F.conj(grad * F.conj(b)), grad * a


def vdot(a, b):
    return VdotBackward0.apply(a, b)


def inner(a, b):
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but "
                           f"got shapes {list(a.shape)} and {list(b.shape)}")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    return tensordot(a, b, ([-1], [-1]))


def kron(a, b):
    n = max(a.ndim, b.ndim)
    sa, sb = (1,) * (n - a.ndim) + tuple(a.shape), (1,) * (n - b.ndim) + tuple(b.shape)
    wide_a = UnsafeViewBackward0.apply(a, shape=tuple(x for s in sa for x in (s, 1)))
    wide_b = UnsafeViewBackward0.apply(b, shape=tuple(x for s in sb for x in (1, s)))
    return UnsafeViewBackward0.apply(wide_a * wide_b, shape=tuple(x * y for x, y in zip(sa, sb)))


class LinalgCrossBackward0(Function):
    @staticmethod
    def forward(ctx, a, b, dim=-1):
        if a.ndim != b.ndim:
            raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
        d = _wrap_dim(dim, max(a.ndim, 1))
        if a.shape[d] != 3 or b.shape[d] != 3:
            raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. "
                               f"Got {a.shape[d]} and {b.shape[d]}")
        try:
            O.broadcast_shapes(tuple(a.shape), tuple(b.shape))
        except RuntimeError:
            raise O.broadcast_error(tuple(a.shape), tuple(b.shape)) from None
        if a.dtype is not b.dtype:
            raise RuntimeError(f"expected scalar type {O.dtype_name(a.dtype)} but found "
                               f"{O.dtype_name(b.dtype)}")
        x, y = a._data, b._data
        ctx.save(self=a, other=b, dim=dim)
        return np.cross(x, y, axis=d)

    @staticmethod
    def backward(ctx, grad):
        a, b, dim = ctx.unpack("self", "other", "dim")
        return (cross(b, grad, dim=dim) if ctx.needs_grad(0) else None,
                cross(grad, a, dim=dim) if ctx.needs_grad(1) else None)


def linalg_cross(a, b, *, dim=-1):
    return LinalgCrossBackward0.apply(a, b, dim=dim)


def cross(a, b, dim=None):
    if dim is None:
        import warnings
        shape = O.broadcast_shapes(tuple(a.shape), tuple(b.shape))
        dim = next((i for i, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                      "Please either pass the dim explicitly or simply use torch.linalg.cross."
                      "\nThe default value of dim will change to agree with that of "
                      "linalg.cross in a future release.")
    return LinalgCrossBackward0.apply(a, b, dim=dim)


# ---------------------------------------------------------------- norms
def _norm_array(x, ord, axis, keepdim):
    mag = np.abs(x)
    empty = {} if mag.size else {"initial": 0 if ord > 0 else math.inf}
    if ord == math.inf:
        return np.amax(mag, axis=axis, keepdims=keepdim, **empty)
    if ord == -math.inf:
        return np.amin(mag, axis=axis, keepdims=keepdim, **empty)
    if ord == 0:
        return np.sum(mag != 0, axis=axis, keepdims=keepdim).astype(mag.dtype)
    if ord == 1:
        return np.sum(mag, axis=axis, keepdims=keepdim)
    if ord == 2:
        return np.sqrt(np.sum(mag * mag, axis=axis, keepdims=keepdim))
    with quiet():
        return np.sum(mag ** ord, axis=axis, keepdims=keepdim) ** (1 / ord)


def _norm_grad(x, ord, result, grad, dims):
    """The gradient of the p-norms of ``x`` over ``dims``, whose ``result`` and ``grad``
    are broadcast to ``x``'s shape."""
    if ord == 0:
        return x * 0
    if ord == 1:
        return x.sign() * grad
    if ord == 2:
        return x * where(result == 0, 0, grad / result)
    if math.isinf(ord):
        chosen = x.abs() == result
        count = chosen.to(x.dtype).sum(dims, keepdim=True)
        return x.sign() * where(chosen, grad, 0) / count
    scaled = x * x.abs().pow(ord - 2)
    return scaled * where(result == 0, 0, grad / result.pow(ord - 1))


class RenormBackward0(Function):
    """``renorm``: each slice along ``dim`` whose p-norm is above ``maxnorm`` is scaled
    down to it."""

    @staticmethod
    def forward(ctx, a, p, dim, maxnorm):
        ctx.save(self=a, p=p, dim=dim, maxnorm=maxnorm)
        norm = _norm_array(a._data, p, _others(a, dim), True)
        with quiet():
            factor = np.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1)
        return (a._data * factor).astype(a._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, p, dim, maxnorm = ctx.unpack("self", "p", "dim", "maxnorm")
        dims = _others(a, dim)
        wide = dtypes.float64 if a.dtype.itemsize < 8 else a.dtype  # PyTorch's CPU accumulator
        norm = a.to(wide).norm(p, dims, keepdim=True)
        summed = (a * grad).sum(dims, keepdim=True, dtype=wide)
        through_norm = _norm_grad(a, p, norm, summed, dims)
        inverse = (norm + 1e-7).reciprocal()  # in PyTorch's order, so rounding agrees
        factor = inverse * maxnorm
        return (where(norm > maxnorm, factor * grad - (factor * inverse) * through_norm, grad),)


def _others(a, dim):
    """Every dim of ``a`` but ``dim``."""
    return tuple(k for k in range(a.ndim) if k != dim)


def renorm(a, p, dim, maxnorm):
    if a.ndim < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {a.ndim} dimensions")
    if a.dtype.category < 2:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {O.dtype_name(a.dtype)}")
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm:g}")
    return RenormBackward0.apply(a, p=p, dim=_wrap_dim(dim, a.ndim), maxnorm=maxnorm)


class LinalgVectorNormBackward0(Function):
    @staticmethod
    def forward(ctx, a, ord=2, dim=None, keepdim=False, dtype=None):
        if isinstance(ord, str):
            raise TypeError("linalg_vector_norm(): argument 'ord' (position 2) must be Number, "
                            "not str")
        if a.dtype.category < 2:
            raise RuntimeError("linalg.vector_norm: Expected a floating point or complex "
                               f"tensor as input. Got {O.dtype_name(a.dtype)}")
        if dtype is not None and dtype.category < 2:
            raise RuntimeError("linalg.vector_norm: dtype should be floating point or complex, "
                               f"but got {O.dtype_name(dtype)}")
        dims = R._reduced_dims(a, dim)
        if ord < 0 and a.numel() == 0 or (math.isinf(ord) and ord > 0 and not a.numel()
                                            and dim is None):
            raise RuntimeError(f"linalg.vector_norm cannot compute the {ord:g} norm on an "
                               "empty tensor because the operation does not have an identity")
        ctx.save(self=a, ord=ord, dim=None if dim is None else dims, keepdim=keepdim,
                 result=OUTPUT)
        x = a._data if dtype is None else a._data.astype(dtype.np)
        out_dt = np.abs(x.reshape(-1)[:0]).dtype
        return _norm_array(x.astype(np.float64) if out_dt.itemsize < 8 else x, ord,
                           dims if a.ndim else None, keepdim).astype(out_dt)

    @staticmethod
    def backward(ctx, grad):
        a, ord, dim, keepdim, result = ctx.unpack("self", "ord", "dim", "keepdim", "result")
        if ord == 0:
            return (None,)
        dims = tuple(range(a.ndim)) if dim is None else dim
        result = R._expand_back(result, a.shape, dims, keepdim)
        grad = R._expand_back(grad, a.shape, dims, keepdim)
        return (_norm_grad(a, ord, result, grad, dims),)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    if isinstance(dim, int):
        dim = (dim,)
    return LinalgVectorNormBackward0.apply(x, ord=ord, dim=None if dim is None else tuple(dim),
                                           keepdim=keepdim, dtype=dtype)


def tensor_norm(a, p="fro", dim=None, keepdim=False, dtype=None):
    """``torch.norm`` and ``Tensor.norm``: a vector norm over ``dim`` (all elements by
    default), the Frobenius norm being the 2-norm."""
    if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
        return vector_norm(a, 2, dim, keepdim, dtype=dtype)
    if isinstance(p, str):
        return matrix_norm(a, p, tuple(range(a.ndim)) if dim is None else dim, keepdim,
                           dtype=dtype)
    return vector_norm(a, 2 if p is None else p, dim, keepdim, dtype=dtype)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    if ord not in ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    dim = (dim,) if isinstance(dim, int) else dim
    if A.dtype.category < 2:
        raise RuntimeError("linalg.matrix_norm: Expected a floating point or complex tensor as "
                           f"input. Got {O.dtype_name(A.dtype)}")
    if ord in ("nuc", 2, -2) and A._data.dtype.itemsize < 4:
        raise RuntimeError("linalg.matrix_norm: Low precision dtypes not supported. Got "
                           + O.dtype_name(A.dtype))
    if len(dim) != 2:
        raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got "
                           + " ".join(map(str, dim)))
    d0, d1 = (_wrap_dim(d, A.ndim) for d in dim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, "
                           f"{dim[1]})")
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim, dtype=dtype)
    if ord in (1, -1, math.inf, -math.inf):
        along, across = (d0, d1) if abs(ord) == 1 else (d1, d0)
        sums = vector_norm(A, 1, along, keepdim, dtype=dtype)
        if not keepdim and across > along:
            across -= 1
        return (R.amax if ord > 0 else R.amin)(sums, across, keepdim)
    raise NotImplementedError(f"linalg.matrix_norm: ord={ord!r} is not supported")


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    if isinstance(dim, int):
        dim = (dim,)
    if isinstance(ord, str) or (dim is not None and len(dim) == 2) or (
            dim is None and ord is not None and A.ndim == 2):
        if ord is None:
            return vector_norm(A, 2, dim, keepdim, dtype=dtype)
        if dim is None:
            dim = (-2, -1) if A.ndim == 2 else tuple(range(A.ndim))
        return matrix_norm(A, ord, dim, keepdim, dtype=dtype)
    if dim is None and ord is not None and A.ndim != 1:
        raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must "
                           f"be 1D or 2D. Got {A.ndim}D.")
    return vector_norm(A, 2. if ord is None else ord, dim, keepdim, dtype=dtype)


class DistBackward0(Function):
    @staticmethod
    def forward(ctx, a, b, p=2):
        if a.dtype is dtypes.bool and b.dtype is dtypes.bool:
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use the `^` or `logical_xor()` operator instead.")
        if dtypes.bool in (a.dtype, b.dtype):
            raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not "
                               "supported. If you are trying to invert a mask, use the `~` or "
                               "`logical_not()` operator instead.")
        try:
            O.broadcast_shapes(tuple(a.shape), tuple(b.shape))
        except RuntimeError:
            raise O.broadcast_error(tuple(a.shape), tuple(b.shape)) from None
        x, y, _ = O.binary(a, b)
        ctx.save(self=a, other=b, p=p, result=OUTPUT)
        return _norm_array((x - y).astype(np.float64), p, None, False).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, b, p, result = ctx.unpack("self", "other", "p", "result")
        diff = a - b
        g = _norm_grad(diff, p, result.expand(diff.shape), grad.expand(diff.shape),
                       tuple(range(diff.ndim)))
        return g, -g


def dist(a, b, p=2):
    return DistBackward0.apply(a, b, p=p)


class CdistBackward0(Function):
    @staticmethod
    def forward(ctx, x1, x2, p=2.0):
        for name, x in (("X1", x1), ("X2", x2)):
            if x.dtype.category < 2:
                raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                                   f"{O.dtype_name(x.dtype)}")
        if x1.ndim < 2 or x2.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.ndim}D")
        if x1.shape[-1] != x2.shape[-1]:
            raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                               f"{x1.shape[-1]} X2: {x2.shape[-1]}")
        if p < 0:
            raise RuntimeError("cdist only supports non-negative p values")
        try:
            O.broadcast_shapes(tuple(x1.shape[:-2]), tuple(x2.shape[:-2]))
        except RuntimeError:
            raise O.broadcast_error(tuple(x1.shape[:-2]), tuple(x2.shape[:-2])) from None
        ctx.save(x1=x1, x2=x2, p=float(p), result=OUTPUT)
        diff = x1._data[..., :, None, :].astype(np.float64) - x2._data[..., None, :, :]
        return _norm_array(diff, p, -1, False).astype(x1._data.dtype)

    @staticmethod
    def backward(ctx, grad):
        x1, x2, p, result = ctx.unpack("x1", "x2", "p", "result")
        diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
        g = _norm_grad(diff, p, result.unsqueeze(-1).expand(diff.shape),
                       grad.unsqueeze(-1).expand(diff.shape), (-1,))
        return (g.sum(-2) if ctx.needs_grad(0) else None,
                -g.sum(-3) if ctx.needs_grad(1) else None)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    if compute_mode not in ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                            "donot_use_mm_for_euclid_dist"):
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    return CdistBackward0.apply(x1, x2, p=p)


# ---------------------------------------------------------------- det, inv, solve
def _check_square(name, A, low_precision=True, floating=True):
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if floating and A.dtype.category < 2:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {O.dtype_name(A.dtype)}")
    if low_precision and A._data.dtype.itemsize < 4:
        raise RuntimeError(f"{name}: Low precision dtypes not supported. "
                           f"Got {O.dtype_name(A.dtype)}")


def _check_lu(A):
    if A._data.dtype.itemsize < 4 and A.numel():
        raise NotImplementedError(f"\"lu_cpu\" not implemented for '{O.dtype_name(A.dtype)}'")


class _LinAlgError(RuntimeError):
    """PyTorch's ``torch.linalg.LinAlgError``: a matrix the op cannot handle."""


def _solved(fn, a):
    """``fn(a)`` in float64, rounded once (``rounded``), raising numpy's LinAlgError for a
    singular ``a`` on either device: cupy answers one with infinities and nans instead."""
    out = O.rounded(fn, a)
    if backend.module_of(out) is not np and not bool(np.isfinite(out).all()):
        np.linalg.inv(backend.to_host(a))  # raises where ``a`` is singular
    return out


class LinalgDetBackward0(Function):
    @staticmethod
    def forward(ctx, A):
        _check_square("linalg.det", A, low_precision=False)
        _check_lu(A)
        ctx.save(A=A, result=OUTPUT)
        return O.rounded(np.linalg.det, A._data)

    @staticmethod
    def backward(ctx, grad):
        A, result = ctx.unpack("A", "result")
        scale = (grad * result).unsqueeze(-1).unsqueeze(-1)
        return (scale * inv(A).mT,)


def det(A):
    return LinalgDetBackward0.apply(A)


class LinalgSlogdetBackward0(Function):
    @staticmethod
    def forward(ctx, A):
        _check_square("linalg.slogdet", A)
        x = A._data
        sign, logabs = np.linalg.slogdet(x.astype(np.float64) if x.dtype.itemsize < 8 else x)
        sign, logabs = sign.astype(x.dtype), logabs.astype(x.dtype)
        ctx.save(A=A, sign=OUTPUT)
        return sign, logabs

    @staticmethod
    def backward(ctx, grad):
        A = ctx.unpack("A")
        g = OutputGrads.parts_of(grad, 2)[1]
        if g is None:
            return (None,)
        return (g.unsqueeze(-1).unsqueeze(-1) * inv(A).mT,)


for _name in ("slogdet", "linalg_slogdet"):
    R.add_return_type(_name, ("sign", "logabsdet"))


def slogdet(A, name="slogdet"):
    return R.ReturnTypes(name, *LinalgSlogdetBackward0.apply(A))


def logdet(A):
    _check_square("logdet", A)
    sign, logabs = slogdet(A)
    return where(sign == -1, math.nan, logabs)


def _first_zero_pivot(matrix):
    """Where LU factorization with partial pivoting (LAPACK's, which PyTorch reports on)
    first meets a zero pivot, counted from 1; 0 if it meets none."""
    u = np.array(matrix, dtype=np.result_type(matrix.dtype, np.float64))
    for k in range(u.shape[0]):
        pivot = k + int(np.argmax(np.abs(u[k:, k])))
        if u[pivot, k] == 0:
            return k + 1
        u[[k, pivot]] = u[[pivot, k]]
        u[k + 1:] -= np.outer(u[k + 1:, k] / u[k, k], u[k])
    return 0


def _singular(name, A):
    """PyTorch's error for a singular matrix: the first zero on U's diagonal, from 1."""
    for matrix in backend.to_host(A).reshape(-1, *A.shape[-2:]):
        position = _first_zero_pivot(matrix)
        if position:
            batch = "" if A.ndim == 2 else "(Batch element 0): "
            return _LinAlgError(f"{name}: {batch}The diagonal element {position} is zero, "
                                "the inversion could not be completed because the input "
                                "matrix is singular.")
    return _LinAlgError(f"{name}: The input matrix is singular.")


class LinalgInvExBackward0(Function):
    @staticmethod
    def forward(ctx, A):
        _check_square("linalg.inv", A)
        try:
            out = _solved(np.linalg.inv, A._data)
        except np.linalg.LinAlgError:
            raise _singular("linalg.inv", A._data) from None
        ctx.save(inverse=OUTPUT)
        return out

    @staticmethod
    def backward(ctx, grad):
        inverse = ctx.unpack("inverse").mT
        return (-matmul(matmul(inverse, grad), inverse),)


def inv(A):
    return LinalgInvExBackward0.apply(A)


class LinalgSolveExBackward0(Function):
    @staticmethod
    def forward(ctx, A, B, left=True):
        if A.dtype is not B.dtype:
            raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but "
                               f"found A of type {O.dtype_name(A.dtype)} and B of type "
                               f"{O.dtype_name(B.dtype)} instead")
        if A.dtype.category < 2:
            raise RuntimeError("linalg.solve: Expected a floating point or complex tensor as "
                               f"input. Got {O.dtype_name(A.dtype)}")
        _check_square("linalg.solve", A, low_precision=False)
        a, b = A._data, B._data
        vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
        given = b[..., None] if vector else b
        rhs = given
        if not left:
            a, rhs = np.swapaxes(a, -1, -2), np.swapaxes(given, -1, -2)
        if rhs.shape[-2] != a.shape[-1]:
            raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                               f"{'AX = B' if left else 'XA = B'} ({a.shape[-2]}x"
                               f"{a.shape[-1]} and {given.shape[-2]}x{given.shape[-1]})")
        _check_lu(A)
        try:
            out = _solved(lambda m: np.linalg.solve(m, rhs.astype(m.dtype)), a)
        except np.linalg.LinAlgError:
            raise _LinAlgError("torch.linalg.solve: The solver failed because the input "
                               "matrix is singular.") from None
        out = out[..., 0] if vector else out
        ctx.save(A=A, left=left, result=OUTPUT)
        return np.swapaxes(out, -1, -2) if not left else out

    @staticmethod
    def backward(ctx, grad):
        A, left, X = ctx.unpack("A", "left", "result")
        if not left:
            gB = solve(A.mT, grad, left=False)
            return (-matmul(X.mT, gB) if ctx.needs_grad(0) else None, gB)
        gB = solve(A.mT, grad)
        if X.ndim == A.ndim - 1:
            gA = -gB.unsqueeze(-1) * X.unsqueeze(-2)
        else:
            gA = -matmul(gB, X.mT)
        return (gA if ctx.needs_grad(0) else None, gB)


def solve(A, B, *, left=True):
    return LinalgSolveExBackward0.apply(A, B, left=left)


class LinalgSolveTriangularBackward0(Function):
    """``X`` with ``A X = B`` (``left``) or ``X A = B``, for ``A`` upper or lower triangular:
    its other triangle is not read, nor its diagonal where ``unitriangular`` (ones there)."""

    @staticmethod
    def forward(ctx, A, B, upper, left, unitriangular):
        a, b = A._data, B._data.astype(A._data.dtype, copy=False)
        if not left:  # X A = B is Aᵀ Xᵀ = Bᵀ, and Aᵀ has A's other triangle
            a, b = np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)
        x = _substituted(a, b, upper if left else not upper, unitriangular)
        ctx.save(self=A, upper=upper, left=left, unitriangular=unitriangular, result=OUTPUT)
        return x if left else np.swapaxes(x, -1, -2)

    @staticmethod
    def backward(ctx, grad):
        """From ``dX = A⁻¹ (dB - dA X)``: ``g_B`` solves the transposed system, and ``g_A``
        is ``-g_B Xᵀ`` (``-Xᵀ g_B`` on the right) on the triangle ``A`` is read from."""
        A, X, upper, left, unit = ctx.unpack("self", "result", "upper", "left",
                                             "unitriangular")
        g_b = solve_triangular(A.mT, grad, upper=not upper, left=left, unitriangular=unit)
        g_a = -(matmul(g_b, X.mT) if left else matmul(X.mT, g_b))
        return (triu(g_a, int(unit)) if upper else tril(g_a, -int(unit))), g_b


def _substituted(a, b, upper, unit):
    """``x`` with ``a x = b`` for a triangular ``a`` (batches broadcast), by substitution,
    row by row: no pivoting, so a zero on the diagonal gives infinities and nans, as
    LAPACK's triangular solver does."""
    xp = backend.module_of(a)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = xp.broadcast_to(a, batch + a.shape[-2:])
    x = xp.array(xp.broadcast_to(b, batch + b.shape[-2:]))
    n = a.shape[-1]
    with quiet():
        for i in (range(n - 1, -1, -1) if upper else range(n)):
            known = slice(i + 1, n) if upper else slice(0, i)
            x[..., i, :] -= (a[..., i:i + 1, known] @ x[..., known, :])[..., 0, :]
            if not unit:
                x[..., i, :] /= a[..., i, i, None]
    return x


def solve_triangular(A, B, *, upper, left=True, unitriangular=False):
    for name, t in (("A", A), ("B", B)):
        if t.ndim < 2:
            raise RuntimeError(f"linalg.solve_triangular: The input tensor {name} must have at "
                               "least 2 dimensions.")
    _check_square("linalg.solve_triangular", A, low_precision=False, floating=False)
    if (A.shape[-1] != B.shape[-2]) if left else (A.shape[-2] != B.shape[-1]):
        raise RuntimeError(
            "linalg.solve_triangular: Incompatible shapes of A and B for the equation "
            f"{'AX = B' if left else 'XA = B'} ({A.shape[-2]}x{A.shape[-1]} and "
            f"{B.shape[-2]}x{B.shape[-1]})")
    if A.dtype.category != 2 or A._data.dtype.itemsize < 4:
        raise NotImplementedError(f"\"triangular_solve_cpu\" not implemented for "
                                  f"'{O.dtype_name(A.dtype)}'")
    return LinalgSolveTriangularBackward0.apply(A, B, upper=upper, left=left,
                                                unitriangular=unitriangular)


class LinalgMatrixExpBackward0(Function):
    """``exp(A) = I + A + A² / 2! + ...`` of each square matrix."""

    @staticmethod
    def forward(ctx, A):
        ctx.save(self=A)
        return O.rounded(_exponential, A._data)

    @staticmethod
    def backward(ctx, grad):
        """The gradient is the derivative of exp at ``Aᵀ`` in the direction ``grad``, which
        is the upper-right block of ``exp([[Aᵀ, grad], [0, Aᵀ]])``."""
        A = ctx.unpack("self")
        n = A.shape[-1]
        blocks = cat([cat([A.mT, grad], -1), cat([zeros_like(A), A.mT], -1)], -2)
        return (matrix_exp(blocks)[..., :n, n:],)


# the [6/6] Padé approximant of exp: (12 - k)! 6! / (12! k! (6 - k)!) for the power k
_PADE = [math.factorial(12 - k) * math.factorial(6) /
         (math.factorial(12) * math.factorial(k) * math.factorial(6 - k)) for k in range(7)]


def _exponential(a):
    """exp of each square matrix of ``a`` (float64): the Padé approximant of ``a / 2**s``,
    with ``s`` bringing the largest 1-norm to at most 1/2 (an error far below float64's),
    squared ``s`` times."""
    xp = backend.module_of(a)
    if not a.size:
        return a.copy()
    norm = float(xp.abs(a).sum(-2).max())
    if not math.isfinite(norm):
        return xp.full_like(a, math.nan)
    s = max(0, math.ceil(math.log2(norm / 0.5))) if norm else 0
    x = a / 2.0 ** s
    power = xp.broadcast_to(xp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    numerator, denominator = _PADE[0] * power, _PADE[0] * power
    for k in range(1, 7):
        power = power @ x
        numerator = numerator + _PADE[k] * power
        denominator = denominator + (-1) ** k * _PADE[k] * power
    result = xp.linalg.solve(denominator, numerator)
    for _ in range(s):
        result = result @ result
    return result


def matrix_exp(A):
    _check_square("linalg.matrix_exp", A, low_precision=False)
    return LinalgMatrixExpBackward0.apply(A)


def matrix_power(A, n):
    if not isinstance(n, int):
        raise TypeError(f"matrix_power(): argument 'n' (position 2) must be int, not "
                        f"{type(n).__name__}")
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError("linalg.matrix_power: A must be batches of square matrices, but "
                           f"they are {A.shape[-2] if A.ndim > 1 else A.shape[-1]} by "
                           f"{A.shape[-1] if A.ndim else 1} matrices")
    if n == 0:
        from engine.ops.creation import eye
        out = A.clone()
        return out.copy_(eye(A.shape[-1], dtype=A.dtype).expand(A.shape))
    if n == -1:
        return inv(A)
    if n < 0:
        A, n = inv(A), -n
    if n == 1:
        return A.clone()
    if n == 2:
        return matmul(A, A)
    if n == 3:
        return matmul(matmul(A, A), A)
    result = z = None
    while n:
        z = A if z is None else matmul(z, z)
        if n & 1:
            result = z if result is None else matmul(result, z)
        n >>= 1
    return result
