"""The nodes of the nn layers that are more than compositions of other ops: layer and
batch normalization, padding and embedding lookup."""
import numpy as np

from engine import backend, dtypes
from engine.autograd.node import Function
from engine.ops import formula as F
from engine.ops import operands as O
from engine.tensor import Tensor


def _moments(x, dims, eps):
    """The mean and ``1 / sqrt(var + eps)`` of ``x`` over ``dims``, kept as size-1 dims,
    computed as PyTorch computes them (half floats in float32)."""
    x = O.opmath(x)
    mean = x.mean(dims, keepdims=True)
    centered = x - mean
    var = (centered * centered).mean(dims, keepdims=True)
    return mean, 1 / np.sqrt(var + eps)


def _normalized_backward(x, grad, weight, dims, eps):
    """The gradient of ``(x - mean) * rstd`` (times ``weight``) with respect to ``x``, with
    the moments recomputed from ``x`` by engine ops, so that it differentiates again."""
    mean = x.mean(dims, keepdim=True)
    centered = x - mean
    rstd = ((centered * centered).mean(dims, keepdim=True) + eps).rsqrt()
    xhat = centered * rstd
    g = grad if weight is None else grad * weight
    return rstd * (g - g.mean(dims, keepdim=True) - xhat * (g * xhat).mean(dims, keepdim=True)), \
        xhat


class NativeLayerNormBackward0(Function):
    @staticmethod
    def forward(ctx, a, weight, bias, normalized_shape, eps):
        x = a._data
        dims = tuple(range(x.ndim - len(normalized_shape), x.ndim))
        mean, rstd = _moments(x, dims, eps)
        out = (O.opmath(x) - mean) * rstd
        if weight is not None:
            out = out * weight._data
        if bias is not None:
            out = out + bias._data
        ctx.save(input=a, normalized_shape=tuple(normalized_shape), weight=weight, bias=bias,
                 result1=Tensor._make(mean.astype(x.dtype)),
                 result2=Tensor._make(rstd.astype(x.dtype)))
        ctx.eps = eps  # kept for backward; PyTorch's node shows no eps
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, weight, shape = ctx.unpack("input", "weight", "normalized_shape")
        eps = ctx.eps
        dims = tuple(range(x.ndim - len(shape), x.ndim))
        grad_x, xhat = _normalized_backward(x, grad, weight, dims, eps)
        lead = tuple(range(x.ndim - len(shape)))
        return (grad_x if ctx.needs_grad(0) else None,
                (grad * xhat).sum(lead) if ctx.needs_grad(1) else None,
                grad.sum(lead) if ctx.needs_grad(2) else None)


def _channel_shape(ndim, channels):
    return (1, channels) + (1,) * (ndim - 2)


