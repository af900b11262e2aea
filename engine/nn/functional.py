"""``torch.nn.functional``: activations, ``linear``, the losses, dropout, padding, embedding
and normalization."""
import math
import warnings

import numpy as np

from engine import backend, dtypes
from engine.ops import activation as A
from engine.ops import creation
from engine.ops import elementwise as E
from engine.ops import linalg as L
from engine.ops import loss as losses
from engine.ops import operands as O
from engine.ops import pairwise as W
from engine.ops import reduce as R
from engine.ops import unary as U
from engine.ops.indexing import SliceBackward0
from engine.ops.layers import (ConstantPadNdBackward0, EmbeddingBackward0,
                               NativeBatchNormBackward0, NativeLayerNormBackward0, edge_pad)
from engine.tensor import Tensor
from engine.tensor_methods import _inplace

relu, tanh, sigmoid = U.relu, U.tanh, U.sigmoid
_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def softplus(input, beta=1, threshold=20):  # noqa: A002 - PyTorch's argument name
    return A.softplus(input, beta, threshold)


def gelu(input, *, approximate="none"):  # noqa: A002
    return A.gelu(input, approximate)


def leaky_relu(input, negative_slope=0.01, inplace=False):  # noqa: A002
    if inplace:
        return leaky_relu_(input, negative_slope)
    return A.leaky_relu(input, negative_slope)


def leaky_relu_(input, negative_slope=0.01):  # noqa: A002
    return _inplace(input, A.LeakyReluBackward1.apply, negative_slope=negative_slope)


def elu(input, alpha=1.0, inplace=False):  # noqa: A002
    return elu_(input, alpha) if inplace else A.elu(input, alpha)


def elu_(input, alpha=1):  # noqa: A002
    return _inplace(input, A.EluBackward1.apply, alpha=alpha)


def silu(input, inplace=False):  # noqa: A002
    return _inplace(input, A.silu) if inplace else A.silu(input)


def softmax(input, dim=None, dtype=None):  # noqa: A002 - PyTorch's argument name
    return R.softmax(input, _softmax_dim("softmax", input, dim), dtype)


def log_softmax(input, dim=None, dtype=None):  # noqa: A002
    return R.log_softmax(input, _softmax_dim("log_softmax", input, dim), dtype)


def softmin(input, dim=None, dtype=None):  # noqa: A002
    return R.softmax(-input, _softmax_dim("softmin", input, dim), dtype)


def _softmax_dim(name, input, dim):  # noqa: A002
    """The dim given, or PyTorch's old implicit choice, with its deprecation warning."""
    if dim is not None:
        return dim
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", UserWarning, stacklevel=3)
    return 0 if input.ndim in (0, 1, 3) else 1


def linear(input, weight, bias=None):  # noqa: A002
    """``input @ weight.T + bias``, recorded with the nodes PyTorch records."""
    if input.ndim == 2 and bias is not None:
        return L.addmm(bias, input, weight.t())
    if input.ndim == 1 and bias is not None:
        return L.addmm(bias, input.unsqueeze(0), weight.t()).view(weight.shape[0])
    out = L.matmul(input, weight.t())
    return out if bias is None else out + bias


def _legacy_reduction(size_average, reduce, reduction):
    """``reduction``, or what PyTorch's deprecated ``size_average``/``reduce`` stand for."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn("size_average and reduce args will be deprecated, please use "
                  f"reduction='{reduction}' instead.", UserWarning, stacklevel=3)
    return reduction


def _reduction_code(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _REDUCTIONS[reduction]


def _reduce(values, code):
    if code == 1:
        return values.mean()
    if code == 2:
        return values.sum()
    return values


def _broadcast_together(input, target):  # noqa: A002
    """Input and target expanded to one shape, with PyTorch's warning that they differ."""
    shapes = input._data.shape, target._data.shape
    if shapes[0] == shapes[1]:
        return input, target
    warnings.warn(f"Using a target size ({target.shape!r}) that is different to the input "
                  f"size ({input.shape!r}). This will likely lead to incorrect results due "
                  "to broadcasting. Please ensure they have the same size.", UserWarning,
                  stacklevel=3)
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise O.broadcast_error(*shapes) from None
    return tuple(t if t._data.shape == shape else t.expand(shape) for t in (input, target))


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):  # noqa: A002
    reduction = _legacy_reduction(size_average, reduce, reduction)
    input, target = _broadcast_together(input, target)
    return losses.MseLossBackward0.apply(input, target, reduction=_reduction_code(reduction))


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):  # noqa: A002
    reduction = _legacy_reduction(size_average, reduce, reduction)
    input, target = _broadcast_together(input, target)
    return _reduce((input - target).abs(), _reduction_code(reduction))


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100,  # noqa: A002
             reduce=None, reduction="mean"):
    """PyTorch's node for the input's dims: NllLossBackward0 for (C) and (N, C),
    NllLoss2DBackward0 for (N, C, H, W), and that over a view (N, C, 1, d) for the others."""
    code = _reduction_code(_legacy_reduction(size_average, reduce, reduction))
    _check_nll(input, target, weight)
    node = losses.NllLossBackward0 if input.ndim <= 2 else losses.NllLoss2DBackward0
    if input.ndim <= 2 or input.ndim == 4:
        return node.apply(input, target=target, weight=weight, reduction=code,
                          ignore_index=ignore_index)
    n, c = input.shape[:2]
    flat = (n, c, 1, -1) if input.numel() else (n, c, 0, 0)
    out = node.apply(input.contiguous().view(flat),
                     target=target.contiguous().view(flat[:1] + flat[2:]), weight=weight,
                     reduction=code, ignore_index=ignore_index)
    return out.view((n, *input.shape[2:])) if code == 0 else out


