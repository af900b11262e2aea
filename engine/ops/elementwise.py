"""Elementwise ops of two operands: arithmetic, powers, maximum/minimum, where.

Each differentiable op is a node class named as PyTorch names it, forward above backward.
Backward formulas use engine ops, so they can be differentiated again; gradients are
reduced to each input's shape centrally, by the backward engine.
"""
import numpy as np

from engine import backend, dtypes
from engine.backend import quiet, quietly
from engine.autograd.node import OUTPUT, Function, SavedScalar
from engine.ops import formula as F
from engine.ops import operands as O
from engine.tensor import Tensor


# ---------------------------------------------------------------- binary arithmetic
class AddBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y, dt = O.binary(a, b)
        if alpha != 1:
            y = y * alpha
        ctx.save(alpha=alpha)
        return O.elementwise(np.add, a, b, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        alpha = ctx.unpack("alpha")
        return grad, (grad if alpha == 1 else grad * alpha)


class SubBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, b, alpha=1):
        x, y, dt = O.binary(a, b)
        mixed = a.dtype is not dt or isinstance(b, Tensor) and b.dtype is not dt
        if (mixed or dt is dtypes.bool) and (_is_bool(a) or _is_bool(b)):
            _refuse_bool_subtraction(a, b)
        if alpha != 1:
            y = y * alpha
        ctx.save(alpha=alpha)
        return O.elementwise(np.subtract, a, b, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.needs_grad(1):
            return grad, None
        alpha = ctx.unpack("alpha")
        return grad, -grad if alpha == 1 else grad * -alpha


def _is_bool(x):
    return isinstance(x, Tensor) and x.dtype is dtypes.bool


def _refuse_bool_subtraction(a, b):
    if _is_bool(a) and _is_bool(b):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If "
                       "you are trying to invert a mask, use the `~` or `logical_not()` "
                       "operator instead.")


