"""Creating tensors: from Python data and numpy, filled, ranges, and random."""
import builtins
import functools
import warnings

import numpy as np

from engine import backend, dtypes
from engine.ops import operands as O
from engine.tensor import Tensor

_INT_RANGE = {d: np.iinfo(d.np) for d in (dtypes.uint8, dtypes.int8, dtypes.int16,
                                         dtypes.int32, dtypes.int64)}


class Generator:
    """The random-number generator ``manual_seed`` returns (PyTorch's ``torch.Generator``)."""

    def __init__(self, seed=None):
        self.manual_seed(seed)

    def manual_seed(self, seed):
        self._seed = seed
        self.rng = np.random.default_rng(seed)
        return self

    def initial_seed(self):
        return self._seed

    def __repr__(self):
        return f"<torch._C.Generator object at {id(self):#x}>"


default_generator = Generator()


def manual_seed(seed):
    return default_generator.manual_seed(int(seed))


def seed():
    default_generator.manual_seed(None)


def _finish(array, device, requires_grad):
    dev = backend.resolve(device)
    if dev.type != "cpu":
        array = backend.to_device(array, dev)
    t = Tensor._make(array)
    if requires_grad:
        if t.dtype.category < 2:
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


# ---------------------------------------------------------------- from data
def _check_nested(data):
    """PyTorch's errors for ragged or string data, found level by level (no recursion)."""
    level, dim = [data], 0
    while level:
        first = level[0]
        if isinstance(first, str):
            raise ValueError("too many dimensions 'str'")
        if not isinstance(first, (list, tuple)):
            return
        n = len(first)
        nxt = []
        for item in level:
            if not isinstance(item, (list, tuple)):
                raise TypeError(f"new(): invalid data type '{type(item).__name__}'")
            if len(item) != n:
                raise ValueError(f"expected sequence of length {n} at dim {dim} "
                                 f"(got {len(item)})")
            nxt.extend(item)
        level, dim = nxt, dim + 1


def _python_dtype(array):
    kind = array.dtype.kind
    if kind == "b":
        return dtypes.bool
    if kind in "iu":
        return dtypes.int64
    if kind == "c":
        return dtypes.get_default_dtype().to_complex()
    return dtypes.get_default_dtype()


def _check_fits(array, dt):
    """PyTorch refuses values that overflow an integer dtype when building from data."""
    limits = _INT_RANGE.get(dt)
    if limits is None or array.size == 0 or array.dtype.kind not in "iuf":
        return
    lo = -limits.max if dt is dtypes.uint8 and array.dtype.kind in "iu" else limits.min
    if array.min() < lo or array.max() > limits.max:
        raise RuntimeError(f"value cannot be converted to type {dt.name} without overflow")


def as_array(data, dtype=None):
    """A fresh numpy array of ``data`` in the dtype PyTorch would give it; a value too large
    for the dtype becomes inf, silently as in PyTorch."""
    return backend.quietly(_as_array, data, dtype)


def _as_array(data, dtype):
    if isinstance(data, Tensor):
        array = backend.to_host(data._data).copy()
        return array if dtype is None else array.astype(dtype.np)
    if isinstance(data, (np.ndarray, np.generic)):  # a numpy scalar keeps its dtype too
        src = dtypes.from_numpy_dtype(data.dtype)
        return np.array(data, dtype=(dtype or src).np)
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    if isinstance(data, (list, tuple)):
        _check_nested(data)
        data, found = _scalars_of(data)
        dtype = dtype or found
    try:
        array = np.asarray(data)
    except OverflowError:
        raise RuntimeError("Overflow when unpacking long") from None
    if array.dtype.kind == "O":
        for item in array.reshape(-1):
            if not isinstance(item, (builtins.bool, builtins.int, float, complex, np.number)):
                raise RuntimeError(f"Could not infer dtype of {type(item).__name__}")
    if array.dtype == np.uint64 or (array.dtype.kind == "O" and array.size
                                    and isinstance(array.reshape(-1)[0], builtins.int)):
        raise ValueError("Overflow when unpacking long long")
    if array.dtype.kind in "OUS":
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    target = dtype or _python_dtype(array)
    _check_fits(array, target)
    return array.astype(target.np)


