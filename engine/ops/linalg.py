"""Matrix products: mm, mv, dot, bmm, addmm, and ``matmul`` dispatching among them as
PyTorch does (so the graph shows the same nodes)."""
import math

import numpy as np

from engine.autograd.node import Function, as_given
from engine.ops import formula as F
from engine.ops import operands as O
from engine.ops.movement import reshape
from engine.tensor import Tensor, element_strides


def _typename(t):
    return O.dtype_name(t.dtype)


_CPP_NAMES = {"bool": "bool", "float32": "float", "float64": "double", "float16": "c10::Half",
              "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int",
              "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
              "complex64": "c10::complex<float>", "complex128": "c10::complex<double>"}


def _same_dtype(name, a, b):
    if a.dtype is not b.dtype:
        if name == "mm":
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                               f"{_CPP_NAMES[a.dtype.name]} != {_CPP_NAMES[b.dtype.name]}")
        if name == "dot":
            raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                               f"{_typename(a)} and {_typename(b)}")
        if name == "mv":
            raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                               f"{_typename(b)}, {_typename(a)}, and {_typename(b)}")
        raise RuntimeError(f"expected scalar type {_typename(a)} but found {_typename(b)}")
    O.check_same_device(a, b)


class MmBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, b):
        if a.dtype is not b.dtype or a._device is not b._device:
            _same_dtype("mm", a, b)
        sa, sb = a._data.shape, b._data.shape
        if len(sa) != 2 or len(sb) != 2:
            raise RuntimeError(f"{'self' if len(sa) != 2 else 'mat2'} must be a matrix")
        if sa[1] != sb[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa[0]}x"
                               f"{sa[1]} and {sb[0]}x{sb[1]})")
        # as PyTorch: an operand's strides are saved where it takes a gradient, else ()
        ctx.save(self=a if b._requires_grad else None, self_sym_sizes=sa,
                 self_sym_strides=element_strides(a._data) if a._requires_grad else (),
                 mat2=b if a._requires_grad else None, mat2_sym_sizes=sb,
                 mat2_sym_strides=element_strides(b._data) if b._requires_grad else ())
        return F.mm(a._data, b._data)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "mat2")
        return (F.mm(grad, F.t(b)) if b is not None else None,
                F.mm(F.t(a), grad) if a is not None else None)


class MvBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, v):
        if a._data.ndim != 2 or v._data.ndim != 1:
            raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
        _same_dtype("mv", a, v)
        sa, sv = a._data.shape, v._data.shape
        if sa[1] != sv[0]:
            raise RuntimeError(f"size mismatch, got input ({sa[0]}), mat ({sa[0]}x"
                               f"{sa[1]}), vec ({sv[0]})")
        ctx.save(self=a, vec=v)
        return a._data @ v._data

    @staticmethod
    def backward(ctx, grad):
        a, v = ctx.unpack("self", "vec")
        return (F.unsqueeze(grad, 1) * v if ctx.needs_grad(0) else None,
                F.mv(F.t(a), grad) if ctx.needs_grad(1) else None)


def check_same_length(a, b):
    """That two vectors have as many elements, as dot and vdot check it."""
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                           f"[{b.shape[0]}] to have the same number of elements, but got "
                           f"{a.shape[0]} and {b.shape[0]} elements respectively")


class DotBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, b):
        _same_dtype("dot", a, b)
        if a.ndim != 1 or b.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
        check_same_length(a, b)
        ctx.save(self=a, tensor=b)
        return np.dot(a._data, b._data)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "tensor")
        return grad * b, grad * a


class BmmBackward0(Function):
    @staticmethod
    def forward(ctx, a, b):
        for name, x in (("batch1", a), ("batch2", b)):
            if x.ndim != 3:
                raise RuntimeError(f"{name} must be a 3D tensor")
        _same_dtype("bmm", a, b)
        if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
            raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                               f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, "
                               f"{b.shape[1]}].")
        ctx.save(self=a, mat2=b)
        return np.matmul(a._data, b._data)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "mat2")
        return grad.bmm(b.transpose(1, 2)), a.transpose(1, 2).bmm(grad)


