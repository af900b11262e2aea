"""Adamax (infinity-norm Adam), NAdam (Nesterov momentum) and RAdam (rectified Adam)."""

import numpy as np

from engine.optim.adam import check_adam_args, decayed, update_moments
from engine.optim.optimizer import Optimizer, check_nonnegative, new_state, new_step
from engine.tensor import Tensor


class Adamax(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        check_adam_args(lr, betas, eps, weight_decay)
        super().__init__(params, dict(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
            maximize=maximize, differentiable=differentiable, capturable=capturable))

    def _update(self, param, grad, state, group):
        p = param._data
        beta1, beta2 = group["betas"]
        if not state:
            state["step"] = new_step()
            state["exp_avg"] = new_state(param)
            state["exp_inf"] = new_state(param)
        step = self._count_step(state)
        grad = decayed(p, grad, group)
        exp_avg, exp_inf = state["exp_avg"]._data, state["exp_inf"]._data
        exp_avg += (grad - exp_avg) * (1 - beta1)
        exp_inf *= beta2
        np.maximum(exp_inf, np.abs(grad) + group["eps"], out=exp_inf)
        p -= group["lr"] / (1 - beta1 ** step) * (exp_avg / exp_inf)


class NAdam(Optimizer):
    """``state["mu_product"]``, the product of the momentum schedule, is a float32 scalar
    tensor as in PyTorch, and rounds like it."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        check_adam_args(lr, betas, eps, weight_decay)
        check_nonnegative("momentum_decay", momentum_decay)
        super().__init__(params, dict(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
            momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize, foreach=foreach, capturable=capturable,
            differentiable=differentiable))

    def _update(self, param, grad, state, group):
        p = param._data
        lr, (beta1, beta2), decay = group["lr"], group["betas"], group["momentum_decay"]
        if not state:
            state["step"] = new_step()
            state["mu_product"] = Tensor._make(np.ones((), dtype=np.float32))
            state["exp_avg"] = new_state(param)
            state["exp_avg_sq"] = new_state(param)
        step = self._count_step(state)
        grad = decayed(p, grad, group)
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * decay))
        mu_product = state["mu_product"]._data
        mu_product *= np.float32(mu)
        product = float(mu_product)
        exp_avg, exp_avg_sq = update_moments(state, grad, beta1, beta2)
        denom = np.sqrt(exp_avg_sq / (1 - beta2 ** step)) + group["eps"]
        p += (-lr * (1.0 - mu) / (1.0 - product)) * (grad / denom)
        p += (-lr * mu_next / (1.0 - product * mu_next)) * (exp_avg / denom)


class RAdam(Optimizer):
    """Plain momentum steps until the variance of the adaptive lr is tractable
    (``rho_t > 5``), then Adam steps scaled by the rectification term."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        check_adam_args(lr, betas, eps, weight_decay)
        super().__init__(params, dict(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, maximize=maximize,
            foreach=foreach, capturable=capturable,
            decoupled_weight_decay=decoupled_weight_decay, differentiable=differentiable))

    def _update(self, param, grad, state, group):
        p = param._data
        lr, (beta1, beta2) = group["lr"], group["betas"]
        if not state:
            state["step"] = new_step()
            state["exp_avg"] = new_state(param)
            state["exp_avg_sq"] = new_state(param)
        step = self._count_step(state)
        grad = decayed(p, grad, group)
        exp_avg, exp_avg_sq = update_moments(state, grad, beta1, beta2)
        correction2 = 1 - beta2 ** step
        momentum = exp_avg / (1 - beta1 ** step)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * beta2 ** step / correction2
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                    / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive = correction2 ** 0.5 / (np.sqrt(exp_avg_sq) + group["eps"])
            p -= momentum * lr * adaptive * rect
        else:
            p -= momentum * lr