def _scalars_of(data):
    """``(values, dtype)``: nested data with its one-element tensors and numpy arrays as
    Python numbers, and the dtype PyTorch infers where any element carries one (numpy
    scalars, arrays, tensors): all elements' dtypes promoted. None for plain numbers."""
    found, carried, arrays, stack = [], False, False, [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, (Tensor, np.ndarray, np.generic)):
            carried, arrays = True, arrays or isinstance(item, np.ndarray) and item.ndim > 0
            found.append(item.dtype if isinstance(item, Tensor) else
                         dtypes.from_numpy_dtype(item.dtype))
        elif isinstance(item, (builtins.bool, builtins.int, float, complex)):
            found.append(dtypes.scalar_dtype(item))
    if not carried:
        return data, None
    if arrays:
        warnings.warn("Creating a tensor from a list of numpy.ndarrays is extremely slow. "
                      "Please consider converting the list to a single numpy.ndarray with "
                      "numpy.array() before converting to a tensor.", UserWarning, stacklevel=4)
    return _as_numbers(data), functools.reduce(dtypes.promote_types, found)


def _as_numbers(data):
    """``data`` with its numpy arrays as nested lists, and its one-element tensors and numpy
    scalars as Python numbers."""
    def number(x):
        if isinstance(x, Tensor):
            if x.numel() != 1:
                raise ValueError("only one element tensors can be converted to Python scalars")
            return x.item()
        return x.tolist() if isinstance(x, (np.ndarray, np.generic)) else x
    if not isinstance(data, (list, tuple)):
        return number(data)
    root = list(data)
    stack = [root]
    while stack:  # copies of the lists, replaced in place level by level
        level = stack.pop()
        for i, x in enumerate(level):
            if isinstance(x, (list, tuple)):
                level[i] = list(x)
                stack.append(level[i])
            else:
                level[i] = number(x)
    return root


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    return _finish(as_array(data, dtype), device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor) and (dtype is None or dtype is data.dtype):
        return data
    if isinstance(data, np.ndarray) and dtype is None and backend.resolve(device) is backend.CPU:
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(array):
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dtypes.from_numpy_dtype(array.dtype)
    if any(s < 0 for s in array.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    return Tensor._make(array)


def legacy_new(cls, *args, **kwargs):
    """``torch.Tensor(data)`` or ``torch.Tensor(*sizes)``: float32, as PyTorch's."""
    if len(args) == 1 and not isinstance(args[0], int):
        return Tensor._make(as_array(args[0], dtypes.get_default_dtype()))
    return zeros(*args, **kwargs)


# ---------------------------------------------------------------- filled
def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (builtins.bool, np.bool_))


