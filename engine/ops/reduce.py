"""Reductions: sum, mean, prod, max/min, amax/amin, var/std, softmax, logsumexp,
argmax/argmin, nansum/nanmean, any/all, count_nonzero; and the scans cumsum/cumprod."""
import math
import operator
import warnings

import numpy as np
from numpy import empty, ndarray  # np.<name> is a slower lookup: numpy's module has __getattr__

from engine import backend, dtypes
from engine.autograd.node import OUTPUT, Function, Output, OutputGrads, as_given
from engine.ops import formula as F
from engine.ops import operands as O
from engine.ops.elementwise import ones_like, where
from engine.tensor import Tensor, _wrap_dim, record_enabled


def _axes(a, dim):
    """``(dims, axis)``: the dims reduced, and numpy's axis for them (None: all). A 0-d
    tensor takes dim 0 or -1, as PyTorch's do, and has no axis to reduce. An empty list
    of dims reduces them all, as in PyTorch."""
    if isinstance(dim, (tuple, list)) and not dim:
        return _reduced_dims(a, dim), None
    dims = O.normalize_dims(dim, a.ndim)
    if not a.ndim:
        dims = ()
    return dims, (dims if dim is not None else None)


def _reduced_count(shape, dims):
    """How many elements of a tensor of ``shape`` each result of a reduction over ``dims``
    takes."""
    return math.prod(shape[d] for d in dims)


def _expand_back(grad, shape, dims, keepdim):
    """Broadcast a reduced gradient back over the reduced ``dims`` of ``shape``."""
    if not keepdim:
        kept = [1 if i in dims else s for i, s in enumerate(shape)]
        grad = grad.reshape(kept)
    return F.expand(grad, shape)


class SumBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, dtype=None):
        ctx.save(self_sym_sizes=a._data.shape)
        return _sum_array(a, None, False, dtype)

    @staticmethod
    def backward(ctx, grad):
        return (F.expand(grad, ctx.unpack("self_sym_sizes")),)


class SumBackward1(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, dim, keepdim=False, dtype=None):
        dims, _ = _axes(a, dim)
        ctx.save(dim=dims, keepdim=keepdim, self_sym_sizes=a._data.shape)
        return _sum_array(a, dims, keepdim, dtype)

    @staticmethod
    def backward(ctx, grad):
        dims, keepdim, shape = ctx.unpack("dim", "keepdim", "self_sym_sizes")
        return (_expand_back(grad, shape, dims, keepdim),)


def _sum_array(a, axis, keepdim, dtype):
    dt = dtype or (dtypes.int64 if a.dtype.category < 2 else a.dtype)
    return _add_reduce(a._data, axis, keepdim, dt.np)


def _add_reduce(x, axis, keepdim, np_dtype):
    """``x.sum(...)``; numpy's own ufunc reduce directly, skipping ``sum``'s Python layer."""
    if type(x) is ndarray:
        # a full reduction into a 0-dim array given as ``out``: numpy would return a scalar,
        # which costs more to turn into an array afterwards
        out = empty((), np_dtype) if axis is None and not keepdim else None
        return np.add.reduce(x, axis, np_dtype, out, keepdim)
    return x.sum(axis=axis, keepdims=keepdim, dtype=np_dtype)


def _check_mean_dtype(a, dtype):
    dt = dtype or a.dtype
    if dt.category < 2:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {O.dtype_name(dt)}")
    return dt


def _mean_array(x, axis, keepdim, np_dtype):
    if np_dtype.itemsize == 2 and np_dtype.kind == "f":  # half floats: in float32, as PyTorch
        return _mean_array(x.astype(np.float32), axis, keepdim, np.dtype(np.float32)
                           ).astype(np_dtype)
    if x.size == 0:  # NaN, without numpy's "Mean of empty slice" warning
        return np.sum(x, axis=axis, keepdims=keepdim, dtype=np_dtype) / np_dtype.type(0)
    if axis is None and not keepdim and type(x) is ndarray:
        # np.mean's own arithmetic for a full reduction, without its Python layers
        return np_dtype.type(np.add.reduce(x, None, np_dtype) / np.intp(x.size))
    return np.mean(x, axis=axis, keepdims=keepdim, dtype=np_dtype)


class MeanBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, dtype=None):
        dt = _check_mean_dtype(a, dtype)
        ctx.save(self_sym_sizes=a._data.shape, self_sym_numel=a.numel())
        return _mean_array(a._data, None, False, dt.np)

    @staticmethod
    def backward(ctx, grad):
        shape, n = ctx.unpack("self_sym_sizes", "self_sym_numel")
        return (F.expand(grad, shape) / n,)