class NativeBatchNormBackward0(Function):
    """Normalizes over every dim but the channels (dim 1): with the batch's moments in
    training, updating the running ones in place; otherwise with the running ones."""

    @staticmethod
    def forward(ctx, a, weight, bias, running_mean, running_var, training, momentum, eps):
        x = a._data
        channels = x.shape[1] if x.ndim > 1 else x.shape[0]
        for name, stat in (("running_mean", running_mean), ("running_var", running_var)):
            if stat is not None and stat.numel() != channels:
                raise RuntimeError(f"{name} should contain {channels} elements not "
                                   f"{stat.numel()}")
        shape = _channel_shape(x.ndim, channels)
        dims = tuple(d for d in range(x.ndim) if d != 1)
        if training:
            mean, invstd = _moments(x, dims, eps)
            n = x.size // channels
            if running_mean is not None:
                running_mean._data[...] = ((1 - momentum) * running_mean._data
                                           + momentum * mean.reshape(-1))
                running_mean._version_counter[0] += 1
            if running_var is not None:
                var = (1 / invstd ** 2 - eps).reshape(-1) * (n / max(n - 1, 1))
                running_var._data[...] = (1 - momentum) * running_var._data + momentum * var
                running_var._version_counter[0] += 1
            saved_mean, saved_invstd = mean.reshape(-1), invstd.reshape(-1)
        else:
            mean = running_mean._data.reshape(shape)
            invstd = 1 / np.sqrt(O.opmath(running_var._data).reshape(shape) + eps)
            saved_mean = saved_invstd = np.zeros_like(x, shape=(0,))
        out = (O.opmath(x) - mean) * invstd
        if weight is not None:
            out = out * weight._data.reshape(shape)
        if bias is not None:
            out = out + bias._data.reshape(shape)
        ctx.save(input=a, weight=weight, running_mean=running_mean, running_var=running_var,
                 result1=Tensor._make(saved_mean.astype(x.dtype)),
                 result2=Tensor._make(saved_invstd.astype(x.dtype)), training=training,
                 eps=eps)
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, weight, running_var, training, eps = ctx.unpack(
            "input", "weight", "running_var", "training", "eps")
        shape = _channel_shape(x.ndim, x.shape[1])
        dims = tuple(d for d in range(x.ndim) if d != 1)
        w = None if weight is None else weight.reshape(shape)
        if training:
            grad_x, xhat = _normalized_backward(x, grad, w, dims, eps)
        else:
            mean, var = ctx.unpack("running_mean").reshape(shape), running_var.reshape(shape)
            invstd = (var + eps).rsqrt()
            xhat = (x - mean) * invstd
            grad_x = grad * invstd if w is None else grad * (w * invstd)
        return (grad_x if ctx.needs_grad(0) else None,
                (grad * xhat).sum(dims) if ctx.needs_grad(1) else None,
                grad.sum(dims) if ctx.needs_grad(2) else None)


