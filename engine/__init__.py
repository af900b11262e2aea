"""tapescope's engine: PyTorch's tensor and autograd API on numpy (cupy on a GPU).

``import engine as torch`` runs PyTorch code and prints what PyTorch prints.
"""
import functools

from engine.tensor import Size, Tensor  # first: every ops module builds on it
from engine import autograd, backend, dtypes
from engine.autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled,
                                       is_inference_mode_enabled, no_grad, set_grad_enabled)
from engine.backend import device, get_default_device, set_default_device
from engine.dtypes import (bfloat16, bool, can_cast, cdouble, cfloat, complex64, complex128,
                           double, dtype, finfo, float, float16, float32, float64,
                           get_default_dtype, half, iinfo, int, int8, int16, int32, int64, long,
                           set_default_dtype, short, uint8)
from engine.dtypes import checked_promote_types as promote_types
from engine.ops.compare import (allclose, bitwise_and, bitwise_not, bitwise_or, bitwise_xor,
                                eq, equal, ge, gt, isclose, isfinite, isinf, isnan, le,
                                logical_and, logical_not, logical_or, logical_xor, lt, ne)
from engine.ops import operands as _operands
from engine.ops.creation import (Generator, arange, as_tensor, empty, empty_like, eye,
                                 from_numpy, full, full_like, linspace, manual_seed, ones,
                                 ones_like, rand, rand_like, randint, randn, randn_like,
                                 randperm, seed, tensor, zeros, zeros_like)
from engine.ops.elementwise import (add, div, floor_divide, masked_fill, maximum, minimum, mul,
                                    nonzero, pow, reciprocal, remainder, rsub, square, sub,
                                    where)
from engine.ops.pairwise import (addcdiv, addcmul, atan2, fmod, hypot, lerp, logaddexp,
                                 xlogy)
from engine.ops.unary import (abs, acos, acosh, arccos, arccosh, arcsin, arcsinh, arctan, arctanh,
                              asin, asinh, atan, atanh, ceil, clamp, cos, cosh, erf, exp, exp2,
                              expm1, fix, floor, frac, log, log10, log1p, log2, nan_to_num, neg,
                              relu, round, rsqrt, sigmoid, sign, sin, sinc, sinh, sqrt, tan, tanh,
                              trunc)
from engine.ops.gather import (diag, diag_embed, diagonal, gather, index_add, index_fill,
                               masked_select, scatter, scatter_add, scatter_reduce, take,
                               take_along_dim, trace)
from engine.ops.indexing import (cat, hstack, index_put, index_select, narrow, repeat_interleave,
                                 select, stack, tensor_split, tile, vstack)
from engine.ops.linalg import addmm, bmm, dot, matmul, mm, mv, outer
from engine.ops.movement import (broadcast_tensors, broadcast_to, clone, flatten, flip,
                                 fliplr, flipud, moveaxis, movedim, permute, reshape, roll,
                                 squeeze, swapaxes, swapdims, t, transpose, tril, triu,
                                 unsqueeze)
from engine.ops.split import chunk, split, split_with_sizes, unbind
from engine.ops.reduce import (all, amax, amin, aminmax, any, argmax, argmin, count_nonzero,
                               cumprod, cumsum, cumulative_trapezoid, log_softmax, logcumsumexp,
                               logsumexp, max, mean, min, nanmean, nansum, prod, return_types,
                               softmax, std, std_mean, sum, trapezoid, var, var_mean)
from engine.ops.reduce import trapezoid as trapz
from engine.ops.sorting import argsort, cummax, cummin, kthvalue, median, mode, sort, topk
from engine.ops.algebra import (cdist, cross, det, dist, einsum, inner, kron, logdet,
                                matrix_exp, matrix_power, renorm, slogdet, tensordot, vdot)
from engine.ops.algebra import inv as inverse
from engine.ops.algebra import tensor_norm as norm
from engine.ops.counting import (atleast_1d, atleast_2d, atleast_3d, bincount, block_diag,
                                 bucketize, cartesian_prod, clamp_max, clamp_max_, clamp_min,
                                 clamp_min_, column_stack, corrcoef, cov, diff, dstack,
                                 float_power, heaviside, histc, logspace, meshgrid, nanquantile,
                                 quantile, rot90, searchsorted, signbit, unique)