class MeanBackward1(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, dim, keepdim=False, dtype=None):
        dt = _check_mean_dtype(a, dtype)
        dims, axis = _axes(a, dim)
        ctx.save(dim=dims, keepdim=keepdim, self_sym_sizes=a._data.shape,
                 self_sym_numel=a.numel())
        return _mean_array(a._data, axis, keepdim, dt.np)

    @staticmethod
    def backward(ctx, grad):
        dims, keepdim, shape = ctx.unpack("dim", "keepdim", "self_sym_sizes")
        return (_expand_back(grad, shape, dims, keepdim) / _reduced_count(shape, dims),)


class ProdBackward0(Function):
    @staticmethod
    def forward(ctx, a, dtype=None):
        ctx.save(self=a, result=OUTPUT)
        return np.prod(a._data, dtype=_product_dtype(a, dtype).np)

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.unpack("self", "result")
        return (grad * _product_of_others(a, result),)


class ProdBackward1(Function):
    @staticmethod
    def forward(ctx, a, dim, keepdim=False, dtype=None):
        d = O.normalize_dims(dim, a.ndim)[0]
        ctx.save(self=a, dim=d, keepdim=keepdim, result=OUTPUT)
        return np.prod(a._data, axis=d if a.ndim else None, keepdims=keepdim,
                       dtype=_product_dtype(a, dtype).np)

    @staticmethod
    def backward(ctx, grad):
        a, dim, keepdim, result = ctx.unpack("self", "dim", "keepdim", "result")
        result = _expand_back(result, a.shape, (dim,), keepdim)
        grad = _expand_back(grad, a.shape, (dim,), keepdim)
        return (grad * _product_of_others(a, result, dim),)


def _product_dtype(a, dtype):
    """prod's result dtype: the one asked for, else int64 for integers and bool."""
    return dtype or (dtypes.int64 if a.dtype.category < 2 else a.dtype)


def _product_of_others(a, result, dim=None):
    """d prod / d a_i, the product of the elements other than a_i (along ``dim``): result / a_i,
    except where a_i is 0, where that would be nan; there it is the product of the others
    if a_i is the only zero, else 0."""
    zero = a == 0
    safe = where(zero, ones_like(a), a)
    others = result / safe
    if not zero.any().item():
        return others
    keep = {} if dim is None else {"dim": dim, "keepdim": True}
    single_zero = zero.sum(**keep) == 1
    return where(zero, safe.prod(**keep) * single_zero, others)


class _Extremum(Function):
    """max()/min() over all elements: the gradient is shared evenly among ties."""

    reduce = None

    @classmethod
    def forward(cls, ctx, a):
        if a.numel() == 0:
            raise RuntimeError(f"{cls.reduce.__name__[1:]}(): Expected reduction dim to be "
                               "specified for input.numel() == 0. Specify the reduction dim "
                               "with the 'dim' argument.")
        ctx.save(self=a, result=OUTPUT)
        return cls.reduce(a._data)

    @staticmethod
    def backward(ctx, grad):
        a, result = ctx.unpack("self", "result")
        chosen = a == result
        return (where(chosen, grad / chosen.sum(), 0),)


class MaxBackward1(_Extremum):
    reduce = staticmethod(np.amax)


class MinBackward1(_Extremum):
    reduce = staticmethod(np.amin)


class ReturnTypes(tuple):
    """PyTorch's ``torch.return_types.max(values=..., indices=...)``: a tuple, of a class
    named after the op, with named fields (``aminmax``'s are min and max)."""

    _fields = ()

    def __new__(cls, name, *values):
        return super().__new__(return_types.__dict__[name], values)

    def __repr__(self):
        fields = ",\n".join(f"{field}={value!r}" for field, value in zip(self._fields, self))
        return f"torch.return_types.{type(self).__name__}(\n{fields})"


class return_types:  # noqa: N801 - PyTorch's namespace of them
    pass


def add_return_type(name, fields):
    """``torch.return_types.<name>``, with a property for each of ``fields``."""
    setattr(return_types, name, type(name, (ReturnTypes,), {
        "__module__": "torch.return_types", "__qualname__": name, "_fields": fields,
        **{field: property(operator.itemgetter(i)) for i, field in enumerate(fields)}}))


for _name in ("max", "min", "median", "mode", "sort", "topk", "kthvalue", "cummax", "cummin"):
    add_return_type(_name, ("values", "indices"))
add_return_type("aminmax", ("min", "max"))


