"""Numerical checks of every differentiable op's backward formula.

Every ``Function`` subclass defined in an ``engine.ops`` module must have a recipe in
``RECIPES`` (a new op without one fails ``test_every_op_has_a_recipe``). Each recipe is
checked in float64 against central differences, at inputs away from kinks and ties; a
representative set is also checked to second order (``create_graph=True``). Broadcasting
binary ops are property-tested against numpy with hypothesis.
"""
import importlib
import inspect
import pkgutil
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine as torch
import engine.ops
from engine.autograd.node import Function

EPS = 1e-6
RNG = np.random.default_rng(0)


def t(*shape, lo=0.5, hi=1.5):
    """A float64 leaf with values in [lo, hi), requiring grad."""
    return torch.tensor(RNG.uniform(lo, hi, shape), dtype=torch.float64, requires_grad=True)


def _invertible(a):
    """``a`` (square, entries in [0.5, 1.5]) made far from singular."""
    return a + 2 * torch.eye(a.shape[-1], dtype=a.dtype, device=a.device)


def _setitem(a, v, key=1):
    h = a * 1
    h[key] = v
    return h


def _inplace_on_view(a, b):
    """An in-place op on a view of a non-leaf: the base becomes a CopySlices over the op,
    and the view reads from it again."""
    h = a * 1
    v = h[1:]
    v.mul_(b)
    return v * h[:2]


def _zero(a):
    h = a * 1
    return h.zero_() + a


def _fill(a):
    h = a * 1
    return h.fill_(2.0) + a


def _copy_backwards(a):
    a.grad = None
    with warnings.catch_warnings():  # PyTorch's warning about the cycle this makes
        warnings.simplefilter("ignore")
        (a ** 3).sum().backward(create_graph=True)
    grad, a.grad = a.grad, None
    return grad