class RsubBackward1(Function):
    """``scalar - tensor``: one slot, the scalar is a parameter."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, other, alpha=1):
        if _is_bool(a) or _is_bool(other):
            _refuse_bool_subtraction(a, other)
        x, y, dt = O.binary(a, other)
        ctx.save(alpha=alpha)
        return O.elementwise(np.subtract, other, a, y, x * alpha if alpha != 1 else x, dt)

    @staticmethod
    def backward(ctx, grad):
        alpha = ctx.unpack("alpha")
        return (-grad if alpha == 1 else grad * -alpha,)


class RsubBackward0(RsubBackward1):
    """``torch.rsub(a, b)``: ``b - alpha * a`` with two tensors, so two slots."""

    @staticmethod
    def backward(ctx, grad):
        alpha = ctx.unpack("alpha")
        return (-grad if alpha == 1 else grad * -alpha), grad


class MulBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = O.binary(a, b)
        if ctx.recording:
            ctx.save(self=a if getattr(b, "_requires_grad", False) else None,
                     other=_saved_operand(ctx, b))
        return O.elementwise(np.multiply, a, b, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        return (grad * F.conj(b),
                grad * a if ctx.needs_grad(1) else None)


class MulBackward1(Function):
    """``tensor * number`` as PyTorch's own composites record it (Python's ``*`` gives
    MulBackward0): the number is a parameter, with no ``next_functions`` slot."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, other):
        ctx.save(other=other)
        x, y, dt = O.binary(a, other)
        return O.elementwise(np.multiply, a, other, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        return (grad * ctx.unpack("other"),)


class DivBackward1(Function):
    """``tensor / number`` as PyTorch's own composites record it; see MulBackward1."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, other):
        ctx.save(other=other)
        x, y, dt = O.binary(a, other, floating=True)
        with quiet():
            return O.elementwise(np.true_divide, a, other, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        return (grad / ctx.unpack("other"),)


def _saved_operand(ctx, b):
    """A tensor operand as it is, a number as PyTorch keeps it: freed after backward."""
    if isinstance(b, Tensor):
        return b
    ctx._holds_saved = True
    return SavedScalar(b)


class DivBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a, b, rounding_mode=None):
        x, y, dt = O.binary(a, b, floating=rounding_mode is None)
        if ctx.recording:
            ctx.save(self=a if getattr(b, "_requires_grad", False) else None,
                     other=_saved_operand(ctx, b))
        with quiet():
            out = O.elementwise(np.true_divide, a, b, x, y, dt) if rounding_mode is None else \
                _rounded_divide(a, b, x, y, dt, rounding_mode)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        grad_a = grad / b
        return grad_a, (-grad_a * a / b if ctx.needs_grad(1) else None)


class DivBackward2(DivBackward0):
    """``div`` given a ``rounding_mode``, even None. Rounded quotients are flat between
    their jumps, so they pass no gradient."""

    @staticmethod
    def forward(ctx, a, b, rounding_mode):
        ctx.save(rounding_mode=rounding_mode)
        return DivBackward0.forward(ctx, a, b, rounding_mode)

    @staticmethod
    def backward(ctx, grad):
        if ctx.unpack("rounding_mode") is None:
            return DivBackward0.backward(ctx, grad)
        return F.zeros_like(grad), (F.zeros_like(grad) if ctx.needs_grad(1) else None)


def _rounded_divide(a, b, x, y, dt, mode):
    _check_integer_divisor(y, dt)
    if dt.category < 2:
        return O.elementwise(np.floor_divide if mode == "floor" else _trunc_div, a, b, x, y, dt)
    if mode == "floor":
        return O.elementwise(O.floor_divide_floats, a, b, x, y, dt)
    return np.trunc(O.elementwise(np.true_divide, a, b, x, y, dt))


def _trunc_div(x, y):
    return np.trunc(np.true_divide(x, y)).astype(np.result_type(x, y))


class ReciprocalBackward0(Function):
    array_backward = True

    @staticmethod
    def forward(ctx, a):
        ctx.save(result=OUTPUT)
        with quiet():
            return np.reciprocal(O.floating(a))

    @staticmethod
    def backward(ctx, grad):
        r = ctx.unpack("result")
        return (-grad * r * r,)


class RemainderBackward0(Function):
    @staticmethod
    def forward(ctx, a, other):
        x, y, dt = O.binary(a, other)
        return _remainder(a, other, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        return (grad,)


# ---------------------------------------------------------------- powers
class PowBackward0(Function):
    """``tensor ** scalar``."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, exponent):
        x, e, dt = O.binary(a, exponent)
        if dt.category == 1 and isinstance(exponent, int) and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        ctx.save(self=a, exponent=exponent)
        if exponent == 2 and dt.category >= 2:  # x * x, as PyTorch computes it
            return quietly(np.square, x)
        with quiet():
            return O.elementwise(np.power, a, exponent, x, e, dt)

    @staticmethod
    def backward(ctx, grad):
        a, e = ctx.unpack("self", "exponent")
        if e == 0:
            return (F.zeros_like(grad),)
        # PyTorch's association; a + a is 2 * a exactly, and cheaper on arrays
        return (grad * (e * a ** (e - 1) if e != 2 else a + a),)


class PowBackward1(Function):
    """``tensor ** tensor``."""

    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = O.binary(a, b)
        ctx.save(self=a, exponent=b, result=OUTPUT)
        with quiet():
            return _power(a, b, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        a, b, result = ctx.unpack("self", "exponent", "result")
        grad_a = where(b == 0, 0, grad * b * a.pow(b - 1)) if ctx.needs_grad(0) else None
        grad_b = None
        if ctx.needs_grad(1):  # d/db a**b = a**b log a, taken as 0 where a == 0 and b >= 0
            log_a = where((a == 0) & (b >= 0), zeros_like(a), a.log())
            grad_b = grad * result * log_a
        return grad_a, grad_b


def _power(a, b, x, y, dt):
    """``x ** y`` in ``dt``. Integer powers follow PyTorch, where a negative power of
    anything but 1 and -1 is 0 (numpy refuses negative integer powers)."""
    if dt.category == 1 and np.any(y < 0):
        x = backend.module_of(y).asarray(x)  # cupy takes no Python bool for a condition
        negative = y < 0
        of_unit = np.where(x == 1, 1, np.where(x == -1, 1 - 2 * (y & 1), 0))
        return np.where(negative, of_unit, np.power(x, np.where(negative, 0, y))).astype(dt.np)
    return O.elementwise(np.power, a, b, x, y, dt)


class PowBackward2(Function):
    """``scalar ** tensor``."""

    @staticmethod
    def forward(ctx, a, base):
        x, s, dt = O.binary(a, base)
        ctx.save(self=base, exponent=a, result=OUTPUT)
        with quiet():
            return _power(base, a, s, x, dt)

    @staticmethod
    def backward(ctx, grad):
        base, result = ctx.unpack("self", "result")
        return (grad * result * float(np.log(base)) if base != 0 else grad * 0,)


# ---------------------------------------------------------------- of two tensors
class MaximumBackward0(Function):
    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = O.binary(a, b)
        ctx.save(self=a, other=b)
        return O.elementwise(np.maximum, a, b, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        return _split_ties(grad, a < b, a > b, a == b)


class MinimumBackward0(Function):
    @staticmethod
    def forward(ctx, a, b):
        x, y, dt = O.binary(a, b)
        ctx.save(self=a, other=b)
        return O.elementwise(np.minimum, a, b, x, y, dt)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.unpack("self", "other")
        return _split_ties(grad, a > b, a < b, a == b)


def _broadcasts(*shapes):
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        return False
    return True


def _split_ties(grad, first_loses, second_loses, tie):
    """Gradient of max/min of two, by PyTorch's rule: none to the loser, half each on a tie,
    all of it to both where neither wins (a nan)."""
    shared = F.where(tie, grad / 2, grad)
    return F.where(first_loses, 0, shared), F.where(second_loses, 0, shared)


class WhereBackward0(Function):
    @staticmethod
    def forward(ctx, a, b, condition):
        x, y, dt = O.binary(a, b)
        ctx.save(condition=condition)
        try:
            out = np.where(condition._data, x, y)
        except ValueError:
            shapes = [O.shape_of(t) for t in (condition, a, b)]
            first, second = (1, 2) if _broadcasts(shapes[0], shapes[1]) else (0, 1)
            raise O.broadcast_error(shapes[first], shapes[second]) from None
        return out.astype(dt.np, copy=False)

    @staticmethod
    def backward(ctx, grad):
        cond = ctx.unpack("condition")
        zero = zeros_like(grad)
        return where(cond, grad, zero), where(cond, zero, grad)


class MaskedFillBackward0(Function):
    """``a.masked_fill(mask, value)`` with a number: value where ``mask`` holds."""

    array_backward = True

    @staticmethod
    def forward(ctx, a, value, mask):
        if mask.dtype is not dtypes.bool:
            from engine.ops.linalg import _CPP_NAMES
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with "
                               f"dtype {_CPP_NAMES[mask.dtype.name]}")
        O.check_same_device(a, mask)
        try:
            out = np.where(mask._data, O.cast(value, a.dtype), a._data)
        except ValueError:
            raise O.broadcast_error(tuple(mask.shape), tuple(a.shape)) from None
        ctx.save(mask=mask)
        return out.astype(a.dtype.np, copy=False)

    @staticmethod
    def backward(ctx, grad):
        return (F.where(ctx.unpack("mask"), 0, grad),)


class MaskedFillBackward1(MaskedFillBackward0):
    """``a.masked_fill(mask, value)`` with a 0-dim tensor, which takes a gradient too."""

    @staticmethod
    def backward(ctx, grad):
        mask = ctx.unpack("mask")
        return F.where(mask, 0, grad), F.where(mask, grad, 0).sum()


def masked_fill(a, mask, value):
    if not isinstance(value, Tensor):
        return MaskedFillBackward0.apply(a, value=value, mask=mask)
    if value.ndim:
        raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value.ndim} dimension(s).")
    return MaskedFillBackward1.apply(a, value, mask=mask)


class ZeroBackward0(Function):
    """``t.zero_()`` on a tensor in a graph: the gradient stops here."""

    @staticmethod
    def forward(ctx, a):
        return np.zeros_like(a._data)

    @staticmethod
    def backward(ctx, grad):
        return (zeros_like(grad),)


class FillBackward2(Function):
    """``t.fill_(value)`` with a number, on a tensor in a graph."""

    @staticmethod
    def forward(ctx, a, value):
        return np.full_like(a._data, value)

    @staticmethod
    def backward(ctx, grad):
        return (zeros_like(grad),)


class FillBackward3(Function):
    """``t.fill_(value)`` with a 0-dim tensor, which takes the gradient of every element."""

    @staticmethod
    def forward(ctx, a, value):
        return np.full_like(a._data, value._data)

    @staticmethod
    def backward(ctx, grad):
        return (zeros_like(grad) if ctx.needs_grad(0) else None), grad.sum()


# ---------------------------------------------------------------- functions
def add(a, b, *, alpha=1):
    return AddBackward0.apply(a, b) if alpha == 1 else AddBackward0.apply(a, b, alpha=alpha)


def sub(a, b, *, alpha=1):
    return SubBackward0.apply(a, b) if alpha == 1 else SubBackward0.apply(a, b, alpha=alpha)


def rsub(a, other, alpha=1):
    if isinstance(other, Tensor):
        return RsubBackward0.apply(a, other, alpha=alpha)
    return RsubBackward1.apply(a, other=other, alpha=alpha)


def mul(a, b):
    return MulBackward0.apply(a, b)


_NOT_GIVEN = object()


def div(a, b, *, rounding_mode=_NOT_GIVEN):
    if rounding_mode is _NOT_GIVEN:
        return DivBackward0.apply(a, b)
    if rounding_mode is not None and rounding_mode not in ("floor", "trunc"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    return DivBackward2.apply(a, b, rounding_mode=rounding_mode)


def rdiv(a, other):
    return mul(reciprocal(a), other)


def reciprocal(a):
    return ReciprocalBackward0.apply(a)


def floor_divide(a, b):
    _refuse_kernel("div_floor_cpu", a, b)
    from engine.autograd.grad_mode import no_grad
    with no_grad():  # PyTorch gives floor division no derivative
        return div(a, b, rounding_mode="floor")


def remainder(a, b):
    if isinstance(b, Tensor):
        x, y, dt = O.binary(a, b)
        return Tensor._make(_remainder(a, b, x, y, dt))
    return RemainderBackward0.apply(a, other=b)


def _remainder(a, b, x, y, dt):
    _refuse_kernel("remainder_cpu", a, b)
    _check_integer_divisor(y, dt)
    with quiet():
        return O.elementwise(np.remainder, a, b, x, y, dt)


def _check_integer_divisor(y, dt):
    """PyTorch's error for an integer division by zero (floats give inf or nan)."""
    if dt.category < 2 and np.any(y == 0):
        raise RuntimeError("ZeroDivisionError")


def _refuse_kernel(kernel, a, b):
    """PyTorch has no kernel for complex operands, nor for two bool tensors, here."""
    dts = [x.dtype for x in (a, b) if isinstance(x, Tensor)]
    for dt in dts:
        if dt.is_complex:
            raise NotImplementedError(f'"{kernel}" not implemented for \'{O.dtype_name(dt)}\'')
    if len(dts) == 2 and dts[0] is dts[1] is dtypes.bool:
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')


def pow(a, exponent):  # noqa: A001 - PyTorch's name
    if not isinstance(a, Tensor):
        return PowBackward2.apply(exponent, base=a)
    if isinstance(exponent, Tensor):
        if a.dtype is exponent.dtype is dtypes.bool:
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
        return PowBackward1.apply(a, exponent)
    return PowBackward0.apply(a, exponent=exponent)


def square(a):
    return pow(a, 2)


def maximum(a, b):
    return MaximumBackward0.apply(*_extremum_operands("maximum", a, b))


def minimum(a, b):
    return MinimumBackward0.apply(*_extremum_operands("minimum", a, b))


def _extremum_operands(name, a, b):
    """PyTorch's maximum and minimum take two real tensors."""
    if not isinstance(b, Tensor):
        raise O.not_a_tensor(name, "other", 2, b)
    if a.dtype.is_complex or b.dtype.is_complex:
        raise RuntimeError(f"{name} not implemented for complex tensors.")
    return a, b


def nonzero(a, *, as_tuple=False):
    """The indices of the non-zero elements: one row each, or one tensor per dim."""
    if as_tuple:
        found = np.nonzero(a._data if a.ndim else a._data.reshape(1))
        return tuple(Tensor._make(i.astype(np.int64, copy=False)) for i in found)
    if not a.ndim:  # one row of no indices, if the element is not zero
        return Tensor._make(np.zeros((int(np.count_nonzero(a._data)), 0), np.int64))
    return Tensor._make(np.argwhere(a._data).astype(np.int64, copy=False))


def where(condition, a=None, b=None):
    if a is None and b is None:  # where(condition) is nonzero(condition, as_tuple=True)
        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor) or condition.dtype is not dtypes.bool:
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {O.dtype_name(condition.dtype)}")
    return WhereBackward0.apply(a, b, condition=condition)


def zeros_like(a, dtype=None):
    return Tensor._make(np.zeros_like(a._data, dtype=(dtype or a.dtype).np))


def ones_like(a, dtype=None):
    return Tensor._make(np.ones_like(a._data, dtype=(dtype or a.dtype).np))
