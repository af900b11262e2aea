"""``torch.nn.functional``: activations, ``linear`` and the losses."""
import warnings

import numpy as np

from engine.ops import activation as A
from engine.ops import unary as U
from engine.ops import linalg as L
from engine.ops import loss as losses
from engine.ops import operands as O
from engine.ops import reduce as R
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
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if weight is not None:
        raise NotImplementedError("nll_loss with class weights is not supported")
    return losses.NllLossBackward0.apply(input, target=target,
                                         reduction=_reduction_code(reduction),
                                         ignore_index=ignore_index)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,  # noqa: A002
                  reduce=None, reduction="mean", label_smoothing=0.0):
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if label_smoothing:
        raise NotImplementedError("cross_entropy with label_smoothing is not supported")
    if target.dtype.is_floating_point:
        raise NotImplementedError("cross_entropy with class probabilities as targets is not "
                                  "supported; give class indices (int64)")
    return nll_loss(log_softmax(input, 1 if input.ndim > 1 else 0), target, weight,
                    ignore_index=ignore_index, reduction=reduction)
