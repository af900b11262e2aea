"""PyTorch's dtypes: names, aliases, defaults and type promotion.

Every dtype maps onto a numpy dtype (bfloat16 through ``ml_dtypes``). Promotion follows
PyTorch, not numpy: an integer tensor times a Python float is float32, float16 with
bfloat16 is float32, and 0-dim tensors and Python scalars only win when they belong to a
higher category (bool < integer < floating < complex).
"""
import builtins

import ml_dtypes
import numpy as np


class dtype:
    """A tensor element type, printed as PyTorch prints it (``torch.float32``)."""

    __slots__ = ("name", "np", "is_floating_point", "is_complex", "is_signed", "itemsize",
                 "tensor_type", "_rank", "category")

    def __init__(self, name, np_dtype, tensor_type, rank):
        self.name = name
        self.np = np.dtype(np_dtype)
        kind = "f" if name == "bfloat16" else self.np.kind
        self.is_floating_point = kind == "f"
        self.is_complex = kind == "c"
        self.is_signed = kind in "ifc"
        self.itemsize = self.np.itemsize
        self.tensor_type = tensor_type
        self._rank = rank
        # 0 bool, 1 integer, 2 floating, 3 complex
        self.category = 3 if self.is_complex else 2 if self.is_floating_point else \
            0 if name == "bool" else 1

    def to_complex(self):
        return complex128 if self is float64 else complex64

    def to_real(self):
        return {complex64: float32, complex128: float64}.get(self, self)

    def __repr__(self):
        return f"torch.{self.name}"

    def __reduce__(self):
        return self.name


float32 = dtype("float32", np.float32, "FloatTensor", 7)
float64 = dtype("float64", np.float64, "DoubleTensor", 8)
float16 = dtype("float16", np.float16, "HalfTensor", 5)
bfloat16 = dtype("bfloat16", ml_dtypes.bfloat16, "BFloat16Tensor", 6)
complex64 = dtype("complex64", np.complex64, "ComplexFloatTensor", 9)
complex128 = dtype("complex128", np.complex128, "ComplexDoubleTensor", 10)
uint8 = dtype("uint8", np.uint8, "ByteTensor", 1)
int8 = dtype("int8", np.int8, "CharTensor", 1)
int16 = dtype("int16", np.int16, "ShortTensor", 2)
int32 = dtype("int32", np.int32, "IntTensor", 3)
int64 = dtype("int64", np.int64, "LongTensor", 4)
bool = dtype("bool", np.bool_, "BoolTensor", 0)  # noqa: A001 - PyTorch's name

ALL = (float32, float64, float16, bfloat16, complex64, complex128,
       uint8, int8, int16, int32, int64, bool)
ALIASES = {"float": float32, "double": float64, "half": float16, "cfloat": complex64,
           "cdouble": complex128, "short": int16, "int": int32, "long": int64}

_BY_NUMPY = {d.np: d for d in ALL}
_BY_TYPE_NAME = {d.tensor_type: d for d in ALL}
_default_float = float32


def get_default_dtype():
    return _default_float


def set_default_dtype(d):
    global _default_float
    if d not in (float32, float64, float16, bfloat16):
        raise TypeError("only floating-point types are supported as the default type")
    _default_float = d


def from_numpy_dtype(np_dtype):
    try:
        return _BY_NUMPY[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only "
            "supported types are: float64, float32, float16, complex64, complex128, int64, "
            "int32, int16, int8, uint8, and bool.") from None


def from_type_name(name):
    """``'torch.DoubleTensor'`` or ``'DoubleTensor'`` -> float64, as ``Tensor.type(str)``."""
    d = _BY_TYPE_NAME.get(name.removeprefix("torch."))
    if d is None:
        raise ValueError(f"invalid type: '{name}'")
    return d


def scalar_dtype(value):
    """The dtype PyTorch gives a Python scalar on its own (``tensor(2.5)`` -> float32)."""
    if isinstance(value, builtins.bool):
        return bool
    if isinstance(value, builtins.int):
        return int64
    if isinstance(value, complex):
        return _default_float.to_complex()
    return _default_float