# name: (function of the inputs, input factories)
RECIPES = {
    "MseLossBackward0": (lambda a, b: torch.nn.functional.mse_loss(a, b, reduction="sum"),
                         lambda: (t(2, 3), t(2, 3))),
    "NllLossBackward0": (lambda a: torch.nn.functional.nll_loss(
        a, torch.tensor([2, 0], device=a.device), reduction="mean"), lambda: (t(2, 3),)),
    "NllLoss2DBackward0": (lambda a: torch.nn.functional.nll_loss(
        a, torch.tensor([[[2, 0]], [[1, -100]]], device=a.device),
        torch.tensor([1., 2., 3.], dtype=a.dtype, device=a.device)), lambda: (t(2, 3, 1, 2),)),
    "MulBackward1": (lambda a: torch.nn.functional.cross_entropy(
        a, torch.tensor([2, 0], device=a.device), label_smoothing=0.2), lambda: (t(2, 3),)),
    "DivBackward1": (lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(
        [[0.2, 0.3, 0.5], [1., 0., 0.]], dtype=a.dtype, device=a.device)), lambda: (t(2, 3),)),
    "AddBackward0": (lambda a, b: torch.add(a, b, alpha=2), lambda: (t(2, 3), t(3))),
    "SubBackward0": (lambda a, b: torch.sub(a, b, alpha=3), lambda: (t(2, 3), t(2, 1))),
    "RsubBackward0": (lambda a, b: torch.rsub(a, b, alpha=2), lambda: (t(3), t(2, 3))),
    "RsubBackward1": (lambda a: 2 - a, lambda: (t(4),)),
    "MulBackward0": (lambda a, b: a * b, lambda: (t(2, 3), t(3))),
    "DivBackward0": (lambda a, b: a / b, lambda: (t(2, 3), t(2, 1))),
    "DivBackward2": (lambda a, b: a.div(b, rounding_mode=None), lambda: (t(2, 3), t(3))),
    "ReciprocalBackward0": (lambda a: a.reciprocal(), lambda: (t(4),)),
    "RemainderBackward0": (lambda a: a % 0.4, lambda: (t(4, lo=0.05, hi=0.35),)),
    "PowBackward0": (lambda a: a ** 3.5, lambda: (t(4),)),
    "PowBackward1": (lambda a, b: a ** b, lambda: (t(2, 3), t(3))),
    "PowBackward2": (lambda a: 1.7 ** a, lambda: (t(4),)),
    "NegBackward0": (lambda a: -a, lambda: (t(4),)),
    "AbsBackward0": (lambda a: a.abs(), lambda: (t(4, lo=-2, hi=-0.5),)),
    "ExpBackward0": (lambda a: a.exp(), lambda: (t(4),)),
    "LogBackward0": (lambda a: a.log(), lambda: (t(4),)),
    "SqrtBackward0": (lambda a: a.sqrt(), lambda: (t(4),)),
    "SinBackward0": (lambda a: a.sin(), lambda: (t(4),)),
    "CosBackward0": (lambda a: a.cos(), lambda: (t(4),)),
    "TanhBackward0": (lambda a: a.tanh(), lambda: (t(4),)),
    "SigmoidBackward0": (lambda a: a.sigmoid(), lambda: (t(4),)),
    "ReluBackward0": (lambda a: (a - 1).relu(), lambda: (
        torch.tensor([0.3, 0.6, 1.4, 1.9], dtype=torch.float64, requires_grad=True),)),
    "ClampBackward1": (lambda a: a.clamp(0.8, 1.2), lambda: (
        torch.tensor([0.5, 0.9, 1.1, 1.4], dtype=torch.float64, requires_grad=True),)),
    "FloorBackward0": (lambda a: a.floor() * a, lambda: (t(4, lo=0.1, hi=0.9),)),
    "CeilBackward0": (lambda a: a.ceil() * a, lambda: (t(4, lo=0.1, hi=0.9),)),
    "TruncBackward0": (lambda a: a.trunc() * a, lambda: (t(4, lo=1.1, hi=1.9),)),
    "RoundBackward0": (lambda a: a.round() * a, lambda: (t(4, lo=0.6, hi=1.4),)),
    "RoundBackward1": (lambda a: a.round(decimals=1) * a, lambda: (t(4, lo=0.61, hi=0.64),)),
    "SignBackward0": (lambda a: a.sign() * a, lambda: (t(4, lo=-2, hi=-0.5),)),
    "MaximumBackward0": (lambda a, b: torch.maximum(a, b), lambda: (t(6), t(6))),
    "MinimumBackward0": (lambda a, b: torch.minimum(a, b), lambda: (t(6), t(6))),
    "WhereBackward0": (lambda a, b: torch.where(a > 1, a, b), lambda: (t(6), t(6))),
    "MaskedFillBackward0": (lambda a: a.masked_fill(a > 1, 2.0), lambda: (t(2, 3),)),
    "MaskedFillBackward1": (lambda a, v: a.masked_fill(torch.tensor([True, False, True],
                                                                    device=a.device), v),
                            lambda: (t(2, 3), t())),
    "IndexSelectBackward0": (lambda a: a.index_select(1, torch.tensor([2, 0, 2],
                                                                      device=a.device)),
                             lambda: (t(2, 3),)),
    "ZeroBackward0": (_zero, lambda: (t(3),)),
    "FillBackward2": (_fill, lambda: (t(3),)),
    "FillBackward3": (lambda a, v: (a * 1).fill_(v) * a, lambda: (t(3), t())),
    "SplitBackward0": (lambda a: torch.cat([p * (i + 1) for i, p in enumerate(a.split(2))]),
                       lambda: (t(5, 2),)),
    "SplitWithSizesBackward0": (lambda a: a.split([1, 2], 1)[1], lambda: (t(2, 3),)),
    "UnbindBackward0": (lambda a: a.unbind(1)[0] * a.unbind(1)[2], lambda: (t(2, 3),)),
    "VarMeanBackward0": (lambda a: (lambda v, m: v * m)(*torch.var_mean(a, 1)),
                         lambda: (t(2, 3),)),
    "StdMeanBackward0": (lambda a: (lambda s, m: s / m)(*torch.std_mean(a, 0, keepdim=True)),
                         lambda: (t(2, 3),)),
    "AminmaxBackward0": (lambda a: (lambda lo, hi: lo * hi)(*torch.aminmax(a, dim=1)),
                         lambda: (t(2, 3),)),
    "SumBackward0": (lambda a: a.sum(), lambda: (t(2, 3),)),
    "SumBackward1": (lambda a: a.sum(1, keepdim=True), lambda: (t(2, 3),)),
    "MeanBackward0": (lambda a: a.mean(), lambda: (t(2, 3),)),
    "MeanBackward1": (lambda a: a.mean((0, 2)), lambda: (t(2, 3, 2),)),
    "ProdBackward0": (lambda a: a.prod(), lambda: (t(2, 3),)),
    "ProdBackward1": (lambda a: a.prod(1), lambda: (t(2, 3),)),
    "MaxBackward1": (lambda a: a.max(), lambda: (t(2, 3),)),
    "MinBackward1": (lambda a: a.min(), lambda: (t(2, 3),)),
    "MaxBackward0": (lambda a: a.max(1).values, lambda: (t(2, 3),)),
    "MinBackward0": (lambda a: a.min(0, keepdim=True).values, lambda: (t(2, 3),)),
    "VarBackward0": (lambda a: a.var(1), lambda: (t(2, 3),)),
    "StdBackward0": (lambda a: a.std(), lambda: (t(2, 3),)),
    "LinalgVectorNormBackward0": (lambda a: a.norm(dim=1), lambda: (t(2, 3),)),
    "SoftmaxBackward0": (lambda a: a.softmax(1), lambda: (t(2, 3),)),
    "LogSoftmaxBackward0": (lambda a: a.log_softmax(0), lambda: (t(2, 3),)),
    "ViewBackward0": (lambda a: a.view(3, 2), lambda: (t(2, 3),)),
    "UnsafeViewBackward0": (lambda a: a.t().reshape(6), lambda: (t(2, 3),)),
    "ReshapeAliasBackward0": (lambda a: a.t().reshape(3, 2), lambda: (t(2, 3),)),
    "CloneBackward0": (lambda a: a.clone(), lambda: (t(3),)),
    "CopyBackwards": (_copy_backwards, lambda: (t(3),)),
    "TBackward0": (lambda a: a.t(), lambda: (t(2, 3),)),
    "PermuteBackward0": (lambda a: a.permute(2, 0, 1), lambda: (t(2, 3, 2),)),
    "TransposeBackward0": (lambda a: a.transpose(0, 2), lambda: (t(2, 3, 2),)),
    "SqueezeBackward0": (lambda a: a.squeeze(), lambda: (t(1, 3, 1),)),
    "SqueezeBackward1": (lambda a: a.squeeze(0), lambda: (t(1, 3),)),
    "SqueezeBackward2": (lambda a: a.squeeze((0, 2)), lambda: (t(1, 3, 1),)),
    "SqueezeBackward4": (lambda a, b: a @ b, lambda: (t(2), t(2, 3))),
    "UnsqueezeBackward0": (lambda a: a.unsqueeze(1), lambda: (t(3),)),
    "ExpandBackward0": (lambda a: a.expand(2, 3, 2), lambda: (t(3, 1),)),
    "SelectBackward0": (lambda a: a[1], lambda: (t(2, 3),)),
    "SliceBackward0": (lambda a: a[:, 1:], lambda: (t(2, 3),)),
    "IndexBackward0": (lambda a: a[[0, 2, 0]], lambda: (t(3, 2),)),
    "IndexPutImplBackward0": (lambda a: torch.autograd.grad((a[[0, 0]] ** 2).sum(), a,
                                                            create_graph=True)[0],
                              lambda: (t(3),)),
    "IndexPutBackward0": (lambda a, v, w: torch.cat([_setitem(a, v, [[0, 2]]),
                                                    (a * 1).index_put((torch.tensor([2, 2]),),
                                                                      w, accumulate=True)]),
                          lambda: (t(3, 2), t(1, 2), t(2))),
    "AliasBackward0": (lambda a: a[...], lambda: (t(3),)),
    "CopySlices": (_setitem, lambda: (t(3), t(1))),
    "AsStridedBackward0": (_inplace_on_view, lambda: (t(3), t(2))),
    "CatBackward0": (lambda a, b: torch.cat([a, b], 1), lambda: (t(2, 3), t(2, 1))),
    "StackBackward0": (lambda a, b: torch.stack([a, b], 1), lambda: (t(2, 3), t(2, 3))),
    "RepeatBackward0": (lambda a: a.repeat(2, 1, 3), lambda: (t(2, 3),)),
    "ToCopyBackward0": (lambda a: a.double() ** 2, lambda: (torch.tensor(
        [0.5, 0.75, 1.25], requires_grad=True),), 0.0625),  # float32 in: exact steps
    "MmBackward0": (lambda a, b: a.mm(b), lambda: (t(2, 3), t(3, 4))),
    "MvBackward0": (lambda a, b: a.mv(b), lambda: (t(2, 3), t(3))),
    "DotBackward0": (lambda a, b: a.dot(b), lambda: (t(3), t(3))),
    "BmmBackward0": (lambda a, b: a.bmm(b), lambda: (t(2, 2, 3), t(2, 3, 2))),
    "AddmmBackward0": (lambda c, a, b: torch.addmm(c, a, b), lambda: (t(4), t(2, 3), t(3, 4))),
    "TanBackward0": (lambda a: a.tan(), lambda: (t(4),)),
    "AsinBackward0": (lambda a: a.asin(), lambda: (t(4, lo=-0.8, hi=0.8),)),
    "AcosBackward0": (lambda a: torch.arccos(a), lambda: (t(4, lo=-0.8, hi=0.8),)),
    "AtanBackward0": (lambda a: a.atan(), lambda: (t(4, lo=-2, hi=2),)),
    "SinhBackward0": (lambda a: a.sinh(), lambda: (t(4, lo=-2, hi=2),)),
    "CoshBackward0": (lambda a: a.cosh(), lambda: (t(4, lo=-2, hi=2),)),
    "AsinhBackward0": (lambda a: a.asinh(), lambda: (t(4, lo=-2, hi=2),)),
    "AcoshBackward0": (lambda a: a.acosh(), lambda: (t(4, lo=1.5, hi=3),)),
    "AtanhBackward0": (lambda a: a.atanh(), lambda: (t(4, lo=-0.8, hi=0.8),)),
    "Log1PBackward0": (lambda a: a.log1p(), lambda: (t(4),)),
    "Expm1Backward0": (lambda a: a.expm1(), lambda: (t(4),)),
    "Log2Backward0": (lambda a: a.log2(), lambda: (t(4),)),
    "Log10Backward0": (lambda a: a.log10(), lambda: (t(4),)),
    "Exp2Backward0": (lambda a: a.exp2(), lambda: (t(4),)),
    "RsqrtBackward0": (lambda a: a.rsqrt(), lambda: (t(4),)),
    "ErfBackward0": (lambda a: a.erf(), lambda: (t(4, lo=-2, hi=2),)),
    "SincBackward0": (lambda a: a.sinc(), lambda: (t(4, lo=-1.7, hi=1.7),)),
    "FracBackward0": (lambda a: a.frac() * a, lambda: (t(4, lo=1.1, hi=1.9),)),
    "NanToNumBackward0": (lambda a: a.nan_to_num() * a, lambda: (t(4),)),
    "Atan2Backward0": (lambda a, b: torch.atan2(a, b), lambda: (t(2, 3, lo=-2, hi=2), t(3))),
    "HypotBackward0": (lambda a, b: torch.hypot(a, b), lambda: (t(2, 3), t(3))),
    "LogaddexpBackward0": (lambda a, b: torch.logaddexp(a, b), lambda: (t(2, 3), t(3))),
    "XlogyBackward0": (lambda a, b: torch.xlogy(a, b), lambda: (t(2, 3), t(3))),
    "XlogyBackward1": (lambda b: torch.xlogy(2.5, b), lambda: (t(4),)),
    "XlogyBackward2": (lambda a: torch.xlogy(a, 2.5), lambda: (t(4),)),
    "FmodBackward0": (lambda a: a.fmod(0.4), lambda: (t(4, lo=0.45, hi=0.75),)),
    "FmodBackward1": (lambda a, b: torch.fmod(a, b), lambda: (t(4, lo=2.3, hi=2.7),
                                                                t(4, lo=1, hi=1.05))),
    "LerpBackward0": (lambda a, b: torch.lerp(a, b, 0.3), lambda: (t(2, 3), t(3))),
    "LerpBackward1": (lambda a, b, w: a.lerp(b, w), lambda: (t(2, 3), t(3), t(2, 1))),
    "AddcmulBackward0": (lambda a, b, c: torch.addcmul(a, b, c, value=0.5),
                         lambda: (t(3), t(2, 3), t(2, 1))),
    "AddcdivBackward0": (lambda a, b, c: torch.addcdiv(a, b, c, value=0.5),
                         lambda: (t(3), t(2, 3), t(2, 1))),
    "SoftplusBackward0": (lambda a: torch.nn.functional.softplus(a, beta=2, threshold=3),
                          lambda: (t(6, lo=-2, hi=1),)),
    "LeakyReluBackward0": (lambda a: torch.nn.functional.leaky_relu(a - 1, 0.2),
                           lambda: (t(6, lo=0.1, hi=1.9),)),
    "LeakyReluBackward1": (lambda a: torch.nn.functional.leaky_relu_(a - 1, 0.2),
                           lambda: (t(6, lo=0.1, hi=1.9),)),
    "GeluBackward0": (lambda a: torch.nn.functional.gelu(a) * torch.nn.functional.gelu(
        a, approximate="tanh"), lambda: (t(6, lo=-2, hi=2),)),
    "EluBackward0": (lambda a: torch.nn.functional.elu(a - 1, 0.7),
                     lambda: (t(6, lo=0.1, hi=1.9),)),
    "EluBackward1": (lambda a: torch.nn.functional.elu(a - 1, 0.7, inplace=True),
                     lambda: (t(6, lo=0.1, hi=1.9),)),
    "SiluBackward0": (lambda a: torch.nn.functional.silu(a), lambda: (t(6, lo=-2, hi=2),)),
    "CumsumBackward0": (lambda a: a.cumsum(1), lambda: (t(2, 3),)),
    "LogcumsumexpBackward0": (lambda a: a.logcumsumexp(-1), lambda: (t(2, 3, lo=-2, hi=2),)),
    "RenormBackward0": (lambda a: a.renorm(3, -1, 1.5), lambda: (t(3, 4),)),
    "CumprodBackward0": (lambda a: a.cumprod(1), lambda: (torch.tensor(
        [[0.7, 0., 1.3, 0., 0.9], [1.2, 0.8, 0., 1.1, 0.6], [1.2, 0.8, 0.7, 1.1, 0.6]],
        dtype=torch.float64, requires_grad=True),)),
    "CummaxBackward0": (lambda a: a.cummax(0).values, lambda: (t(4, 2),)),
    "CumminBackward0": (lambda a: a.cummin(-1).values, lambda: (t(2, 4),)),
    "AmaxBackward0": (lambda a: a.amax((0, 2), keepdim=True), lambda: (t(2, 3, 2),)),
    "AminBackward0": (lambda a: a.amin(1), lambda: (t(2, 3),)),
    "LogsumexpBackward0": (lambda a: a.logsumexp(1), lambda: (t(2, 3),)),
    "MedianBackward0": (lambda a: a.median(), lambda: (t(2, 3),)),
    "MedianBackward1": (lambda a: a.median(1, keepdim=True).values, lambda: (t(2, 3),)),
    "NansumBackward0": (lambda a: a.nansum(0), lambda: (t(2, 3),)),
    "SortBackward0": (lambda a: a.sort(0, descending=True).values, lambda: (t(3, 2),)),
    "SortBackward1": (lambda a: a.sort(0, stable=True).values, lambda: (t(3, 2),)),
    "TopkBackward0": (lambda a: a.topk(2).values, lambda: (t(2, 4),)),
    "KthvalueBackward0": (lambda a: a.kthvalue(2, 0).values, lambda: (t(3, 2),)),
    "ModeBackward0": (lambda a: a.mode(1).values, lambda: (t(2, 3),)),  # distinct: the least
    "FlipBackward0": (lambda a: a.flip(0, -1), lambda: (t(2, 3),)),
    "RollBackward0": (lambda a: a.roll((1, -2), (0, 1)) + a.roll(4), lambda: (t(2, 3),)),
    "TrilBackward0": (lambda a: a.tril(-1), lambda: (t(2, 3, 3),)),
    "TriuBackward0": (lambda a: a.triu(1), lambda: (t(3, 4),)),
    "DiagonalBackward0": (lambda a: a.diagonal(1, 2, 0), lambda: (t(3, 2, 4),)),
    "DiagonalBackward0_copy": (lambda a: a.diag(-1), lambda: (t(3, 3),)),
    "DiagEmbedBackward0": (lambda a: a.diag_embed(1, 0, 2), lambda: (t(2, 3),)),
    "TraceBackward0": (lambda a: a.trace(), lambda: (t(3, 4),)),
    "UnfoldBackward0": (lambda a: a.unfold(1, 3, 2), lambda: (t(2, 7),)),
    "GatherBackward0": (lambda a: a.gather(1, torch.tensor([[0, 0, 2], [1, 2, 1]])),
                        lambda: (t(2, 3),)),
    "ScatterBackward0": (lambda a, s: a.scatter(1, torch.tensor([[2, 0], [1, 2]]), s),
                         lambda: (t(2, 3), t(2, 2))),
    "ScatterBackward1": (lambda a: a.scatter(0, torch.tensor([[1, 0, 1]]), 2.),
                         lambda: (t(2, 3),)),
    "ScatterAddBackward0": (lambda a, s: a.scatter_add(1, torch.tensor([[2, 2], [0, 2]]), s),
                            lambda: (t(2, 3), t(2, 2))),
    "ScatterReduceBackward0": (lambda a, s: torch.cat([
        a.scatter_reduce(1, torch.tensor([[2, 2], [0, 2]], device=a.device), s, reduce,
                         include_self=include_self).reshape(-1)
        for reduce in ("sum", "prod", "mean", "amax", "amin") for include_self in (True, False)]),
        lambda: (t(2, 3), t(2, 2, lo=1.6, hi=2.4))),
    "IndexAddBackward0": (lambda a, s: a.index_add(0, torch.tensor([2, 0, 2]), s, alpha=3),
                          lambda: (t(3, 2), t(3, 2))),
    "IndexFillBackward0": (lambda a: a.index_fill(-1, torch.tensor([2, 0, 2]), 4.0),
                           lambda: (t(2, 4),)),
    "IndexFillBackward1": (lambda a, v: a.index_fill(0, torch.tensor([1, 1]), v),
                           lambda: (t(3, 2), t())),
    "TakeBackward0": (lambda a: a.take(torch.tensor([[0, -1], [5, 0]])), lambda: (t(2, 3),)),
    "MaskedSelectBackward0": (lambda a: a.masked_select(torch.tensor([[True, False, True],
                                                                       [False, True, True]])),
                              lambda: (t(3),)),
    "VdotBackward0": (lambda a, b: torch.vdot(a, b) + torch.einsum("i,j,j->", a, b, a)
                      + torch.kron(a, b).sum() + torch.inner(a, b), lambda: (t(3), t(3))),
    "LinalgCrossBackward0": (lambda a, b: torch.linalg.cross(a, b), lambda: (t(2, 3), t(1, 3))),
    "DistBackward0": (lambda a, b: torch.stack([
        torch.dist(a, b), torch.dist(a, b, 3), torch.linalg.vector_norm(a, 3),
        torch.linalg.vector_norm(a, 1), torch.linalg.vector_norm(a, float("inf")),
        torch.linalg.matrix_norm(a, 1)]), lambda: (t(2, 3), t(3, lo=2, hi=3))),
    "CdistBackward0": (lambda a, b: torch.cdist(a, b) + torch.cdist(a, b, p=3),
                       lambda: (t(3, 2), t(2, 2, lo=2, hi=3))),
    "LinalgDetBackward0": (lambda a: torch.linalg.det(_invertible(a)),
                           lambda: (t(2, 3, 3),)),
    "LinalgSlogdetBackward0": (lambda a: torch.logdet(_invertible(a)),
                               lambda: (t(3, 3),)),
    "LinalgInvExBackward0": (lambda a: torch.linalg.matrix_power(
        _invertible(a), -3), lambda: (t(3, 3),)),
    "LinalgSolveExBackward0": (lambda a, b, c: torch.cat([
        torch.linalg.solve(_invertible(a), b).reshape(-1),
        torch.linalg.solve(_invertible(a), c, left=False).reshape(-1),
        torch.linalg.solve(_invertible(a), b[:, 0])]),
        lambda: (t(2, 2), t(2, 3), t(3, 2))),
    **{f"{kind}Pad{k}DBackward0": (
        lambda a, k=k, mode=mode: torch.nn.functional.pad(a, (2, 1, 1, 0, 1, 1)[:2 * k], mode),
        lambda k=k: (t(*(1,) + (3,) * k),))
       for k in (1, 2, 3) for kind, mode in (("Reflection", "reflect"),
                                             ("Replication", "replicate"))},
    **{f"{kind}Pad{k}DBackwardBackward0": (
        lambda a, k=k, mode=mode: torch.autograd.grad(torch.nn.functional.pad(
            a, (2, 1, 1, 0, 1, 1)[:2 * k], mode).pow(2).sum(), a, create_graph=True)[0],
        lambda k=k: (t(*(1,) + (3,) * k),))
       for k in (1, 2, 3) for kind, mode in (("Reflection", "reflect"),
                                             ("Replication", "replicate"))},
    "LinalgPinvBackward0": (lambda a, b: torch.cat([torch.linalg.pinv(a).reshape(-1),
                                                    torch.linalg.pinv(b).reshape(-1)]),
                            lambda: (t(4, 3), t(2, 3))),
    "LinalgLstsqBackward0": (lambda a, b, c: torch.cat([
        torch.linalg.lstsq(a, b).solution.reshape(-1),
        torch.linalg.lstsq(a, c, driver="gelsd").residuals,
        torch.linalg.lstsq(a, c[:, 0]).solution]), lambda: (t(4, 2), t(4, 3), t(4, 1))),
    "LinalgCholeskyExBackward0": (lambda a: torch.cat([
        torch.linalg.cholesky(_invertible(a) @ _invertible(a).mT).reshape(-1),
        torch.linalg.cholesky(_invertible(a) @ _invertible(a).mT, upper=True).reshape(-1)]),
        lambda: (t(3, 3),)),
    "LinalgQrBackward0": (lambda a, b, c: torch.cat([part.reshape(-1) for q_r in (
        torch.linalg.qr(a), torch.linalg.qr(b), torch.linalg.qr(c, mode="complete"))
        for part in q_r]), lambda: (t(4, 3), t(3, 5), t(2, 3, 3))),
    "LinalgSvdBackward0": (lambda a, b, c: torch.cat([part.reshape(-1) for usv in (
        torch.linalg.svd(a, full_matrices=False), torch.linalg.svd(b, full_matrices=False),
        torch.linalg.svd(c)) for part in usv] + [torch.linalg.svdvals(a)]),
        lambda: (t(4, 3), t(2, 3, 5), t(3, 3))),
    "LinalgSolveTriangularBackward0": (lambda a, b, c: torch.cat([
        torch.linalg.solve_triangular(_invertible(a), b, upper=True).reshape(-1),
        torch.linalg.solve_triangular(_invertible(a), c, upper=False, left=False).reshape(-1),
        torch.linalg.solve_triangular(a, b, upper=False, unitriangular=True).reshape(-1)]),
        lambda: (t(3, 3), t(3, 2), t(2, 3))),
    "LinalgMatrixExpBackward0": (lambda a: torch.linalg.matrix_exp(a), lambda: (t(2, 3, 3),)),
    "LinalgEighBackward0": (lambda a: torch.cat([
        *(part.reshape(-1) for part in torch.linalg.eigh(a + a.mT)),
        torch.linalg.eigvalsh(a + a.mT, UPLO="U")]), lambda: (t(3, 3),)),
    "ClampMinBackward0": (lambda a: a.clamp_min(1.), lambda: (t(6, lo=0.1, hi=1.9),)),
    "ClampMaxBackward0": (lambda a: torch.clamp_max(a, 1.), lambda: (t(6, lo=0.1, hi=1.9),)),
    "ClampMinBackward1": (lambda a, m: a.clamp_min(m), lambda: (t(2, 3), t(3))),
    "ClampMaxBackward1": (lambda a, m: torch.clamp_max(a, m), lambda: (t(2, 3), t(3))),
    "Rot90Backward0": (lambda a: a.rot90(3, (2, 0)), lambda: (t(2, 3, 4),)),
    "BlockDiagBackward0": (lambda a, b, c: torch.block_diag(a, b, c),
                           lambda: (t(2, 3), t(4), t())),
    "BinaryCrossEntropyBackward0": (
        lambda a, b: torch.nn.functional.binary_cross_entropy(
            a, b, weight=torch.tensor([1., 2., 0.5], dtype=a.dtype, device=a.device)),
        lambda: (t(2, 3, lo=0.1, hi=0.9), t(2, 3, lo=0.1, hi=0.9))),
    "BinaryCrossEntropyWithLogitsBackward0": (
        lambda a, b: torch.nn.functional.binary_cross_entropy_with_logits(
            a, b, weight=torch.tensor([1., 2., 0.5], dtype=a.dtype, device=a.device),
            pos_weight=torch.tensor([3., 0.5, 1.], dtype=a.dtype, device=a.device),
            reduction="none"),
        lambda: (t(2, 3, lo=-2, hi=2), t(2, 3, lo=0, hi=1))),
    "HuberLossBackward0": (lambda a, b: torch.nn.functional.huber_loss(a, b, delta=0.5),
                           lambda: (t(2, 3, lo=-2, hi=2), t(2, 3))),
    "SmoothL1LossBackward0": (
        lambda a, b: torch.nn.functional.smooth_l1_loss(a, b, reduction="none", beta=0.7),
        lambda: (t(2, 3, lo=-2, hi=2), t(2, 3))),
    "ConstantPadNdBackward0": (lambda a: torch.nn.functional.pad(a, (1, -1, -1, 2), value=3.),
                               lambda: (t(3, 4),)),
    "EmbeddingBackward0": (lambda w: torch.nn.functional.embedding(
        torch.tensor([[0, 2, 2], [3, 1, 2]], device=w.device), w), lambda: (t(4, 3),)),
    "NativeLayerNormBackward0": (
        lambda a, w, b: torch.nn.functional.layer_norm(a, (2, 3), w, b),
        lambda: (t(2, 2, 3, lo=-1, hi=1), t(2, 3), t(2, 3))),
    "NativeBatchNormBackward0": (  # with the batch's statistics, then with running ones
        lambda a, w, b: torch.nn.functional.batch_norm(a, None, None, w, b, training=True)
        + torch.nn.functional.batch_norm(
            a, torch.tensor([0.1, -0.2, 0.3], dtype=a.dtype, device=a.device),
            torch.tensor([0.5, 2., 1.], dtype=a.dtype, device=a.device), w, b),
        lambda: (t(4, 3, 2, lo=-1, hi=1), t(3), t(3))),
}
# No numerical check makes sense for these: they only exist as bases of others.
ABSTRACT = set()
# In-place forms whose backward is PyTorch's "not implemented" error.
UNDIFFERENTIABLE = {"AsinhBackward1": "asinh", "AcoshBackward1": "acosh",
                    "AtanhBackward1": "atanh"}


