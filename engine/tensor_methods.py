"""Tensor's operators and methods: one-line delegations to ``engine.ops``, plus the
in-place ops (``add_``, ``t[i] = v``...) and conversions (``to``, ``type``, ``cuda``)."""
import numpy as np

from engine import backend, dtypes
from engine.autograd.grad_mode import _state as _grad_mode
from engine.autograd.grad_mode import (NO_VERSION, is_grad_enabled,
                                       refuse_inplace_outside_inference)
from engine.ops import algebra as A
from engine.ops import compare as C
from engine.ops import counting as K
from engine.ops import elementwise as E
from engine.ops import gather as G
from engine.ops import unary as U
from engine.ops import indexing as I
from engine.ops import linalg as L
from engine.ops import movement as M
from engine.ops import operands as O
from engine.ops import pairwise as W
from engine.ops import reduce as R
from engine.ops import sorting as P
from engine.ops import split as S


def _reflected(fn):
    return lambda self, other: fn(other, self)


_OPERANDS = (int, float, complex, bool, np.number)


def _binary_only(fn):
    """An operator: returns NotImplemented for operands it cannot take (lists, None...)."""
    def op(self, other):
        if not isinstance(other, _OPERANDS):
            return NotImplemented
        return fn(self, other)
    return op


def _as_method(fn):
    """A function of two tensors as a Tensor method, whose argument errors count positions
    from the other tensor."""
    def method(self, other):
        return fn(self, other, method=True)
    return method


# float functions of one tensor, each with its in-place form (``tan_``)
UNARY_FLOAT = ("tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
               "log1p", "expm1", "log2", "log10", "rsqrt", "erf", "exp2", "frac", "sinc",
               "nan_to_num", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh",
               "fix")


def _tensor_only(fn):
    def op(self, other):
        return fn(self, other) if isinstance(other, _OPERANDS[0]) else NotImplemented
    return op


# ---------------------------------------------------------------- in-place
def _inplace(self, compute, *args, uniform=False, **kwargs):
    """Run ``compute(self, *args, **kwargs)`` out of place and write the result into
    ``self``.

    Under grad mode a tensor in a graph takes the new node as its ``grad_fn``, as PyTorch
    does; the old values are kept for that node's backward. ``uniform`` ops write one value
    everywhere (``fill_``, ``zero_``), which PyTorch allows into an expanded view.
    """
    recorded = _grad_mode.enabled and (self._requires_grad or any(
        getattr(x, "_requires_grad", False) for x in (*args, *kwargs.values())))
    if recorded:
        _refuse_no_grad_view(self)
        if self._requires_grad and self.grad_fn is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation.")
        base = self._base
        if "_multi_view_of" in self.__dict__:
            from engine.ops.split import MULTI_VIEW_ERROR
            raise RuntimeError(MULTI_VIEW_ERROR.format(nr=self._output_nr,
                                                       op=self.__dict__["_multi_view_of"]))
        if base is not None and base._requires_grad and base.grad_fn is None:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place "
                "operation.")
        # the op's backward may need the old values, which the write replaces
        before = type(self)._make(self._data.copy(), self.grad_fn)
        before._requires_grad = self._requires_grad
        before._version_counter = [self._version_counter[0]]
        result = compute(before, *args, **kwargs)
    else:
        result = compute(self, *args, **kwargs)
    _write(self, result, uniform)
    node = result.grad_fn
    if node is not None:
        if self._base is not None:
            result = I.CopySlices.over_view(self, result)
        self.grad_fn, self._output_nr = result.grad_fn, 0
        self._requires_grad = True
        I.reread_views(self._base if self._base is not None else self, self)
    self._version_counter[0] += 1
    if node is not None and node._saves_output is not None:  # its output is self, from now
        for key, _ in node._saves_output:
            output = node._for_backward[key]
            output.counter, output.version = self._version_counter, self._version_counter[0]
    return self


def _refuse_no_grad_view(self):
    """PyTorch's refusal to change, under grad mode, a view made under no_grad (or a view of
    one, named by its op)."""
    made = self.__dict__.get("_made_in_no_grad")
    if made is None:
        return
    what = f"Output 0 of {made} is a view of a view which was" if made else "A view was"
    raise RuntimeError(
        f"{what} created in no_grad mode and is being modified inplace with grad mode "
        "enabled. Given that this use case is ambiguous and error-prone, it is forbidden. "
        "You can clarify your code by moving both the view and the inplace either both "
        "inside the no_grad block (if you don't want the inplace to be tracked) or both "
        "outside (if you want the inplace to be tracked).")