def _size(size, name="zeros", varargs=True):
    """The shape from ``*size`` or from one sequence, with PyTorch's argument errors: these
    name the function and check the first entry more strictly than the others."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
        if size and not _is_int(size[0]):
            raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, but "
                            f"found element of type {O.type_name(size[0])} at pos 0")
    elif size and (not _is_int(size[0]) or not varargs):
        if len(size) > 1 and name in ("rand", "randn"):
            raise _invalid_arguments(name, size, [
                "tuple of ints size, *, torch.Generator generator, ", "tuple of ints size, *, "])
        if len(size) > 1:
            raise TypeError(f"{name}() takes 1 positional argument but {len(size)} were given")
        raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{O.type_name(size[0])}")
    for pos, s in enumerate(size[1:], 2):
        if not isinstance(s, (int, np.integer)):
            raise TypeError(f"{name}(): argument 'size' failed to unpack the object at pos {pos} "
                            f'with error "type must be tuple of ints,but got {O.type_name(s)}"')
    for s in size:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(size)}")
    return tuple(int(s) for s in size)


def _invalid_arguments(name, args, signatures):
    """PyTorch's error for arguments that match none of a function's signatures, each given
    up to its keyword-only options."""
    tail = ("Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
            "torch.device device = None, bool pin_memory = False, bool requires_grad = False)")
    return TypeError(f"{name}() received an invalid combination of arguments - got "
                     f"({', '.join(O.type_name(a) for a in args)}), but expected one of:\n"
                     + "".join(f" * ({sig}{tail}\n" for sig in signatures))


def _shape_of(size):
    return tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size


def _filled(name, fill, size, dtype, device, requires_grad):
    dt = dtype or dtypes.get_default_dtype()
    return _finish(np.full(_size(size, name), fill, dtype=dt.np), device, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None):
    if any(isinstance(s, builtins.int) and s < 0 for s in _shape_of(size)):
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    return _filled("zeros", 0, size, dtype, device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, out=None):
    return _filled("ones", 1, size, dtype, device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False, out=None):
    return _filled("empty", 0, size, dtype, device, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    dt = dtype or dtypes.scalar_dtype(fill_value)
    return _finish(np.full(_size((size,), "full", varargs=False), fill_value, dtype=dt.np),
                   device, requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    if m is None and not _is_int(n):
        raise TypeError(f"eye(): argument 'n' (position 1) must be int, not {O.type_name(n)}")
    if m is not None and not (_is_int(n) and _is_int(m)):
        raise _invalid_arguments("eye", (n, m), ["int n, *, ", "int n, int m, *, "])
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    dt = dtype or dtypes.get_default_dtype()
    return _finish(np.eye(n, m, dtype=dt.np), device, requires_grad)


def _like(make):
    def like(t, *, dtype=None, device=None, requires_grad=False, **kwargs):
        return make(*t.shape, dtype=dtype or t.dtype, device=device or t.device,
                    requires_grad=requires_grad, **kwargs)
    like.__name__ = make.__name__ + "_like"
    return like


zeros_like = _like(zeros)
ones_like = _like(ones)
empty_like = _like(empty)


def full_like(t, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(tuple(t.shape), fill_value, dtype=dtype or t.dtype, device=device or t.device,
                requires_grad=requires_grad)


# ---------------------------------------------------------------- ranges
def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    start, end, step = (v.item() if isinstance(v, Tensor) and v.ndim == 0 else v
                        for v in (start, end, step))
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    all_int = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
    dt = dtype or (dtypes.int64 if all_int else dtypes.get_default_dtype())
    n = int(np.ceil((end - start) / step))
    values = start + np.arange(n, dtype=np.float64 if not all_int else np.int64) * step
    return _finish(values.astype(dt.np), device, requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    if not (_is_int(steps) or isinstance(steps, Tensor)):
        raise _invalid_arguments("linspace", (start, end, steps), [
            f"{a} start, {b} end, int steps, *, "
            for a, b in [("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"),
                         ("Number", "Number")]])
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = dtype or dtypes.get_default_dtype()
    if steps == 1:
        values = np.array([start], dtype=np.float64)
    elif dt.is_floating_point and dt.itemsize == 2:
        values = _half_linspace(start, end, steps, dt.np)
    else:
        # PyTorch steps from both ends towards the middle, each element one fused
        # multiply-add (start + step*i, or end - step*(steps-1-i)) in the output's precision.
        work = dt.np.type if dt.is_floating_point else np.float64
        if not dt.is_floating_point:  # integer outputs start from the ends cast to integers
            start, end = int(start), int(end)
        step = (work(end) - work(start)) / work(steps - 1)
        i = np.arange(steps)
        values = np.where(i < steps // 2, _fused(step, i, work(start)),
                          _fused(-step, steps - 1 - i, work(end)))
    return _finish(values.astype(dt.np), device, requires_grad)


def _fused(a, i, c):
    """``a*i + c`` rounded once, as a fused multiply-add gives it. A wider type holds the
    exact product (float32 in float64; float64 in numpy's longdouble, exact enough for
    the lengths tensors are printed at)."""
    wide = np.float64 if a.dtype == np.float32 else np.longdouble
    return (wide(a) * i + wide(c)).astype(a.dtype)


def _half_linspace(start, end, steps, half):
    """float16 and bfloat16 do each operation in float32 and round after it, unfused."""
    def r(x):
        return np.asarray(x, np.float32).astype(half).astype(np.float32)
    step = r((r(end) - r(start)) / r(steps - 1))
    i = np.arange(steps)
    return np.where(i < steps // 2, r(r(step * r(i)) + r(start)),
                    r(r(end) - r(step * r(steps - 1 - i))))


# ---------------------------------------------------------------- random
def _rng(generator):
    return (generator or default_generator).rng


def _check_random(dt, kernel):
    """PyTorch has no random kernel for integer and bool dtypes."""
    if dt.category < 2:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{O.dtype_name(dt)}\'')


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False):
    dt = dtype or dtypes.get_default_dtype()
    _check_random(dt, "check_uniform_bounds")
    draw = _rng(generator).random(_size(size, "rand"),
                                  dtype=np.float64 if dt.itemsize == 8 else np.float32)
    return _finish(draw.astype(dt.np, copy=False), device, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False):
    dt = dtype or dtypes.get_default_dtype()
    _check_random(dt, "normal_kernel_cpu")
    draw = _rng(generator).standard_normal(_size(size, "randn"),
                                           dtype=np.float64 if dt.itemsize == 8 else np.float32)
    return _finish(draw.astype(dt.np, copy=False), device, requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False):
    if high is None:
        low, high = 0, low
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    dt = dtype or dtypes.int64
    draw = _rng(generator).integers(low, high, _size((size,)))
    return _finish(draw.astype(dt.np), device, requires_grad)


def rand_like(t, *, dtype=None, device=None, requires_grad=False):
    return rand(*t.shape, dtype=dtype or t.dtype, device=device or t.device,
                requires_grad=requires_grad)


def randn_like(t, *, dtype=None, device=None, requires_grad=False):
    return randn(*t.shape, dtype=dtype or t.dtype, device=device or t.device,
                 requires_grad=requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None):
    return _finish(_rng(generator).permutation(n).astype((dtype or dtypes.int64).np), device,
                   False)