# Ops PyTorch has no derivative for: their node links the inputs, and backward raises.
NO_DERIVATIVE = {
    "NotImplementedNode": (lambda a: torch.heaviside(a, torch.tensor(0.5, dtype=a.dtype)),
                           RuntimeError, "derivative for aten::heaviside is not implemented"),
    "Unique2Backward0": (torch.unique, NotImplementedError,
                         "the derivative for '_unique2' is not implemented"),
}


def op_classes():
    """Every Function subclass defined in a module of engine.ops, by name."""
    found = {}
    for info in pkgutil.iter_modules(engine.ops.__path__):
        module = importlib.import_module(f"engine.ops.{info.name}")
        for name, obj in vars(module).items():
            if (inspect.isclass(obj) and issubclass(obj, Function) and obj.__module__ ==
                    module.__name__ and not name.startswith("_")):
                found[name] = obj
    return found


def test_every_op_has_a_recipe():
    missing = sorted(set(op_classes()) - set(RECIPES) - ABSTRACT - set(UNDIFFERENTIABLE)
                     - set(NO_DERIVATIVE))
    assert not missing, f"add gradcheck recipes for: {missing}"


@pytest.mark.parametrize("name", sorted(UNDIFFERENTIABLE))
def test_undifferentiable_inplace_refuses_backward(name):
    op = UNDIFFERENTIABLE[name]
    out = getattr(t(3, lo=1.5, hi=1.9) * 0.5, op + "_")()
    assert type(out.grad_fn).__name__ == name
    with pytest.raises(NotImplementedError, match=f"inplace version of {op}"):
        out.sum().backward()


