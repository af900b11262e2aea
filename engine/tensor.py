"""The Tensor: an array on a device, its dtype, and its place in the autograd graph.

Methods are thin delegations to ``engine.ops``; the graph bookkeeping lives in
``engine.autograd``. Views share their base's array and version counter, so in-place
changes show through both and the saved-tensor check sees them.
"""
import builtins
import warnings

import numpy as np
from numpy import ndarray  # np.ndarray is a slower lookup: numpy's module has __getattr__

from engine import backend, dtypes, printing
from engine.autograd import engine as _engine
from engine.autograd import node as _node
from engine.autograd.grad_mode import (NO_VERSION, _inference_blocks, is_grad_enabled,
                                       is_inference_mode_enabled, new_version_counter)

_BY_NUMPY = {d.np: d for d in dtypes.ALL}
_CPU = backend.CPU
_new = object.__new__

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information.")


class Size(tuple):
    """PyTorch's ``torch.Size``: a tuple of ints that prints as ``torch.Size([2, 3])``."""

    def __new__(cls, sizes=()):
        ints = []
        for i, s in enumerate(sizes):
            if not isinstance(s, int) and not (isinstance(s, Tensor) and s.dtype.category == 1):
                raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is "
                                f"'{type(s).__name__}')")
            ints.append(int(s))
        return _as_size(ints)

    def __getitem__(self, i):
        item = tuple.__getitem__(self, i)
        return _as_size(item) if isinstance(i, slice) else item

    def __repr__(self):
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to "
                            "torch.Size")
        return _as_size(tuple(self) + other)

    def __radd__(self, other):
        return _as_size(other + tuple(self))

    def __mul__(self, n):
        return _as_size(tuple(self) * n)

    __rmul__ = __mul__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n


_tuple_new = tuple.__new__


def _as_size(ints):
    """A Size of ints known to be valid (a shape), without checking them again."""
    return _tuple_new(Size, ints)