def _check_writable(self, allow_overlap=False):
    """PyTorch refuses in-place ops on a tensor in which several elements share memory (an
    expanded view, such as a gradient expanded from fewer elements), except those that
    write one value everywhere and index assignment, which write through."""
    if self._version_counter is NO_VERSION:
        refuse_inplace_outside_inference()
    data = self._data
    if not getattr(data.flags, "writeable", True) or (not allow_overlap and _overlaps(data)):
        raise RuntimeError("unsupported operation: more than one element of the written-to "
                           "tensor refers to a single memory location. Please clone() the "
                           "tensor before performing the operation.")


def _overlaps(data):
    return 0 in data.strides and data.size > 0 and any(
        s == 0 and n > 1 for n, s in zip(data.shape, data.strides))


def _write(self, result, uniform=False):
    _check_writable(self, allow_overlap=uniform)
    if result.dtype is not self.dtype and result.dtype.category > self.dtype.category:
        raise RuntimeError(f"result type {O.dtype_name(result.dtype)} can't be cast to the "
                           f"desired output type {O.dtype_name(self.dtype)}")
    if result._data.shape != self._data.shape:
        try:
            fits = np.broadcast_shapes(tuple(result.shape), tuple(self.shape)) == self.shape
        except ValueError:
            fits = False
        if not fits:
            raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the "
                               f"broadcast shape {list(result.shape)}")
    self._data[...] = result._data


def _inplace_method(fn):
    def method(self, *args, **kwargs):
        return _inplace(self, fn, *args, **kwargs)
    return method


def _addc_method(name, fn):
    """``addcmul``/``addcdiv`` as methods, whose ``value`` is keyword-only."""
    def method(self, tensor1, tensor2, *rest, value=1):
        if rest:
            raise TypeError(f"{name}() takes 2 positional arguments but {2 + len(rest)} were "
                            "given")
        return fn(self, tensor1, tensor2, value=value)
    return method


def _inplace_arithmetic(fn, ufunc):
    """``add_``, ``sub_``, ``mul_``: outside a graph, on a float tensor that keeps its dtype, the
    backend writes straight into the tensor's array; anything else (a graph, a dtype
    change, a shape that does not fit) goes through ``_inplace`` and its checks."""
    def method(self, other, **kwargs):
        recorded = _grad_mode.enabled and (
            self._requires_grad or getattr(other, "_requires_grad", False))
        # half floats take the general way, where PyTorch's float32 arithmetic is
        if not kwargs and self.dtype.is_floating_point and self.dtype.itemsize > 2 and \
                not recorded:
            x, y, dt = O.binary(self, other)
            if x is self._data and 0 not in x.strides:
                counter = self._version_counter
                counter[0] += 1  # first: an inference tensor's counter refuses the change
                try:
                    ufunc(x, y, x)  # out=x, given positionally: cheaper
                except ValueError:  # the general path raises PyTorch's error
                    counter[0] -= 1
                else:
                    return self
        return _inplace(self, fn, other, **kwargs)
    return method


def fill_(self, value):
    if isinstance(value, type(self)):
        if value.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value.ndim} dimensions.")
        if value._requires_grad and _grad_mode.enabled:
            return _inplace(self, E.FillBackward3.apply, value, uniform=True)
    value = value.item() if hasattr(value, "item") and not isinstance(value, (int, float)) \
        else value
    return _inplace(self, lambda t: E.FillBackward2.apply(t, value=value) if t.requires_grad
                    else type(t)._make(np.full_like(t._data, value)),
                    uniform=True)


def zero_(self):
    return _inplace(self, lambda t: E.ZeroBackward0.apply(t) if t.requires_grad
                    else type(t)._make(np.zeros_like(t._data)), uniform=True)


def copy_(self, src):
    if _grad_mode.enabled and (self._requires_grad or getattr(src, "_requires_grad", False)):
        return _inplace(self, M.CopyBackwards.apply, src)
    src_array = src._data if isinstance(src, type(self)) else np.asarray(src)
    _check_writable(self)
    try:
        self._data[...] = backend.to_device(src_array, self._device).astype(self.dtype.np,
                                                                            copy=False)
    except ValueError:
        raise O.broadcast_error(tuple(self.shape), src_array.shape) from None
    self._version_counter[0] += 1
    return self