@pytest.mark.parametrize("name", sorted(NO_DERIVATIVE))
def test_op_without_a_derivative_refuses_backward(name):
    fn, error, message = NO_DERIVATIVE[name]
    out = fn(t(3))
    assert out.grad_fn.next_functions[0][0] is not None
    with pytest.raises(error, match=message):
        out.sum().backward()


def _nodes(out):
    """Every node reachable from ``out`` (iteratively)."""
    seen, stack = set(), [out.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        stack.extend(n for n, _ in node.next_functions)
    return seen


def _numerical(fn, inputs, weights, i, eps=EPS):
    x = inputs[i]
    grad = np.zeros(x.shape)
    flat = x._data.reshape(-1)
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        up = (fn(*inputs).detach().double().numpy() * weights).sum()
        flat[k] = old - eps
        down = (fn(*inputs).detach().double().numpy() * weights).sum()
        flat[k] = old
        grad.reshape(-1)[k] = (up - down) / (2 * eps)
    return grad


def check_gradients(fn, inputs, names=(), eps=EPS):
    out = fn(*inputs)
    for name in names:
        assert any(type(n).__name__ == name for n in _nodes(out)), f"{name} not in the graph"
    weights = np.random.default_rng(1).uniform(0.5, 1.5, tuple(out.shape))
    loss = (out * torch.tensor(weights, dtype=out.dtype)).sum()
    grads = torch.autograd.grad(loss, inputs, allow_unused=True)
    for i, (x, g) in enumerate(zip(inputs, grads)):
        expected = _numerical(fn, inputs, weights, i, eps)
        got = np.zeros(x.shape) if g is None else g.numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_gradient_matches_central_differences(name):
    fn, make, *eps = RECIPES[name]
    check_gradients(fn, make(), names=(name,), eps=eps[0] if eps else EPS)


ARRAY_BACKWARD = sorted(name for name, cls in op_classes().items() if cls.array_backward)


@pytest.mark.parametrize("name", ARRAY_BACKWARD)
def test_formula_on_arrays_matches_formula_on_tensors(name):
    """A formula that also runs on plain arrays (plain backward) gives what it gives on
    tensors (backward with create_graph), bit for bit."""
    fn, make = RECIPES[name][:2]
    inputs = make()
    out = fn(*inputs)
    weights = torch.tensor(np.random.default_rng(3).uniform(0.5, 1.5, tuple(out.shape)),
                           dtype=out.dtype)
    loss = (out * weights).sum()
    on_arrays = torch.autograd.grad(loss, inputs, retain_graph=True, allow_unused=True)
    on_tensors = torch.autograd.grad(loss, inputs, create_graph=True, allow_unused=True)
    for a, b in zip(on_arrays, on_tensors):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a.numpy(), b.detach().numpy())