def _check_nll(input, target, weight):  # noqa: A002
    """PyTorch's checks of nll_loss's arguments, in its order."""
    if input.ndim <= 2 and target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if target.dtype not in (dtypes.int64, dtypes.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           f"{O.dtype_name(target.dtype)}")
    if input.ndim == 2 and target.shape[:1] != input.shape[:1]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0] if target.ndim else 1}).")
    if input.ndim > 2 and tuple(target.shape) != (input.shape[0], *input.shape[2:]):
        if input.ndim == 4:
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)} , target: "
                               f"{list(target.shape)}")
        raise RuntimeError(f"Expected target size {[input.shape[0], *input.shape[2:]]}, got "
                           f"{list(target.shape)}")
    if weight is not None:
        classes = input.shape[1 if input.ndim > 1 else 0]
        if weight.numel() != classes:
            raise RuntimeError(f"weight tensor should be defined either for all {classes} "
                               "classes or no classes but got weight tensor of shape: "
                               f"{list(weight.shape)}")
        losses._check_no_grad("nll_loss_forward", weight=weight)
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {O.dtype_name(input.dtype)} but found "
                               f"{O.dtype_name(weight.dtype)}")


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,  # noqa: A002
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """``nll_loss`` of ``log_softmax``, or for targets of class probabilities, their
    product with it; label smoothing mixes in the loss of a uniform target. Made of the ops
    PyTorch's is made of, so the graph shows the same nodes."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing:g}")
    class_dim = 1 if input.ndim > 1 else 0
    logp = log_softmax(input, class_dim)
    classes = input.shape[class_dim]
    # the weight along the class dim of the scores
    spread = None if weight is None else weight.view(
        [classes if d == class_dim else 1 for d in range(input.ndim)])
    if tuple(target.shape) == tuple(input.shape) and target.dtype.is_floating_point:
        if ignore_index != -100:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if label_smoothing:
            target = target * (1 - label_smoothing) + label_smoothing / classes
        products = logp * target if spread is None else logp * target * spread
        if reduction == "none":
            return -products.sum(class_dim)
        if reduction == "sum":
            return -products.sum()
        return E.DivBackward1.apply(-products.sum(), other=input.numel() // classes)
    loss = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if not label_smoothing:
        return loss
    smooth = -(logp if spread is None else logp * spread).sum(class_dim)
    ignored = target == ignore_index
    smooth.masked_fill_(ignored, 0.0)
    if reduction == "mean":
        taken = (~ignored).sum() if weight is None else \
            weight.gather(0, target.masked_select(~ignored).flatten()).sum()
        smooth = smooth.sum() / taken
    elif reduction == "sum":
        smooth = smooth.sum()
    return E.MulBackward1.apply(loss, other=1 - label_smoothing) + \
        E.MulBackward1.apply(smooth, other=label_smoothing / classes)


# ---------------------------------------------------------------- more losses, dropout, one_hot,
# normalize, pad, embedding and normalization


def binary_cross_entropy(input, target, weight=None, size_average=None,  # noqa: A002
                         reduce=None, reduction="mean"):
    code = _reduction_code(_legacy_reduction(size_average, reduce, reduction))
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape!r}) that is different to the "
                         f"input size ({input.shape!r}) is deprecated. Please ensure they "
                         "have the same size.")
    if weight is not None:
        try:
            shape = np.broadcast_shapes(tuple(target.shape), tuple(weight.shape))
        except ValueError:
            raise O.broadcast_error(tuple(target.shape), tuple(weight.shape)) from None
        weight = weight.expand(shape)
    return losses.BinaryCrossEntropyBackward0.apply(input, target, weight=weight,
                                                    reduction=code)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,  # noqa: A002
                                     reduce=None, reduction="mean", pos_weight=None):
    code = _reduction_code(_legacy_reduction(size_average, reduce, reduction))
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape!r}) must be the same as input size "
                         f"({input.shape!r})")
    return losses.BinaryCrossEntropyWithLogitsBackward0.apply(
        input, target, weight=weight, pos_weight=pos_weight, reduction=code)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):  # noqa: A002
    input, target = _broadcast_together(input, target)
    if weight is None:
        code = _reduction_code(reduction)
        if delta <= 0:
            raise RuntimeError("huber_loss does not support non-positive values for delta.")
        return losses.HuberLossBackward0.apply(input, target, reduction=code, delta=delta)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    weighted = huber_loss(input, target, "none", delta) * weight
    if reduction not in _REDUCTIONS:
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', "
                         "'mean', 'sum'.")
    return _reduce(weighted, _REDUCTIONS[reduction])


def smooth_l1_loss(input, target, size_average=None, reduce=None,  # noqa: A002
                   reduction="mean", beta=1.0):
    input, target = _broadcast_together(input, target)
    code = _reduction_code(_legacy_reduction(size_average, reduce, reduction))
    if beta == 0:
        return _reduce((input - target).abs(), code)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return losses.SmoothL1LossBackward0.apply(input, target, reduction=code, beta=beta)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean",  # noqa: A002
           log_target=False):
    """PyTorch's composite: ``target * (log(target) - input)`` summed as ``reduction`` says;
    ``'batchmean'`` divides the sum by the batch size."""
    if size_average is not None or reduce is not None:
        code = _reduction_code(_legacy_reduction(size_average, reduce, reduction))
    else:
        if reduction == "mean":
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and "
                          "the support size.'batchmean' divides only by the batch size, and "
                          "aligns with the KL div math definition.'mean' will be changed to "
                          "behave the same as 'batchmean' in the next major release.",
                          UserWarning, stacklevel=2)
        code = _reduction_code("sum" if reduction == "batchmean" else reduction)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = W.xlogy(target, target) - target * input
    loss = _reduce(loss, code)
    if reduction == "batchmean" and input.ndim:
        loss = loss / creation.tensor(input.shape[0], device=input.device)
    return loss


def _check_probability(p):
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input, p=0.5, training=True, inplace=False):  # noqa: A002
    """Zeroes each element with probability ``p`` and scales the rest by ``1 / (1 - p)``,
    as PyTorch's CPU kernel does: ``input * mask``, recorded as ``MulBackward0``."""
    _check_probability(p)
    if not training or p == 0:
        return input
    if p == 1:
        noise = creation.zeros((), dtype=input.dtype, device=input.device)
    else:
        keep = creation._rng(None).random(tuple(input.shape)) < 1 - p
        noise = creation.tensor(keep.astype(input._data.dtype) / (1 - p), dtype=input.dtype,
                                 device=input.device)
    return input.mul_(noise) if inplace else input * noise