def setitem(self, key, value):
    key = tuple(I._array_key(k) for k in key) if isinstance(key, tuple) else I._array_key(key)
    index_put = I.is_index_put(key)
    if is_grad_enabled() and (self._requires_grad or getattr(value, "requires_grad", False)):
        if "_made_in_no_grad" in self.__dict__:  # PyTorch writes through a view of it, first
            _refuse_no_grad_view(self if index_put else I.getitem(self, key))
        if self._requires_grad and self.grad_fn is None and not index_put:  # a view, first
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in "
                               "an in-place operation.")
        node = I.IndexPutBackward0 if index_put else I.CopySlices
        _inplace(self, lambda t: node.apply(t, value, key=key))
        return
    try:
        value = I.assigned(self, key, value, index_put)
        _check_writable(self, allow_overlap=True)
        self._data[key] = value  # into an expanded view, this writes every element sharing
    except IndexError as e:      # memory, as in PyTorch
        raise I._index_error(e, self, key if isinstance(key, tuple) else (key,)) from None
    self._version_counter[0] += 1


# ---------------------------------------------------------------- conversions


def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False):
    dtype = dtypes.PYTHON_TYPES.get(dtype, dtype)
    for a in args:
        if isinstance(a, dtypes.dtype) or a in dtypes.PYTHON_TYPES:
            dtype = dtypes.PYTHON_TYPES.get(a, a)
        elif isinstance(a, (str, backend.device)):
            device = a
        elif isinstance(a, type(self)):
            dtype, device = a.dtype, a.device
    dev = None if device is None else backend.resolve(device)
    if dev is self._device:
        dev = None
    if dtype is self.dtype:
        dtype = None
    if dev is None and dtype is None:
        return M.clone(self) if copy else self
    return M.ToCopyBackward0.apply(self, dtype=dtype, device=dev)


def type_(self, dtype=None):
    if dtype is None:
        prefix = "torch.cuda." if self._device.type == "cuda" else "torch."
        return prefix + self.dtype.tensor_type
    if isinstance(dtype, str):
        dtype = dtypes.from_type_name(dtype.replace("cuda.", ""))
    elif not isinstance(dtype, dtypes.dtype):  # torch.DoubleTensor and friends
        if not hasattr(dtype, "dtype"):
            raise ValueError(f"invalid type: '{getattr(dtype, '__name__', dtype)}'")
        dtype = dtype.dtype
    return to(self, dtype)


def _as(dtype):
    return lambda self: to(self, dtype)


