"""tapescope's engine: PyTorch's tensor and autograd API on numpy (cupy on a GPU).

``import engine as torch`` runs PyTorch code and prints what PyTorch prints.
"""
from engine.tensor import Size, Tensor  # first: every ops module builds on it
from engine import autograd, backend, dtypes
from engine.autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                                       set_grad_enabled)
from engine.backend import device
from engine.dtypes import (bfloat16, bool, cdouble, cfloat, complex64, complex128, double,
                           dtype, float, float16, float32, float64, get_default_dtype, half,
                           int, int8, int16, int32, int64, long, set_default_dtype, short,
                           uint8)
from engine.ops.compare import (bitwise_and, bitwise_not, bitwise_or, bitwise_xor, eq, ge, gt,
                                isfinite, isinf, isnan, le, logical_and, logical_not,
                                logical_or, logical_xor, lt, ne)
from engine.ops.creation import (Generator, arange, as_tensor, empty, empty_like, eye,
                                 from_numpy, full, full_like, linspace, manual_seed, ones,
                                 ones_like, rand, rand_like, randint, randn, randn_like,
                                 randperm, seed, tensor, zeros, zeros_like)
from engine.ops.elementwise import (add, div, floor_divide, masked_fill, maximum, minimum, mul,
                                    nonzero, pow, reciprocal, remainder, rsub, square, sub,
                                    where)
from engine.ops.unary import (abs, ceil, clamp, cos, exp, floor, log, neg, relu, round, sigmoid,
                              sign, sin, sqrt, tanh, trunc)
from engine.ops.indexing import cat, hstack, index_select, narrow, select, stack, vstack
from engine.ops.linalg import addmm, bmm, dot, matmul, mm, mv, outer
from engine.ops.movement import (clone, flatten, permute, reshape, squeeze, t, transpose,
                                 unsqueeze)
from engine.ops.reduce import (argmax, argmin, log_softmax, max, mean, min, norm, prod,
                               softmax, std, sum, var)
from engine.printing import get_printoptions, set_printoptions

divide, multiply, subtract, negative, clip, concat, concatenate = (
    div, mul, sub, neg, clamp, cat, cat)


class _TensorType(type):
    """The legacy ``torch.FloatTensor``...: builds tensors of one dtype, and names that
    dtype for ``isinstance`` and ``Tensor.type``."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype

    def __call__(cls, *args):
        from engine.ops.creation import legacy_new
        return legacy_new(Tensor, *args).to(cls.dtype)

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


(FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, ByteTensor, CharTensor, ShortTensor,
 IntTensor, LongTensor, BoolTensor) = (
    _TensorType(d.tensor_type, (), {"dtype": d}) for d in (
        float32, float64, float16, bfloat16, uint8, int8, int16, int32, int64, bool))
__version__ = "2.13.0"


def _functional_inplace(name):
    def op(a, *args, **kwargs):
        return getattr(a, name + "_")(*args, **kwargs)
    op.__name__ = name + "_"
    return op


exp_, sqrt_, log_, abs_, neg_, clamp_, relu_, sigmoid_, tanh_ = (
    _functional_inplace(n) for n in ("exp", "sqrt", "log", "abs", "neg", "clamp", "relu",
                                     "sigmoid", "tanh"))


def numel(a):
    return a.numel()


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_floating_point(a):
    return a.is_floating_point()


from engine import cuda, nn, optim  # noqa: E402 - they build on everything above