class AddmmBackward0(Function):
    """``bias + mat1 @ mat2``: what ``nn.Linear`` records for a 2-D input."""

    array_backward = True

    @staticmethod
    def forward(ctx, bias, mat1, mat2, beta=1, alpha=1):
        s1, s2 = mat1._data.shape, mat2._data.shape
        if s1[1] != s2[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1[0]}x"
                               f"{s1[1]} and {s2[0]}x{s2[1]})")
        _same_dtype("mm", mat1, mat2)
        ctx.save(mat1=mat1 if mat2._requires_grad else None, mat1_sym_sizes=s1,
                 mat1_sym_strides=element_strides(mat1._data) if mat1._requires_grad else (),
                 mat2=mat2 if mat1._requires_grad else None, mat2_sym_sizes=s2,
                 mat2_sym_strides=element_strides(mat2._data) if mat2._requires_grad else (),
                 beta=beta, alpha=alpha)
        out = mat1._data @ mat2._data
        if alpha != 1:
            out = out * alpha
        try:
            return out + (bias._data if beta == 1 else bias._data * beta)
        except ValueError:
            bias.detach().expand(out.shape)  # raises PyTorch's error
            raise

    @staticmethod
    def backward(ctx, grad):
        a, b, beta, alpha = ctx.unpack("mat1", "mat2", "beta", "alpha")
        scaled = grad if alpha == 1 else grad * alpha
        return (grad if beta == 1 else grad * beta,
                F.mm(scaled, F.t(b)) if b is not None else None,
                F.mm(F.t(a), scaled) if a is not None else None)


def mm(a, b):
    return MmBackward0.apply(a, b)


def mv(a, v):
    return MvBackward0.apply(a, v)


def dot(a, b):
    return DotBackward0.apply(a, b)


def bmm(a, b):
    return BmmBackward0.apply(a, b)


def addmm(bias, mat1, mat2, *, beta=1, alpha=1):
    return AddmmBackward0.apply(bias, mat1, mat2, beta=beta, alpha=alpha)


def matmul(a, b):
    if not isinstance(b, Tensor) or not isinstance(a, Tensor):
        raise O.not_a_tensor("matmul", "other", 1, b)
    da, db = a._data.ndim, b._data.ndim
    if da == 2 and db == 2:  # the usual case first
        return MmBackward0.apply(a, b)
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{da}D and {db}D")
    if da == 1 and db == 1:
        return dot(a, b)
    if da == 2 and db == 1:
        return mv(a, b)
    if da == 1 and db == 2:
        from engine.ops.movement import SqueezeBackward4
        return SqueezeBackward4.apply(mm(a.unsqueeze(0), b), dims=as_given((0,), 0))
    if _should_fold(a, b):
        return _folded_matmul(a, b)
    return _batched_matmul(a, b)


def _should_fold(a, b):
    """PyTorch's choice between folding the batch of the operand of 3 or more dims into
    the rows of one mm or mv, and a bmm over the broadcast batch: the graph it records
    depends on it."""
    big, small = (a, b) if a.ndim >= b.ndim else (b, a)
    if big.ndim < 3 or small.ndim > 2:
        return False
    if small._requires_grad:
        return True
    if a.ndim == 2:
        return False
    if big.numel() == 0:
        return True
    shape, strides = big._data.shape, big._data.strides
    if big is b:  # folded as b.mT: its last two dims swap
        shape = shape[:-2] + (shape[-1], shape[-2])
        strides = strides[:-2] + (strides[-1], strides[-2])
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(big.ndim - 2))


def _folded_matmul(a, b):
    from engine.ops.movement import UnsafeViewBackward0, contiguous, transpose
    flipped = b.ndim > a.ndim  # fold b.mT, then transpose the result back
    big = transpose(b, -2, -1) if flipped else a
    small = (a.t() if a.ndim == 2 else a) if flipped else b
    shape = tuple(big.shape[:-1])
    rows = reshape(big, math.prod(shape), big.shape[-1])
    if small.ndim == 1:
        return UnsafeViewBackward0.apply(mv(rows, small), shape=shape)
    out = UnsafeViewBackward0.apply(mm(rows, small), shape=shape + (small.shape[1],))
    return contiguous(transpose(out, -2, -1)) if flipped else out


def _batched_matmul(a, b):
    from engine.ops.movement import UnsafeViewBackward0
    if a.ndim == 3 and b.ndim == 3 and a.shape[0] != b.shape[0]:
        if a.shape[0] == 1 and a._requires_grad:
            return matmul(a.squeeze(0), b)
        if b.shape[0] == 1 and b._requires_grad:
            return matmul(a, b.squeeze(0))
    n, k = (a.shape[-2] if a.ndim > 1 else 1), a.shape[-1]
    m, p = (b.shape[-2], b.shape[-1]) if b.ndim > 1 else (b.shape[0], 1)
    try:
        batch = O.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except RuntimeError:
        raise O.broadcast_error(a.shape[:-2], b.shape[:-2]) from None
    count = math.prod(batch)
    lhs = reshape(a.expand(batch + (n, k)), count, n, k)
    if b.ndim == 1:
        rhs = reshape(b.expand(batch + (m,)), count, m).unsqueeze(2)
    else:
        rhs = reshape(b.expand(batch + (m, p)), count, m, p)
    out = bmm(lhs, rhs)
    shape = batch + ((n,) if a.ndim > 1 else ()) + ((p,) if b.ndim > 1 else ())
    return UnsafeViewBackward0.apply(out.squeeze(-1) if b.ndim == 1 else out, shape=shape)


def outer(a, b):
    return a.reshape(-1, 1) * b