# ---------------------------------------------------------------- install
def install(Tensor):
    global _OPERANDS
    _OPERANDS = (Tensor,) + _OPERANDS
    ops = {
        # the operators apply their node directly: alpha is always 1 here
        "__add__": _binary_only(E.AddBackward0.apply),
        "__radd__": _binary_only(E.AddBackward0.apply),
        "__sub__": _binary_only(E.SubBackward0.apply), "__rsub__": _binary_only(E.rsub),
        "__mul__": _binary_only(E.MulBackward0.apply),
        "__rmul__": _binary_only(E.MulBackward0.apply),
        "__truediv__": _binary_only(E.div), "__rtruediv__": _binary_only(E.rdiv),
        "__floordiv__": _binary_only(E.floor_divide),
        "__rfloordiv__": _binary_only(_reflected(E.floor_divide)),
        "__mod__": _binary_only(E.remainder), "__rmod__": _binary_only(_reflected(E.remainder)),
        "__pow__": _binary_only(E.pow), "__rpow__": _binary_only(_reflected(E.pow)),
        "__matmul__": _tensor_only(L.matmul), "__rmatmul__": _tensor_only(_reflected(L.matmul)),
        "__neg__": U.neg, "__pos__": lambda self: self, "__abs__": U.abs,
        "__eq__": _binary_only(C.eq), "__ne__": _binary_only(C.ne),
        "__lt__": _binary_only(C.lt), "__le__": _binary_only(C.le),
        "__gt__": _binary_only(C.gt), "__ge__": _binary_only(C.ge),
        "__and__": _binary_only(C.bitwise_and), "__or__": _binary_only(C.bitwise_or),
        "__xor__": _binary_only(C.bitwise_xor), "__invert__": C.bitwise_not,
        "__rand__": _binary_only(C.bitwise_and),
        "__ror__": _binary_only(C.bitwise_or), "__rxor__": _binary_only(C.bitwise_xor),
        "__iand__": _inplace_method(C.bitwise_and), "__ior__": _inplace_method(C.bitwise_or),
        "__ixor__": _inplace_method(C.bitwise_xor),
        "__getitem__": I.getitem, "__setitem__": setitem,
        "__iadd__": _inplace_arithmetic(E.AddBackward0.apply, np.add),
        "__isub__": _inplace_arithmetic(E.SubBackward0.apply, np.subtract),
        "__imul__": _inplace_arithmetic(E.MulBackward0.apply, np.multiply),
        "__itruediv__": _inplace_method(E.div),
        "__ipow__": _inplace_method(E.pow), "__ifloordiv__": _inplace_method(E.floor_divide),
        "__imod__": _inplace_method(E.remainder),
        # math
        "add": E.add, "sub": E.sub, "subtract": E.sub, "mul": E.mul, "multiply": E.mul,
        "divide": E.div, "square": E.square, "negative": U.neg, "sin": U.sin, "cos": U.cos,
        "clip": U.clamp, "maximum": E.maximum, "minimum": E.minimum, "reciprocal":
        E.reciprocal, "remainder": E.remainder, "floor_divide": E.floor_divide,
        "sign": U.sign, "floor": U.floor, "ceil": U.ceil, "round": U.round, "trunc": U.trunc,
        "logaddexp": _as_method(W.logaddexp),
        "addcmul": _addc_method("addcmul", W.addcmul),
        "addcdiv": _addc_method("addcdiv", W.addcdiv),
        "where": lambda self, cond, other: E.where(cond, self, other),
        "eq": C.eq, "ne": C.ne, "lt": C.lt, "le": C.le, "gt": C.gt, "ge": C.ge,
        "logical_not": C.logical_not, "logical_and": C.logical_and,
        "logical_or": C.logical_or, "logical_xor": C.logical_xor,
        "isnan": C.isnan, "isinf": C.isinf, "isfinite": C.isfinite,
        "isclose": C.isclose, "allclose": C.allclose, "equal": C.equal,
        "conj": lambda self: self,
        # reductions
        "sum": R.sum, "mean": R.mean, "prod": R.prod, "max": R.max, "min": R.min,
        "argmax": R.argmax, "argmin": R.argmin, "std": R.std, "var": R.var,
        "norm": A.tensor_norm, "softmax": R.softmax, "log_softmax": R.log_softmax,
        "logcumsumexp": R.logcumsumexp,
        "amax": R.amax, "amin": R.amin, "aminmax": R.aminmax, "all": R.all, "any": R.any,
        "count_nonzero": R.count_nonzero, "nansum": R.nansum,
        "logsumexp": lambda self, *args, **kwargs: R.logsumexp(self, *args, **kwargs,
                                                                method=True),
        "nanmean": R.nanmean, "cummax": P.cummax,
        "cummin": P.cummin, "median": P.median, "mode": P.mode, "sort": P.sort,
        "argsort": P.argsort, "topk": P.topk, "kthvalue": P.kthvalue,
        # linear algebra
        "matmul": L.matmul, "mm": L.mm, "mv": L.mv, "dot": L.dot, "bmm": L.bmm,
        "outer": L.outer,
        # shapes
        "view": M.view, "reshape": M.reshape, "view_as": lambda self, o: M.view(self, o.shape),
        "reshape_as": lambda self, o: M.reshape(self, o.shape),
        "t": M.t, "T": property(M.T), "mT": property(M.mT),
        "transpose": M.transpose, "permute": M.permute, "contiguous": M.contiguous,
        "squeeze": M.squeeze, "unsqueeze": M.unsqueeze, "flatten": M.flatten,
        "unflatten": M.unflatten, "expand": M.expand, "expand_as": M.expand_as,
        "clone": lambda self, memory_format=None: M.clone(self), "narrow": I.narrow,
        "select": I.select, "repeat": I.repeat, "index_select": I.index_select,
        "tensor_split": I.tensor_split, "take_along_dim": G.take_along_dim,
        "nonzero": E.nonzero,
        "split": S.split, "chunk": S.chunk, "unbind": S.unbind,
        "split_with_sizes": S.split_with_sizes,
        "flip": M.flip_method, "fliplr": M.fliplr, "flipud": M.flipud, "roll": M.roll,
        "movedim": M.movedim, "moveaxis": M.movedim,
        "swapaxes": M.swapaxes, "swapdims": M.swapaxes, "broadcast_to": M.broadcast_to,
        "diagonal": G.diagonal, "diag": G.diag, "diag_embed": G.diag_embed, "trace": G.trace,
        "unfold": G.unfold, "gather": G.gather, "take": G.take,
        "masked_select": G.masked_select, "tile": I.tile,
        "repeat_interleave": I.repeat_interleave, "rot90": K.rot90,
        # products, linear algebra, counting
        "vdot": A.vdot, "inner": A.inner, "kron": A.kron, "cross": A.cross, "dist": A.dist,
        "det": A.det, "inverse": A.inv, "logdet": A.logdet, "slogdet": A.slogdet,
        "matrix_exp": A.matrix_exp, "matrix_power": A.matrix_power, "diff": K.diff,
        "unique": K.unique,
        "bincount": K.bincount, "histc": K.histc, "quantile": K.quantile,
        "nanquantile": K.nanquantile, "cov": K.cov, "corrcoef": K.corrcoef,
        "signbit": K.signbit, "float_power": K.float_power,
        # in-place
        "add_": _inplace_arithmetic(E.add, np.add), "sub_": _inplace_arithmetic(E.sub, np.subtract),
        "mul_": _inplace_arithmetic(E.mul, np.multiply),
        "fill_": fill_, "zero_": zero_, "copy_": copy_,
        "float_power_": K.float_power_,
        "addcmul_": _addc_method("addcmul_", _inplace_method(W.addcmul)),
        "addcdiv_": _addc_method("addcdiv_", _inplace_method(W.addcdiv)),
        # conversions
        "to": to, "type": type_, "float": _as(dtypes.float32), "double": _as(dtypes.float64),
        "half": _as(dtypes.float16), "bfloat16": _as(dtypes.bfloat16),
        "int": _as(dtypes.int32), "long": _as(dtypes.int64), "short": _as(dtypes.int16),
        "char": _as(dtypes.int8), "byte": _as(dtypes.uint8), "bool": _as(dtypes.bool),
        "cpu": lambda self: to(self, "cpu"),
        "cuda": lambda self, device=None: to(self, device or "cuda"),
        "type_as": lambda self, other: to(self, other.dtype),
    }
    # the methods that also have an in-place form, ``name_``
    with_inplace = {
        "div": E.div, "true_divide": E.div, "pow": E.pow, "exp": U.exp, "log": U.log,
        "sqrt": U.sqrt, "neg": U.neg, "abs": U.abs, "clamp": U.clamp, "relu": U.relu,
        "sigmoid": U.sigmoid, "tanh": U.tanh, "masked_fill": E.masked_fill,
        "atan2": _as_method(W.atan2), "arctan2": _as_method(W.atan2),
        "hypot": _as_method(W.hypot), "xlogy": W.xlogy, "fmod": W.fmod, "lerp": W.lerp,
        "cumsum": R.cumsum, "cumprod": R.cumprod, "renorm": A.renorm,
        "tril": M.tril, "triu": M.triu, "scatter": G.scatter, "scatter_add": G.scatter_add,
        "scatter_reduce": G.scatter_reduce, "index_add": G.index_add,
        "index_fill": G.index_fill, "index_put": I.index_put, "clamp_min": K.clamp_min,
        "clamp_max": K.clamp_max, "heaviside": K.heaviside,
        **{name: getattr(U, name) for name in UNARY_FLOAT}}
    for name, fn in with_inplace.items():
        ops[name] = fn
        ops[name + "_"] = _inplace_method(fn)
    for names, node in ((("asinh_", "arcsinh_"), U.AsinhBackward1),
                        (("acosh_", "arccosh_"), U.AcoshBackward1),
                        (("atanh_", "arctanh_"), U.AtanhBackward1)):
        ops[names[0]] = ops[names[1]] = _inplace_method(node.apply)
    for name, fn in ops.items():
        setattr(Tensor, name, fn)