SECOND_ORDER = ["MulBackward0", "DivBackward0", "PowBackward0", "PowBackward1", "PowBackward2",
                "ExpBackward0", "LogBackward0", "SqrtBackward0", "SinBackward0", "TanhBackward0",
                "SigmoidBackward0", "SumBackward1", "MeanBackward0", "ProdBackward0",
                "VarBackward0", "StdBackward0", "LinalgVectorNormBackward0", "SoftmaxBackward0",
                "LogSoftmaxBackward0", "MmBackward0", "MvBackward0", "DotBackward0",
                "AddmmBackward0", "IndexBackward0", "CatBackward0", "ExpandBackward0",
                "MaxBackward0", "ReciprocalBackward0", "LogcumsumexpBackward0",
                "LinalgQrBackward0", "LinalgEighBackward0", "LinalgSvdBackward0",
                "LinalgSolveTriangularBackward0", "LinalgMatrixExpBackward0"]


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_order_gradient_matches_central_differences(name):
    fn, make = RECIPES[name][:2]
    inputs = make()
    out_shape = tuple(fn(*inputs).shape)
    weights = torch.tensor(np.random.default_rng(2).uniform(0.5, 1.5, out_shape),
                           dtype=torch.float64)

    def first_grad(*xs):  # the weighted first gradient wrt every input, as one vector
        gs = torch.autograd.grad((fn(*xs) ** 2 * weights).sum(), xs, create_graph=True,
                                 allow_unused=True)
        return torch.cat([(g if g is not None else x * 0).reshape(-1) for g, x in zip(gs, xs)])

    check_gradients(first_grad, inputs)