def element_strides(array):
    """An array's strides counted in elements, as PyTorch counts them, not in bytes."""
    size = array.itemsize
    return tuple([s // size for s in array.strides])


class Tensor:
    # _base: the tensor a view looks into; _output_nr: which output of grad_fn this is
    __slots__ = ("_data", "dtype", "_device", "_requires_grad", "grad_fn", "_version_counter",
                 "_base", "_output_nr", "__weakref__", "__dict__")
    # Rarely set, so class-level defaults keep creating a tensor cheap.
    _grad = None
    _accumulator = None  # weakref to the leaf's AccumulateGrad
    _retains_grad = False

    # -- construction -------------------------------------------------------------------
    @classmethod
    def _make(cls, data, grad_fn=None):
        """Wrap a backend array (taken as is, not copied); a tuple of them, the outputs of
        an op with several (``split``), becomes a tuple of tensors."""
        t = _new(cls)
        if type(data) is ndarray:
            t._device = _CPU
        elif isinstance(data, np.generic):  # what numpy gives for a 0-dim result
            data = np.asarray(data)
            t._device = _CPU
        elif type(data) is tuple:
            return _node.outputs(data, grad_fn)
        else:
            t._device = backend.device_of(data)
        t._data = data
        t.dtype = _BY_NUMPY[data.dtype]
        t._requires_grad = grad_fn is not None
        t.grad_fn = grad_fn
        t._version_counter = [0] if not _inference_blocks[0] else new_version_counter()
        t._base = None
        t._output_nr = 0
        return t

    def __new__(cls, *args, **kwargs):
        from engine.ops.creation import legacy_new
        return legacy_new(cls, *args, **kwargs)

    # -- autograd attributes ------------------------------------------------------------
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        if not isinstance(value, builtins.bool):
            raise RuntimeError("requires_grad must be a bool")
        if self.grad_fn is not None and not value:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if value and not (self.dtype.is_floating_point or self.dtype.is_complex):
            raise RuntimeError(
                "only Tensors of floating point and complex dtype can require gradients")
        if value and self._version_counter is NO_VERSION and not is_inference_mode_enabled():
            raise RuntimeError("Setting requires_grad=True on inference tensor outside "
                               "InferenceMode is not allowed.")
        self._requires_grad = value

    def requires_grad_(self, requires_grad=True):
        if requires_grad and not (self.dtype.is_floating_point or self.dtype.is_complex):
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def output_nr(self):
        return self._output_nr

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def grad(self):
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad "
                                f"of type {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size")
            if value.dtype is not self.dtype:
                from engine.ops.linalg import _CPP_NAMES
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_CPP_NAMES[value.dtype.name]}'"
                    " to a tensor with grad_dtype "
                    f"'{self.dtype.tensor_type.removesuffix('Tensor')}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype). You can set "
                    "the tensor's grad_dtype attribute with a specific dtype, or None to allow "
                    "any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor "
                    "and its gradient may break downstream systems that assume they match.")
        self._grad = value

    @property
    def _version(self):
        if self._version_counter is NO_VERSION:
            raise RuntimeError("Inference tensors do not track version counter.")
        return self._version_counter[0]

    def is_inference(self):
        """Whether the tensor was made in inference mode (or is a view of one that was)."""
        return self._version_counter is NO_VERSION

    def _bump_version(self):
        self._version_counter[0] += 1

    def retain_grad(self):
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        node = self.grad_fn
        if node is not None and not self._retains_grad:
            self._retains_grad = True
            node._retained = {**(node._retained or {}), self._output_nr: _weak(self)}
            node._watched = True

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        node = self.grad_fn or _node.accumulator_of(self)
        if self.grad_fn is None:  # keep the accumulator alive with the tensor
            self.__dict__["_hooked_accumulator"] = node
        return node.register_prehook(_tensor_prehook(hook))

    def detach(self):
        t = Tensor._make(self._data)
        t._version_counter = self._version_counter
        return t

    def detach_(self):
        self.grad_fn, self._output_nr = None, 0
        self._requires_grad = False
        return self

    @property
    def data(self):
        """The same memory outside the graph. Unlike ``detach()``, with a version counter of
        its own, as in PyTorch: changing ``.data`` in place is invisible to autograd."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value):
        self._data = value._data
        self.dtype = value.dtype
        self._device = value._device

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        _engine.backward(self, gradient, retain_graph, create_graph, inputs)

    # -- shape and metadata -------------------------------------------------------------
    @property
    def shape(self):
        return _tuple_new(Size, self._data.shape)  # _as_size, without a call in between

    def size(self, dim=None):
        if dim is None:
            return _tuple_new(Size, self._data.shape)
        if not self._data.ndim:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    def dim(self):
        return self._data.ndim

    @property
    def ndim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self.dtype.itemsize

    @property
    def device(self):
        return self._device

    @property
    def is_cuda(self):
        return self._device.type == "cuda"

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def is_complex(self):
        return self.dtype.is_complex

    def is_contiguous(self):
        return self._data.flags.c_contiguous

    def stride(self, dim=None):
        strides = element_strides(self._data)
        return strides if dim is None else strides[_wrap_dim(dim, self._data.ndim)]

    def data_ptr(self):
        return self._data.__array_interface__["data"][0] if self._device.type == "cpu" \
            else self._data.data.ptr

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    # -- conversion ---------------------------------------------------------------------
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        return _python_scalar(self.dtype, backend.to_host(self._data).reshape(()).item())

    def tolist(self):
        host = backend.to_host(self._data)
        if self.dtype is dtypes.bfloat16:
            host = host.astype(np.float32)
        return host.tolist()

    def numpy(self, *, force=False):
        if self._device.type != "cpu" and not force:
            raise TypeError(f"can't convert {self._device.type}:{self._device.index or 0} "
                            "device type tensor to numpy. Use Tensor.cpu() to copy the tensor "
                            "to host memory first.")
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if self.dtype is dtypes.bfloat16:
            raise TypeError("Got unsupported ScalarType BFloat16")
        return backend.to_host(self._data)

    def __array__(self, dtype=None, copy=None):
        host = backend.to_host(self._data)
        return host if dtype is None else host.astype(dtype)

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self.item())

    def __float__(self):
        if self._requires_grad and is_grad_enabled():
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                          "unexpected behavior.\nConsider using tensor.detach() first.",
                          UserWarning, stacklevel=2)
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def __complex__(self):
        return complex(self._scalar())

    def __index__(self):
        if self.dtype.category != 1 or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return self.item()

    def _scalar(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __format__(self, spec):
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __repr__(self, *, tensor_contents=None):
        return printing.format_tensor(
            backend.to_host(self._data), self.dtype,
            device=None if self._device.type == "cpu" else str(self._device),
            grad_fn_name=type(self.grad_fn).__name__ if self.grad_fn is not None else None,
            requires_grad=self._requires_grad)

    __str__ = __repr__

    def __hash__(self):
        return id(self)

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __reduce_ex__(self, protocol):
        return (_rebuild, (backend.to_host(self._data), self._requires_grad))

    def __deepcopy__(self, memo):
        t = Tensor._make(self._data.copy())
        t._requires_grad = self._requires_grad
        if self._grad is not None:
            t._grad = Tensor._make(self._grad._data.copy())
        memo[id(self)] = t
        return t


def _rebuild(array, requires_grad):
    t = Tensor._make(np.array(array))
    t._requires_grad = requires_grad
    return t


def _weak(tensor):
    import weakref
    return weakref.ref(tensor)


def _wrap_tensor_hook(hook, grads):
    new = hook(grads[0])
    return grads if new is None else (new,) + tuple(grads[1:])


def _tensor_prehook(hook):
    """A tensor hook as its node's pre-hook, named after it for the errors about it."""
    def prehook(grads):
        return _wrap_tensor_hook(hook, grads)
    prehook.__name__ = getattr(hook, "__name__", repr(hook))
    return prehook


def _python_scalar(dtype, value):
    if dtype.is_complex:
        return complex(value)
    if dtype.is_floating_point:
        return float(value)
    if dtype is dtypes.bool:
        return builtins.bool(value)
    return int(value)


def _wrap_dim(dim, ndim):
    """A dim in [-ndim, ndim) made non-negative, with PyTorch's IndexError otherwise; where
    an op saves it, it shows as given."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], "
                         f"but got {dim})")
    wrapped = dim % ndim if ndim else 0
    return wrapped if dim >= 0 else _node.as_given(wrapped, int(dim))


def record_enabled(*tensors):
    """Whether an op over these tensors records a graph node now."""
    return is_grad_enabled() and any(getattr(t, "_requires_grad", False) for t in tensors)


from engine.tensor_methods import install  # noqa: E402 - methods need the class defined

install(Tensor)
_node.Tensor, _node._make = Tensor, Tensor._make