def one_hot(tensor, num_classes=-1):
    if tensor.dtype is not dtypes.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    values = tensor._data
    if values.size == 0 and num_classes <= 0:
        raise RuntimeError("Can not infer total number of classes from empty tensor.")
    if num_classes == -1:
        num_classes = int(values.max()) + 1
    if values.size and values.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if values.size and values.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    classes = backend.array_module(tensor.device).arange(num_classes)
    return Tensor._make((values[..., None] == classes).astype(np.int64))


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):  # noqa: A002
    """``input`` over its ``p``-norms along ``dim``, each at least ``eps``."""
    if out is not None:
        raise NotImplementedError("normalize(out=) is not supported")
    return input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)


def pad(input, pad, mode="constant", value=None):  # noqa: A002
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the "
                           f"input dimension but got padding length {len(pad)} and input of "
                           f"dimension {input.ndim}")
    if mode == "constant":
        return ConstantPadNdBackward0.apply(input, pad=tuple(pad), value=value or 0)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pad) // 2
    if not (1 <= k <= 3 and input.ndim in (k + 1, k + 2)):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    if mode == "circular":
        return _pad_circular(input, tuple(pad))
    return edge_pad(input, tuple(pad), mode)


def _pad_circular(a, pad):
    """Circular padding made as PyTorch makes it, so the graph shows its nodes: the input
    copied into the middle of an empty tensor (CopySlices over SliceBackward0), then each
    padded side copied from the far end of the result, dim by dim from the last."""
    k = len(pad) // 2
    dims = [a.ndim - 1 - j for j in range(k)]
    shape = list(a.shape)
    for j, d in enumerate(dims):
        if pad[2 * j] > a.shape[d] or pad[2 * j + 1] > a.shape[d]:
            raise RuntimeError("Padding value causes wrapping around more than once.")
        shape[d] += pad[2 * j] + pad[2 * j + 1]
        if shape[d] < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
    out = creation.empty(*shape, dtype=a.dtype, device=a.device)
    middle, source = out, a
    for j, d in enumerate(dims):
        before, after = pad[2 * j], pad[2 * j + 1]
        middle = _slice(middle, d, max(before, 0), shape[d] - max(after, 0))
        source = _slice(source, d, max(-before, 0), a.shape[d] - max(-after, 0))
    middle.copy_(source)
    for j, d in enumerate(dims):
        before, after = pad[2 * j], pad[2 * j + 1]
        if before > 0:
            end = shape[d] - max(after, 0)
            _slice(out, d, 0, before).copy_(_slice(out, d, end - before, end))
        if after > 0:
            start = max(before, 0)
            _slice(out, d, shape[d] - after, shape[d]).copy_(_slice(out, d, start, start + after))
    return out