def test_hessian_matches_second_order_differences():
    def f(x, y):
        return (x ** 2 * y.sin()).sum() + (x * y).prod()

    x = torch.tensor([0.7, 1.3], dtype=torch.float64)
    y = torch.tensor([0.4, 0.9], dtype=torch.float64)
    h = torch.autograd.functional.hessian(f, (x, y))
    flat = np.concatenate([x.numpy(), y.numpy()])

    def value(v):
        return f(torch.tensor(v[:2]), torch.tensor(v[2:])).item()

    eps = 1e-4
    numeric = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            d = np.zeros(4)
            d[i] += eps
            e = np.zeros(4)
            e[j] += eps
            numeric[i, j] = (value(flat + d + e) - value(flat + d - e) - value(flat - d + e)
                             + value(flat - d - e)) / (4 * eps * eps)
    got = np.block([[h[0][0].numpy(), h[0][1].numpy()], [h[1][0].numpy(), h[1][1].numpy()]])
    np.testing.assert_allclose(got, numeric, rtol=1e-5, atol=1e-5)


# ---------------------------------------------------------------- broadcasting properties
BINARY = {
    "add": (lambda a, b: a + b, np.add),
    "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply),
    "div": (lambda a, b: a / b, np.divide),
    "pow": (lambda a, b: a ** b, np.power),
    "maximum": (torch.maximum, np.maximum),
    "minimum": (torch.minimum, np.minimum),
}