class ConstantPadNdBackward0(Function):
    """``pad`` lists (before, after) pairs from the last dim backwards; a negative amount
    crops. Backward is the same op with the amounts negated."""

    @staticmethod
    def forward(ctx, a, pad, value=0):
        ctx.save(pad=tuple(pad))
        x = a._data
        shape, source, target = list(x.shape), [slice(None)] * x.ndim, [slice(None)] * x.ndim
        for i in range(len(pad) // 2):
            dim = x.ndim - 1 - i
            before, after = pad[2 * i], pad[2 * i + 1]
            size = shape[dim] + before + after
            if size < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
            start, stop = max(-before, 0), shape[dim] - max(-after, 0)
            kept = max(stop - start, 0)
            source[dim] = slice(start, start + kept)
            target[dim] = slice(max(before, 0), max(before, 0) + kept)
            shape[dim] = size
        out = np.full_like(x, value, shape=shape)
        out[tuple(target)] = x[tuple(source)]
        return out

    @staticmethod
    def backward(ctx, grad):
        return (ConstantPadNdBackward0.apply(grad, pad=tuple(-n for n in ctx.unpack("pad"))),)


class _EdgePad(Function):
    """Pads the last 1, 2 or 3 dims with the input's own values: each padded element copies
    the one ``place(position, size)`` names."""

    place = undo = None

    @classmethod
    def forward(cls, ctx, a, padding):
        ctx.save(self=a, padding=padding)
        xp = backend.array_module(a._device)
        positions = [cls.place(np.arange(-padding[2 * j], size + padding[2 * j + 1]), size)
                     for j, size in enumerate(reversed(a.shape[a.ndim - len(padding) // 2:]))]
        ctx.key = (Ellipsis, *(xp.asarray(g) for g in np.ix_(*reversed(positions))))
        return a._data[ctx.key]

    @staticmethod
    def backward(ctx, grad):
        a, padding = ctx.unpack("self", "padding")
        return (type(ctx).undo.apply(grad, a, padding=padding, key=ctx.key),)


class _EdgePadBackward(Function):
    """The gradient of an edge pad: each padded element's gradient added back to the element
    it copies. Its second input, the padded tensor, takes no gradient from it."""

    pad = None

    @staticmethod
    def forward(ctx, grad, a, padding, key):
        ctx.save(padding=padding)
        out = backend.array_module(grad._device).zeros(a.shape, dtype=grad._data.dtype)
        backend.add_at(out, key, grad._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        return type(ctx).pad.apply(grad, padding=ctx.unpack("padding")), None


def _reflected(i, n):
    return (n - 1) - np.abs((n - 1) - np.abs(i))


def _replicated(i, n):
    return np.clip(i, 0, n - 1)


# PyTorch's nodes for reflect and replicate padding of 1, 2 and 3 dims (ReflectionPad1D-
# Backward0...), by mode and dims, each with its backward's node (...BackwardBackward0)
EDGE_PADS = {}
for _dims in (1, 2, 3):
    for _mode, _kind, _place in (("reflect", "Reflection", _reflected),
                                 ("replicate", "Replication", _replicated)):
        _name = f"{_kind}Pad{_dims}DBackward0"
        _pad = type(_name, (_EdgePad,), {"place": staticmethod(_place), "__module__": __name__})
        _pad.undo = type(_name[:-1] + "Backward0", (_EdgePadBackward,),
                         {"pad": _pad, "__module__": __name__})
        EDGE_PADS[_mode, _dims] = globals()[_name] = _pad
        globals()[_pad.undo.__name__] = _pad.undo


def edge_pad(a, padding, mode):
    """``pad`` in mode reflect or replicate, with PyTorch's checks."""
    k = len(padding) // 2
    nonempty = a.shape[1:] if a.ndim == k + 2 else a.shape
    if 0 in nonempty:
        raise RuntimeError(f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 "
                           "batch size and other non-zero dimensions for input, but got: "
                           f"{list(a.shape)}")
    shape = list(a.shape)
    for j in range(k):
        dim = a.ndim - 1 - j
        before, after = padding[2 * j], padding[2 * j + 1]
        if mode == "reflect" and not (before < a.shape[dim] and after < a.shape[dim]):
            raise RuntimeError(f"Argument #{4 + 2 * j}: Padding size should be less than the "
                               "corresponding input dimension, but got: padding "
                               f"({before}, {after}) at dimension {dim} of input "
                               f"{list(a.shape)}")
        shape[dim] += before + after
    if min(shape) < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(shape)}: "
                           f"{shape}")
    if mode == "replicate" and k == 1 and shape[-1] < 1:
        raise RuntimeError(f"input (W: {a.shape[-1]}) is too small. Calculated output W: "
                           f"{shape[-1]}")
    return EDGE_PADS[mode, k].apply(a, padding=padding)


class EmbeddingBackward0(Function):
    """The rows of ``weight`` at ``indices``; the weight is the only differentiable input.
    ``padding_idx`` is -1 for none, saved as PyTorch shows it (as an unsigned number)."""

    @staticmethod
    def forward(ctx, weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
        if indices.dtype not in (dtypes.int64, dtypes.int32):
            raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                               "following scalar types: Long, Int; but got "
                               f"{indices.type()} instead (while checking arguments for "
                               "embedding)")
        idx = indices._data
        if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
            raise IndexError("index out of range in self")
        ctx.save(indices=indices, padding_idx=padding_idx % 2 ** 64,
                 scale_grad_by_freq=scale_grad_by_freq, sparse=sparse,
                 weight_sym_argsize_0=weight.shape[0])
        ctx.padding = padding_idx
        return weight._data[idx]

    @staticmethod
    def backward(ctx, grad):
        indices, freq, rows = ctx.unpack("indices", "scale_grad_by_freq",
                                         "weight_sym_argsize_0")
        idx = indices.reshape(-1).long()
        g = grad.reshape(-1, grad.shape[-1])
        if ctx.padding >= 0:
            g = F.where((idx != ctx.padding).unsqueeze(1), g, 0)
        if freq:
            counts = np.bincount(idx._data, minlength=rows)[idx._data]
            g = g / Tensor._make(counts.astype(g._data.dtype)).unsqueeze(1)
        return (F.zeros_shaped(g, (rows, g.shape[1])).index_add(0, idx, g),)