from engine import linalg
from engine.printing import get_printoptions, set_printoptions
from engine.tensor_methods import UNARY_FLOAT

divide, multiply, subtract, negative, clip, concat, concatenate, arctan2, true_divide = (
    div, mul, sub, neg, clamp, cat, cat, atan2, div)
row_stack = vstack


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
for _name in (*UNARY_FLOAT, "xlogy"):  # tan_, asin_...: the float functions' in-place forms
    globals()[_name + "_"] = _functional_inplace(_name)


def result_type(tensor, other):
    return dtypes.result_type(tensor, other)


def numel(a):
    return a.numel()


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_floating_point(a):
    return a.is_floating_point()


def is_inference(a):
    return a.is_inference()


def _tensor_first(fn, name):
    """``torch.NAME`` refusing anything but a tensor as its input, in PyTorch's words."""
    @functools.wraps(fn)
    def checked(input, *args, **kwargs):  # noqa: A002 - PyTorch's argument name
        if not isinstance(input, Tensor):
            raise _operands.not_a_tensor(name, "input", 1, input)
        return fn(input, *args, **kwargs)
    return checked


# the functions whose input PyTorch requires to be a tensor (a list, a number, None... is
# refused with one message)
for _name in (
    "abs", "abs_", "acos", "acos_", "acosh", "acosh_", "allclose", "amax", "amin", "aminmax",
    "arccos", "arccos_", "arccosh", "arccosh_", "arcsin", "arcsin_", "arcsinh", "arcsinh_",
    "arctan", "arctan2", "arctan_", "arctanh", "arctanh_", "argmax", "argmin", "argsort",
    "asin", "asin_", "asinh", "asinh_", "atan", "atan2", "atan_", "atanh", "atanh_", "bincount",
    "bitwise_not", "broadcast_to", "ceil", "chunk", "clone", "corrcoef", "cos", "cosh", "cosh_",
    "count_nonzero", "cov", "cross", "cummax", "cummin", "cumprod", "cumsum", "det", "diag",
    "diag_embed", "diagonal", "diff", "dist", "dot", "empty_like", "equal", "erf", "erf_",
    "exp", "exp2", "exp2_", "exp_", "expm1", "expm1_", "fix", "fix_", "flatten", "flip",
    "fliplr", "flipud", "floor", "frac", "frac_", "full_like", "gather", "heaviside", "histc",
    "hypot", "index_add", "index_fill", "index_put", "index_select", "inner", "inverse",
    "is_floating_point", "is_inference", "isclose", "isfinite", "isinf", "isnan", "kron",
    "kthvalue", "log", "log10", "log10_", "log1p", "log1p_", "log2", "log2_", "log_",
    "log_softmax", "logaddexp", "logcumsumexp", "logdet", "logical_and", "logical_not",
    "logical_or", "logical_xor", "logsumexp", "masked_select", "matmul", "matrix_exp", "matrix_power", "max",
    "maximum", "mean", "median", "min", "minimum", "mode", "mv", "nan_to_num", "nan_to_num_",
    "nanmean", "nansum", "neg", "neg_", "negative", "nonzero", "numel", "ones_like", "outer",
    "permute", "prod", "rand_like", "randn_like", "reciprocal", "relu", "relu_", "reshape",
    "roll", "rot90", "round", "rsqrt", "rsqrt_", "scatter_add", "scatter_reduce", "select",
    "sigmoid", "sigmoid_", "sign", "signbit", "sin", "sinc", "sinc_", "sinh", "sinh_",
    "slogdet", "softmax", "sort", "split_with_sizes", "sqrt", "sqrt_", "square", "squeeze",
    "sum", "swapaxes", "swapdims", "t", "take", "take_along_dim", "tan", "tan_", "tanh",
    "tanh_", "tensor_split", "tile", "topk", "trace", "transpose", "tril", "triu", "trunc",
    "unbind", "unsqueeze", "vdot", "zeros_like"):
    globals()[_name] = _tensor_first(globals()[_name], _name)

from engine import cuda, nn, optim  # noqa: E402 - they build on everything above