@st.composite
def broadcastable_pair(draw):
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    values = st.floats(0.5, 2.0)
    a = draw(hnp.arrays(np.float64, shapes.input_shapes[0], elements=values))
    b = draw(hnp.arrays(np.float64, shapes.input_shapes[1], elements=values))
    return a, b


@pytest.mark.parametrize("op", sorted(BINARY))
@settings(max_examples=25, deadline=None)
@given(pair=broadcastable_pair())
def test_broadcasting_binary_op_matches_numpy(op, pair):
    ours, theirs = BINARY[op]
    a_np, b_np = pair
    a = torch.tensor(a_np, requires_grad=True, dtype=torch.float64)
    b = torch.tensor(b_np, requires_grad=True, dtype=torch.float64)
    out = ours(a, b)
    expected = theirs(a_np, b_np)
    assert tuple(out.shape) == expected.shape
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-12)
    out.sum().backward()
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    if op in ("add", "mul"):  # d(sum a*b)/da is b, summed back over a's broadcast dims
        full = np.broadcast_to(b_np if op == "mul" else 1.0, expected.shape)
        np.testing.assert_allclose(a.grad.numpy(), _sum_to(full, a_np.shape), rtol=1e-12)


def _sum_to(array, shape):
    array = array.sum(axis=tuple(range(array.ndim - len(shape))))
    return array.sum(axis=tuple(i for i, s in enumerate(shape) if s == 1), keepdims=True)