def _slice(a, dim, start, end):
    """``a`` sliced along ``dim``, recorded even where the slice is whole, as PyTorch's own
    code records it."""
    return SliceBackward0.apply(a, dim=dim, start=start, end=end, step=1)


def _padding_index(padding_idx, rows):
    """``padding_idx`` counted from the front, with PyTorch's check; -1 for none."""
    if padding_idx is None:
        return -1
    if padding_idx > 0:
        assert padding_idx < rows, "Padding_idx must be within num_embeddings"
    elif padding_idx < 0:
        assert padding_idx >= -rows, "Padding_idx must be within num_embeddings"
        padding_idx += rows
    return padding_idx


def _renorm_rows(weight, indices, max_norm, norm_type):
    """Scale the rows of ``weight`` that ``indices`` use down to norm ``max_norm``, in place
    and outside the graph, as PyTorch's ``max_norm`` does."""
    rows = np.unique(indices._data)
    w = weight._data
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
    over = norms > max_norm
    w[rows[over]] *= (max_norm / (norms[over] + 1e-7))[:, None].astype(w.dtype)
    weight._version_counter[0] += 1


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,  # noqa: A002
              scale_grad_by_freq=False, sparse=False):
    padding_idx = _padding_index(padding_idx, weight.shape[0])
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if max_norm is not None:
        _renorm_rows(weight, input, max_norm, norm_type)
    return EmbeddingBackward0.apply(weight, indices=input, padding_idx=padding_idx,
                                    scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def _shape_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):  # noqa: A002
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple "
                        f"of ints, not {type(normalized_shape).__name__}")
    shape = tuple(normalized_shape)
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           "containing at least one element, but got normalized_shape = []")
    for name, param in (("weight", weight), ("bias", bias)):
        if param is not None and tuple(param.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {_shape_text(param.shape)} and "
                               f"normalized_shape = {_shape_text(shape)}")
    if len(shape) > input.ndim or tuple(input.shape[input.ndim - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={_shape_text(shape)}, expected input with "
                           f"shape [*, {', '.join(str(s) for s in shape)}], but got input of "
                           f"size{_shape_text(input.shape)}")
    return NativeLayerNormBackward0.apply(input, weight, bias, normalized_shape=shape, eps=eps)


def batch_norm(input, running_mean, running_var, weight=None, bias=None,  # noqa: A002
               training=False, momentum=0.1, eps=1e-5):
    if training:
        size = tuple(input.shape)
        if size[0] * math.prod(size[2:]) == 1:
            raise ValueError("Expected more than 1 value per channel when training, got input "
                             f"size {input.shape!r}")
    return NativeBatchNormBackward0.apply(input, weight, bias, running_mean=running_mean,
                                          running_var=running_var, training=training,
                                          momentum=momentum, eps=eps)
