"""``torch.nn.functional``: activations, ``linear`` and the losses."""
import warnings

from engine.ops import unary as U
from engine.ops import linalg as L
from engine.ops import loss as losses
from engine.ops import reduce as R

relu, tanh, sigmoid = U.relu, U.tanh, U.sigmoid
_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def softmax(input, dim=None):  # noqa: A002 - PyTorch's argument name
    return R.softmax(input, dim)


def log_softmax(input, dim=None):  # noqa: A002
    return R.log_softmax(input, dim)


def linear(input, weight, bias=None):  # noqa: A002
    """``input @ weight.T + bias``, recorded with the nodes PyTorch records."""
    if input.ndim == 2 and bias is not None:
        return L.addmm(bias, input, weight.t())
    if input.ndim == 1 and bias is not None:
        return L.addmm(bias, input.unsqueeze(0), weight.t()).view(weight.shape[0])
    out = L.matmul(input, weight.t())
    return out if bias is None else out + bias


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


def _warn_sizes(input, target):  # noqa: A002
    if input._data.shape != target._data.shape:
        warnings.warn(f"Using a target size ({target.shape!r}) that is different to the input "
                      f"size ({input.shape!r}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=3)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):  # noqa: A002
    _warn_sizes(input, target)
    return losses.MseLossBackward0.apply(input, target, reduction=_reduction_code(reduction))


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):  # noqa: A002
    _warn_sizes(input, target)
    return _reduce((input - target).abs(), _reduction_code(reduction))


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100,  # noqa: A002
             reduce=None, reduction="mean"):
    if weight is not None:
        raise NotImplementedError("nll_loss with class weights is not supported")
    return losses.NllLossBackward0.apply(input, target, reduction=_reduction_code(reduction),
                                  ignore_index=ignore_index)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,  # noqa: A002
                  reduce=None, reduction="mean", label_smoothing=0.0):
    if label_smoothing:
        raise NotImplementedError("cross_entropy with label_smoothing is not supported")
    return nll_loss(log_softmax(input, 1 if input.ndim > 1 else 0), target, weight,
                    ignore_index=ignore_index, reduction=reduction)