def promote_types(a, b):
    """PyTorch's ``promote_types`` for two dtypes."""
    if a is b:
        return a
    if a.category != b.category:
        hi, lo = (a, b) if a.category > b.category else (b, a)
        if hi.is_complex and lo.is_floating_point and lo is float64:
            return complex128
        return hi
    if a.is_floating_point:
        if {a, b} == {float16, bfloat16}:
            return float32
        return a if a._rank > b._rank else b
    if a.is_complex:
        return complex128
    if a.category == 1:  # integers: numpy's rules (uint8 with int8 -> int16) are PyTorch's
        return from_numpy_dtype(np.promote_types(a.np, b.np))
    return a


def _combine(higher, lower):
    """Merge a higher-priority result with a lower one, as PyTorch's ResultTypeState."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(*operands):
    """The dtype of an elementwise op over tensors and Python scalars, as PyTorch picks it.

    Operands are tensors (anything with ``dtype`` and ``ndim``) or Python numbers.
    """
    dim = zero = wrapped = None
    for x in operands:
        d = getattr(x, "dtype", None)
        if d is None:
            d = scalar_dtype(x)
            wrapped = d if wrapped is None else promote_types(wrapped, d)
        elif x.ndim:
            dim = d if dim is None else promote_types(dim, d)
        else:
            zero = d if zero is None else promote_types(zero, d)
    return _combine(dim, _combine(zero, wrapped))


float = float32  # noqa: A001 - PyTorch's aliases
double = float64
half = float16
cfloat = complex64
cdouble = complex128
short = int16
int = int32  # noqa: A001
long = int64

# Python's types as dtypes, as PyTorch reads them in ``.to(float)`` and ``finfo(float)``
PYTHON_TYPES = {builtins.bool: bool, builtins.int: int64, builtins.float: float64,
                complex: complex128}


def _dtype_argument(fn, name, value, position=1):
    value = PYTHON_TYPES.get(value, value)
    if not isinstance(value, dtype):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be torch.dtype, "
                        f"not {type(value).__name__}")
    return value


class finfo:
    """``torch.finfo``: the limits of a floating-point dtype (of a complex one's parts)."""

    def __init__(self, type=None):  # noqa: A002 - PyTorch's name
        d = _default_float if type is None else _dtype_argument("finfo", "type", type)
        if not (d.is_floating_point or d.is_complex):
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        d = d.to_real() if d.is_complex else d
        info = ml_dtypes.finfo(d.np) if d is bfloat16 else np.finfo(d.np)
        self.bits, self.dtype = info.bits, d.name
        self.eps, self.max, self.min = builtins.float(info.eps), builtins.float(info.max), \
            builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.tiny)
        self.resolution = 10.0 ** -info.precision

    def __eq__(self, other):
        return isinstance(other, finfo) and other.dtype == self.dtype

    __hash__ = None

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """``torch.iinfo``: the limits of an integer dtype."""

    def __init__(self, type):  # noqa: A002 - PyTorch's name
        d = _dtype_argument("iinfo", "type", type)
        if d is bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if d.category != 1:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        info = np.iinfo(d.np)
        self.bits, self.min, self.max, self.dtype = info.bits, builtins.int(info.min), \
            builtins.int(info.max), d.name

    def __eq__(self, other):
        return isinstance(other, iinfo) and other.dtype == self.dtype

    __hash__ = None

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


def checked_promote_types(type1, type2):
    """``torch.promote_types``, with PyTorch's errors for what is not a dtype."""
    return promote_types(_dtype_argument("promote_types", "type1", type1),
                         _dtype_argument("promote_types", "type2", type2, 2))


def can_cast(from_, to):
    """``torch.can_cast``: whether PyTorch's same-kind rule allows the cast."""
    from_ = _dtype_argument("can_cast", "from_", from_)
    to = _dtype_argument("can_cast", "to", to, 2)
    if from_.is_complex and not to.is_complex:
        return False
    if from_.category == 2 and to.category < 2:
        return False
    return not (to is bool and from_ is not bool)