def max(a, dim=None, keepdim=False):  # noqa: A001
    if isinstance(dim, Tensor):
        from engine.ops.elementwise import maximum
        return maximum(a, dim)
    if dim is None:
        return MaxBackward1.apply(a)
    from engine.ops.sorting import MaxBackward0, extremum_along
    return extremum_along("max", MaxBackward0, np.argmax, a, dim, keepdim)


def min(a, dim=None, keepdim=False):  # noqa: A001
    if isinstance(dim, Tensor):
        from engine.ops.elementwise import minimum
        return minimum(a, dim)
    if dim is None:
        return MinBackward1.apply(a)
    from engine.ops.sorting import MinBackward0, extremum_along
    return extremum_along("min", MinBackward0, np.argmin, a, dim, keepdim)


def _arg(fn, a, dim, keepdim):
    if dim is None:
        out = fn(a._data.reshape(-1))
        return Tensor._make(out.astype(np.int64, copy=False).reshape((1,) * a.ndim
                                                                     if keepdim else ()))
    d = O.normalize_dims(dim, a.ndim)[0]
    out = fn(a._data, axis=d)
    out = np.expand_dims(out, d) if keepdim else out
    return Tensor._make(out.astype(np.int64, copy=False))


def argmax(a, dim=None, keepdim=False):
    return _arg(np.argmax, a, dim, keepdim)


def argmin(a, dim=None, keepdim=False):
    return _arg(np.argmin, a, dim, keepdim)


def _variance(x, axis=None, ddof=0, keepdims=False):
    """``np.var`` on either device: where ``ddof`` leaves no degrees of freedom, cupy's gives
    nan, numpy's (and PyTorch's) the sum of squares over 0."""
    if backend.module_of(x) is np:
        return np.var(x, axis=axis, ddof=ddof, keepdims=keepdims)
    axes = range(x.ndim) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    n = math.prod(x.shape[d] for d in axes)
    dev = x - x.mean(axis=axis, keepdims=True)
    squares = (dev * dev.conj()).real if x.dtype.kind == "c" else dev * dev
    return squares.sum(axis=axis, keepdims=keepdims) / (n - ddof if n > ddof else 0)


def _deviation(x, axis=None, ddof=0, keepdims=False):
    return np.sqrt(_variance(x, axis, ddof, keepdims))


class VarBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim=None, correction=1, keepdim=False):
        dims, axis = _axes(a, dim)
        ctx.save(self=a, dim=_spread_dims(dims, dim), correction=correction, keepdim=keepdim)
        with warnings.catch_warnings():  # PyTorch's own warning was given by var()
            warnings.simplefilter("ignore", RuntimeWarning)
            return _variance(a._data, axis=axis, ddof=correction, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        return (_var_grad(ctx, grad),)


def _var_grad(ctx, grad):
    a, dims, correction, keepdim = ctx.unpack("self", "dim", "correction", "keepdim")
    n = _reduced_count(a.shape, dims)
    scale = 2 / (n - correction) if n != correction else math.inf
    return scale * _expand_back(grad, a.shape, dims, keepdim) * (a - a.mean(dims, keepdim=True))


class StdBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim=None, correction=1, keepdim=False):
        dims, axis = _axes(a, dim)
        ctx.save(self=a, dim=_spread_dims(dims, dim), correction=correction, keepdim=keepdim,
                 result=OUTPUT)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return _deviation(a._data, axis=axis, ddof=correction, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        return (_std_grad(ctx, grad, ctx.unpack("result")),)


def _std_grad(ctx, grad, result):
    a, dims, correction, keepdim = ctx.unpack("self", "dim", "correction", "keepdim")
    n = _reduced_count(a.shape, dims)
    centered = a - a.mean(dims, keepdim=True)
    scale = _expand_back(where(result == 0, 0, grad / result), a.shape, dims, keepdim)
    return scale * centered / (n - correction)


class VarMeanBackward0(Function):
    """``var_mean``: one node for the variance and the mean (outputs 0 and 1)."""

    @staticmethod
    def forward(ctx, a, dim=None, correction=1, keepdim=False):
        dims, axis = _axes(a, dim)
        ctx.save(self=a, dim=_spread_dims(dims, dim), correction=correction, keepdim=keepdim)
        return _moments(_variance, a, axis, correction, keepdim)

    @staticmethod
    def backward(ctx, grad):
        grad_var, grad_mean = OutputGrads.parts_of(grad, 2)
        return (_sum_of_grads(_var_grad(ctx, grad_var) if grad_var is not None else None,
                              _mean_grad(ctx, grad_mean)),)


class StdMeanBackward0(Function):
    """``std_mean``: one node for the standard deviation and the mean."""

    @staticmethod
    def forward(ctx, a, dim=None, correction=1, keepdim=False):
        dims, axis = _axes(a, dim)
        std, mean = _moments(_deviation, a, axis, correction, keepdim)
        ctx.save(self=a, dim=_spread_dims(dims, dim), correction=correction, keepdim=keepdim,
                 result0=OUTPUT)
        return std, mean

    @staticmethod
    def backward(ctx, grad):
        grad_std, grad_mean = OutputGrads.parts_of(grad, 2)
        std_part = _std_grad(ctx, grad_std, ctx.unpack("result0")) if grad_std is not None \
            else None
        return (_sum_of_grads(std_part, _mean_grad(ctx, grad_mean)),)


def _moments(spread, a, axis, correction, keepdim):
    """The spread (``_variance`` or ``_deviation``) and the mean of ``a`` over numpy's
    ``axis``."""
    with warnings.catch_warnings():  # PyTorch's own warning was given already
        warnings.simplefilter("ignore", RuntimeWarning)
        x = O.opmath(a._data)
        return (spread(x, axis=axis, ddof=correction, keepdims=keepdim).astype(a._data.dtype),
                np.mean(x, axis=axis, keepdims=keepdim).astype(a._data.dtype))


def _mean_grad(ctx, grad):
    if grad is None:
        return None
    a, dims, keepdim = ctx.unpack("self", "dim", "keepdim")
    return _expand_back(grad, a.shape, dims, keepdim) / _reduced_count(a.shape, dims)


def _sum_of_grads(first, second):
    """The sum of two gradients, either of which may be missing (None)."""
    return second if first is None else first if second is None else first + second


_NOT_GIVEN = object()


def _spread_args(dim, unbiased, correction):
    """``(dim, correction)`` as PyTorch's var and std take them: ``var(x, False)`` gives
    unbiased; a correction left out is 1, and the node shows it as None unless dim or
    unbiased was given (PyTorch's overloads differ there)."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if correction is not _NOT_GIVEN:
        return (None if dim is _NOT_GIVEN else dim), as_given(
            1 if correction is None else correction, correction)
    if dim is _NOT_GIVEN and unbiased is None:
        return None, as_given(1, None)
    return (None if dim is _NOT_GIVEN else dim), (0 if unbiased is False else 1)


def _spread_dims(dims, dim):
    """The ``dims`` var and std reduce, which their node shows as None where none were named
    (``dim``)."""
    return dims if dim is not None else as_given(dims, None)


def _check_var(name, a, dim, correction, stacklevel=3):
    if a.dtype.category < 2:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    n = _reduced_count(a.shape, _axes(a, dim)[0])
    if n - correction <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly "
                      "less than the reduction factor (input numel divided by output numel).",
                      UserWarning, stacklevel=stacklevel)


def var(a, dim=_NOT_GIVEN, unbiased=None, keepdim=False, *, correction=_NOT_GIVEN):
    dim, correction = _spread_args(dim, unbiased, correction)
    _check_var("var", a, dim, correction)
    return VarBackward0.apply(a, dim=dim, correction=correction, keepdim=keepdim)


def std(a, dim=_NOT_GIVEN, unbiased=None, keepdim=False, *, correction=_NOT_GIVEN):
    dim, correction = _spread_args(dim, unbiased, correction)
    _check_var("std", a, dim, correction)
    return StdBackward0.apply(a, dim=dim, correction=correction, keepdim=keepdim)


def var_mean(a, dim=_NOT_GIVEN, unbiased=None, keepdim=False, *, correction=_NOT_GIVEN):
    return _with_mean("var_mean", VarMeanBackward0, a, dim, unbiased, keepdim, correction)


def std_mean(a, dim=_NOT_GIVEN, unbiased=None, keepdim=False, *, correction=_NOT_GIVEN):
    return _with_mean("std_mean", StdMeanBackward0, a, dim, unbiased, keepdim, correction)


def _with_mean(name, node, a, dim, unbiased, keepdim, correction):
    dim, correction = _spread_args(dim, unbiased, correction)
    if a.dtype.category < 2:
        raise RuntimeError(f"{name} only support floating point and complex dtypes")
    _reduced_dims(a, dim)
    _check_var(name, a, dim, correction, stacklevel=4)
    return node.apply(a, dim=dim, correction=correction, keepdim=keepdim)


class AminmaxBackward0(Function):
    """``aminmax``: the smallest and largest elements, one node for both; ties share the
    gradient evenly, as in amin and amax."""

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        if not a.numel() and dim is None:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as "
                               "the operation has no identity.")
        if not a.numel() and a.ndim and not a.shape[_dim_of(a, dim)]:
            raise IndexError(f"aminmax: Expected reduction dim {_dim_of(a, dim)} to have "
                             "non-zero size.")
        dims = _reduced_dims(a, dim)
        smallest = np.amin(a._data, axis=dims, keepdims=keepdim)
        largest = np.amax(a._data, axis=dims, keepdims=keepdim)
        ctx.save(dim=dim, keepdim=keepdim, self=a, min=OUTPUT, max=Output(1))
        return smallest, largest

    @staticmethod
    def backward(ctx, grad):
        a, dim, keepdim = ctx.unpack("self", "dim", "keepdim")
        dims = _reduced_dims(a, dim)
        parts = [None if part is None else _shared_by_ties(part, result, a, dims, keepdim)
                 for part, result in zip(OutputGrads.parts_of(grad, 2),
                                         ctx.unpack("min", "max"))]
        return (_sum_of_grads(*parts),)


def aminmax(a, *, dim=None, keepdim=False):
    smallest, largest = AminmaxBackward0.apply(a, dim=dim, keepdim=keepdim)
    return ReturnTypes("aminmax", smallest, largest)


def sum(a, dim=None, keepdim=False, *, dtype=None):  # noqa: A001
    if dim is None:  # no keyword without a dtype: apply would build a dict for it
        return SumBackward0.apply(a) if dtype is None else SumBackward0.apply(a, dtype=dtype)
    return SumBackward1.apply(a, dim=dim, keepdim=keepdim, dtype=dtype)


def mean(a, dim=None, keepdim=False, *, dtype=None):
    if dim is None:
        return MeanBackward0.apply(a, dtype=dtype)
    return MeanBackward1.apply(a, dim=dim, keepdim=keepdim, dtype=dtype)


def prod(a, dim=None, keepdim=False, *, dtype=None):
    if dim is None:
        return ProdBackward0.apply(a, dtype=dtype)
    return ProdBackward1.apply(a, dim=dim, keepdim=keepdim, dtype=dtype)


def _stable_log_softmax(x, d):
    if not x.ndim:  # the one element, shifted by itself
        return np.zeros_like(x)
    shifted = x - np.max(x, axis=d, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=d, keepdims=True))


def _softmax_dim(kernel, a, dim):
    """The dim of a softmax, whose kernels PyTorch runs on floating dtypes only."""
    d = O.normalize_dims(dim, a.ndim)[0]
    if a.dtype.category < 2:
        last = "lastdim_" if d == a.ndim - 1 or not a.ndim else ""
        raise NotImplementedError(f'"{kernel}_{last}kernel_impl" not implemented for '
                                  f"'{O.dtype_name(a.dtype)}'")
    return d


class SoftmaxBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim):
        d = _softmax_dim("softmax", a, dim)
        ctx.save(dim=d, result=OUTPUT)
        return np.exp(_stable_log_softmax(a._data, d))

    @staticmethod
    def backward(ctx, grad):
        d, r = ctx.unpack("dim", "result")
        return (r * (grad - (grad * r).sum(d, keepdim=True)),)


class LogSoftmaxBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim):
        d = _softmax_dim("log_softmax", a, dim)
        ctx.save(dim=d, result=OUTPUT)
        return _stable_log_softmax(a._data, d)

    @staticmethod
    def backward(ctx, grad):
        d, r = ctx.unpack("dim", "result")
        return (grad - r.exp() * grad.sum(d, keepdim=True),)


def softmax(a, dim, dtype=None):
    return SoftmaxBackward0.apply(a if dtype is None else a.to(dtype), dim=dim)


def log_softmax(a, dim, dtype=None):
    return LogSoftmaxBackward0.apply(a if dtype is None else a.to(dtype), dim=dim)


def _dim_of(a, dim):
    """One dim of ``a``, made non-negative (0 for a 0-d tensor, which takes 0 or -1)."""
    return O.normalize_dims(dim, a.ndim)[0]


def _required(name, dim):
    if dim is None:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')


def _scan(fn, a, d, dtype):
    """``fn`` (np.cumsum, np.cumprod) of ``a`` along ``d``, in PyTorch's result dtype: the
    one asked for, else int64 for integers and bool. Half floats accumulate in float32."""
    dt = _product_dtype(a, dtype).np
    x = a._data if a.ndim else a._data.reshape(1)
    wide = np.float32 if dt.kind == "f" and dt.itemsize == 2 else dt
    return fn(x, axis=d, dtype=wide).astype(dt, copy=False).reshape(a._data.shape)


def _flip(x, d):
    if isinstance(x, Tensor):
        from engine.ops.movement import flip
        return flip(x, (d,))
    return np.flip(x, d)


def _cumsum(x, d):
    return x.cumsum(d) if isinstance(x, Tensor) else np.cumsum(x, d)


def _reverse_cumsum(x, d):
    """The sums from each element to the end of ``d``: the gradient of a cumulative sum."""
    return _flip(_cumsum(_flip(x, d), d), d) if x.ndim else x


class CumsumBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, dim, dtype=None):
        d = _dim_of(a, dim)
        ctx.save(dim=d)
        return _scan(np.cumsum, a, d, dtype)

    @staticmethod
    def backward(ctx, grad):
        return (_reverse_cumsum(grad, ctx.unpack("dim")),)


class LogcumsumexpBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim):
        if a.dtype.category < 2:
            raise NotImplementedError('"logcumsumexp_out_cpu" not implemented for '
                                      f"'{O.dtype_name(a.dtype)}'")
        d = _dim_of(a, dim)
        ctx.save(dim=d, self=a, result=OUTPUT)
        if not a.ndim:
            return a._data.copy()
        x = backend.to_host(a._data)  # cupy has no ufunc accumulate
        with backend.quiet():
            return backend.to_device(np.logaddexp.accumulate(x, axis=d), a._device)

    @staticmethod
    def backward(ctx, grad):
        """d out_j / d a_k = exp(a_k - out_j) for j >= k, summed in log space, the positive
        and the negative parts of the gradient apart, so that nothing overflows. A part's
        missing terms take the lowest float, not -inf, which would give nan a derivative on."""
        a, result, dim = ctx.unpack("self", "result", "dim")
        if not a.ndim:
            return (grad,)
        log_abs, lowest = grad.abs().log(), dtypes.finfo(grad.dtype).min

        def from_the_end(t):  # log of the sums from each element to the end
            return t.flip(dim).logcumsumexp(dim).flip(dim)
        pos, neg = ((from_the_end(where(part, log_abs, lowest) - result) + a).exp()
                    for part in (grad > 0, grad < 0))
        return (pos - neg,)


class CumprodBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim, dtype=None):
        d = _dim_of(a, dim)
        ctx.save(dim=d, self=a, result=OUTPUT)
        return _scan(np.cumprod, a, d, dtype)

    @staticmethod
    def backward(ctx, grad):
        """Away from zeros d out_j / d a_k = out_j / a_k. Past a row's first zero every
        output is 0 whatever a_k, and at that zero it is the product of the others, which
        is the cumulative product with that zero taken as 1."""
        d, a, result = ctx.unpack("dim", "self", "result")
        if not a.ndim:
            return (grad,)
        zero = a == 0
        if not zero.any().item():
            return (_reverse_cumsum(grad * result, d) / a,)
        zeros_so_far = zero.cumsum(d)
        first = zero & (zeros_so_far == 1)
        before = _reverse_cumsum(grad * result, d) / where(zero, 1, a)
        at_first = _reverse_cumsum(grad * where(first, 1, a).cumprod(d), d)
        return (where(zeros_so_far == 0, before, where(first, at_first, 0)),)


def _check_scan_dtype(a, dtype):
    if dtype is not None and dtype.category == 1 and record_enabled(a):
        raise RuntimeError(f"Autograd not support dtype: {O.dtype_name(dtype)}")


def cumsum(a, dim=None, *, dtype=None):
    _required("cumsum", dim)
    _check_scan_dtype(a, dtype)
    return CumsumBackward0.apply(a, dim=dim, dtype=dtype)


def logcumsumexp(a, dim=None):
    _required("logcumsumexp", dim)
    return LogcumsumexpBackward0.apply(a, dim=dim)


def cumprod(a, dim=None, *, dtype=None):
    _required("cumprod", dim)
    _check_scan_dtype(a, dtype)
    return CumprodBackward0.apply(a, dim=dim, dtype=dtype)


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The trapezoidal rule along ``dim``, as PyTorch composes it (so its graph is
    PyTorch's): samples ``dx`` apart, or at the points ``x``."""
    from engine.ops.elementwise import DivBackward1, MulBackward1
    from engine.ops.indexing import select
    _refuse_x_with_dx("trapezoid", x, dx)
    if not y.ndim:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    _refuse_bool("trapezoid", y)
    d = _wrap_dim(dim, y.ndim)
    if not y.shape[d]:
        return Tensor._make(np.zeros_like(y._data, shape=y.shape[:d] + y.shape[d + 1:]))
    if x is None:
        ends = MulBackward1.apply(select(y, dim, 0) + select(y, dim, -1), other=0.5)
        return MulBackward1.apply(y.sum(dim) - ends, other=float(1 if dx is None else dx))
    d = int(d)  # the dim made non-negative, as PyTorch's slices here save it
    return DivBackward1.apply(_doubled_areas("trapezoid", y, x, d).sum(d), other=2.0)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The trapezoidal rule summed up to each sample along ``dim`` (one value fewer than
    samples), as PyTorch composes it: samples ``dx`` apart, or at the points ``x``."""
    from engine.ops.elementwise import DivBackward1, MulBackward1
    _refuse_x_with_dx("cumulative_trapezoid", x, dx)
    _refuse_bool("cumulative_trapezoid", y)
    if not y.ndim:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    d = _wrap_dim(dim, y.ndim)
    if x is None:
        pairs = _head(y, d) + _tail(y, d)
        return cumsum(MulBackward1.apply(pairs, other=(1 if dx is None else dx) / 2), dim)
    d = int(d)
    return DivBackward1.apply(cumsum(_doubled_areas("cumulative_trapezoid", y, x, d), d),
                              other=2.0)


def _refuse_x_with_dx(name, x, dx):
    if x is not None and dx is not None:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (Tensor, Tensor, "
            f"dx={type(dx).__name__}), but expected one of:\n * (Tensor y, Tensor x, *, int dim "
            "= -1)\n * (Tensor y, *, Number dx = 1, int dim = -1)\n")


def _refuse_bool(name, y):
    if y.dtype is dtypes.bool:
        raise RuntimeError(f"{name}: received a bool input for `y`, but bool is not supported")


def _doubled_areas(name, y, x, d):
    """Twice the area of each trapezoid between neighbouring samples along dim ``d``, at the
    points ``x`` (a 1-D ``x`` lies along ``d``): ``(y[i] + y[i+1]) * (x[i+1] - x[i])``."""
    if x.ndim == 1:
        if x.shape[0] != y.shape[d]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        x = x.view([x.shape[0] if k == d else 1 for k in range(y.ndim)])
    elif x.ndim < y.ndim:
        x = x.view((1,) * (y.ndim - x.ndim) + tuple(x.shape))
    return (_head(y, d) + _tail(y, d)) * (_tail(x, d) - _head(x, d))


def _head(t, d):
    """``t[..., :-1]`` along dim ``d``."""
    from engine.ops.indexing import _sliced
    return _sliced(t, d, slice(None, -1))


def _tail(t, d):
    """``t[..., 1:]`` along dim ``d``, its end saved as None, as PyTorch's trapezoid rules
    save it (its own ``t[..., 1:]`` saves the largest 64-bit int)."""
    from engine.ops.indexing import SliceBackward0
    return SliceBackward0.apply(t, dim=d, start=1, end=as_given(t.shape[d], None), step=1)


def _reduced_dims(a, dim):
    """The dims ``dim`` (an int, a sequence, or () and None for all) names, each once."""
    if dim is None:
        return tuple(range(a.ndim))
    if isinstance(dim, (tuple, list)) and not len(dim):
        return as_given(tuple(range(a.ndim)), ())
    dims = O.normalize_dims(dim, a.ndim)
    for i, d in enumerate(dims[1:]):
        if d == dims[i]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return dims if a.ndim else ()


def _check_extent(name, a, dim):
    """amax/amin have no identity: each reduced dim must have elements."""
    if a.numel() == 0:
        if dim is None or (isinstance(dim, (tuple, list)) and not len(dim)):
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        for d in O.normalize_dims(dim, a.ndim):
            if a.shape[d] == 0:
                raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


class _ExtremumOverDims(Function):
    """amax/amin: the gradient is shared evenly among the elements equal to the result."""

    reduce = None

    @classmethod
    def forward(cls, ctx, a, dim, keepdim=False):
        _check_extent(cls.__name__[:4].lower(), a, dim)
        dims = _reduced_dims(a, dim)
        ctx.save(dim=dims, keepdim=keepdim, result=OUTPUT, self=a)
        return cls.reduce(a._data, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        dims, keepdim, result, a = ctx.unpack("dim", "keepdim", "result", "self")
        return (_shared_by_ties(grad, result, a, dims, keepdim),)


def _shared_by_ties(grad, result, a, dims, keepdim):
    """``grad`` of an extremum (``result``) of ``a`` over ``dims``, shared evenly among the
    elements equal to it."""
    chosen = _expand_back(result, a.shape, dims, keepdim) == a
    grad = _expand_back(grad, a.shape, dims, keepdim)
    return grad / chosen.sum(dims, keepdim=True) * chosen


class AmaxBackward0(_ExtremumOverDims):
    reduce = staticmethod(np.amax)


class AminBackward0(_ExtremumOverDims):
    reduce = staticmethod(np.amin)


def amax(a, dim=(), keepdim=False):
    return AmaxBackward0.apply(a, dim=dim, keepdim=keepdim)


def amin(a, dim=(), keepdim=False):
    return AminBackward0.apply(a, dim=dim, keepdim=keepdim)


def _logsumexp_array(x, axis, keepdim):
    """log(sum(exp(x))) shifted by the largest element, unless that is infinite: a row of
    -inf gives -inf and one with +inf gives +inf, not nan."""
    if not x.size:  # the sum of no exponentials is 0, its log -inf
        top = 0
    else:
        top = np.amax(x, axis=axis, keepdims=True)
        top = np.where(np.isinf(top), 0, top)
    with backend.quiet():
        out = np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True)) + top
    return out if keepdim else out.squeeze(axis)


class LogsumexpBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim, keepdim=False):
        dims = _reduced_dims(a, dim)
        ctx.save(dim=dims, keepdim=keepdim, result=OUTPUT, self=a)
        return O.precise(lambda x: _logsumexp_array(x, dims, keepdim), a)

    @staticmethod
    def backward(ctx, grad):
        dims, keepdim, result, a = ctx.unpack("dim", "keepdim", "result", "self")
        result = _expand_back(result, a.shape, dims, keepdim)
        return (_expand_back(grad, a.shape, dims, keepdim) * (a - result).exp(),)


_NO_DIM = object()


def logsumexp(a, dim=_NO_DIM, keepdim=False, *, method=False):
    if dim is _NO_DIM:
        raise TypeError('logsumexp() missing 1 required positional arguments: "dim"')
    if dim is None:
        raise TypeError(f"logsumexp(): argument 'dim' (position {2 - method}) must be tuple of "
                        "ints, not NoneType")
    if isinstance(dim, (tuple, list)) and not len(dim) and a.ndim and not keepdim:
        raise RuntimeError("output with shape [] doesn't match the broadcast shape "
                           f"[{', '.join('1' * a.ndim)}]")
    return LogsumexpBackward0.apply(a, dim=dim, keepdim=keepdim)


class NansumBackward0(Function):
    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False, dtype=None):
        dims = _reduced_dims(a, dim)
        ctx.save(dim=None if dim is None else dims, keepdim=keepdim, self=a)
        x = a._data
        if a.dtype.category >= 2:
            x = np.where(np.isnan(x), 0, x)
        dt = dtype or a.dtype
        if dt.category >= 2 and dt.np.itemsize < 4:
            return _sum_array(Tensor._make(O.opmath(x)), dims, keepdim, dtypes.float32).astype(
                dt.np)
        return _sum_array(Tensor._make(x), dims, keepdim, dtype)

    @staticmethod
    def backward(ctx, grad):
        dim, keepdim, a = ctx.unpack("dim", "keepdim", "self")
        dims = tuple(range(a.ndim)) if dim is None else dim
        return (where(a.isnan(), 0, _expand_back(grad, a.shape, dims, keepdim)),)


def nansum(a, dim=None, keepdim=False, *, dtype=None):
    return NansumBackward0.apply(a, dim=dim, keepdim=keepdim, dtype=dtype)


def nanmean(a, dim=None, keepdim=False, *, dtype=None):
    """nansum over the count of non-nan elements: PyTorch records the division."""
    if a.dtype.category < 2:
        raise RuntimeError("nanmean(): expected input to have floating point or complex "
                           f"dtype but got {O.dtype_name(a.dtype)}")
    dims = _reduced_dims(a, dim)
    count = Tensor._make(np.logical_not(np.isnan(a._data))).sum(dims, keepdim=keepdim)
    return nansum(a, dim, keepdim, dtype=dtype) / count


def _logical_reduce(fn, a, dim, keepdim):
    """any/all: bool, except uint8 in, uint8 out, as PyTorch."""
    dims = () if isinstance(dim, (tuple, list)) and not len(dim) else _reduced_dims(a, dim)
    out = fn(a._data, axis=dims, keepdims=keepdim)
    return Tensor._make(out.astype(np.uint8) if a.dtype is dtypes.uint8 else out)


def any(a, dim=None, keepdim=False):  # noqa: A001
    return _logical_reduce(np.any, a, dim, keepdim)


def all(a, dim=None, keepdim=False):  # noqa: A001
    return _logical_reduce(np.all, a, dim, keepdim)


def count_nonzero(a, dim=None):
    dims = _reduced_dims(a, dim)
    count = backend.as_array(np.count_nonzero(a._data, axis=dims))
    return Tensor._make(count.astype(np.int64, copy=False))
