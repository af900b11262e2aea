"""Adam and AdamW (decoupled weight decay), with AMSGrad."""
import math

import numpy as np

from engine.optim.optimizer import Optimizer, check, check_nonnegative, new_state, new_step


def check_adam_args(lr, betas, eps, weight_decay):
    """The checks Adam and its variants share, in PyTorch's order and words."""
    check(0.0 <= lr, f"Invalid learning rate: {lr}")
    check(0.0 <= eps, f"Invalid epsilon value: {eps}")
    check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
    check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
    check_nonnegative("weight_decay", weight_decay)


def decayed(p, grad, group):
    """Weight decay: L2 (added to the gradient) or, if decoupled, shrinking the weights."""
    wd = group["weight_decay"]
    if not wd:
        return grad
    if group.get("decoupled_weight_decay"):
        p *= 1 - group["lr"] * wd
        return grad
    return grad + wd * p


def update_moments(state, grad, beta1, beta2):
    """The running averages of the gradient and of its square, updated in place."""
    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
    exp_avg += (grad - exp_avg) * (1 - beta1)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    return exp_avg, exp_avg_sq


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        check_adam_args(lr, betas, eps, weight_decay)
        check(isinstance(betas[0], float) and isinstance(betas[1], float),
              "betas must be either both floats or both Tensors")
        betas = tuple(betas)
        super().__init__(params, dict(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
            maximize=maximize, foreach=foreach, capturable=capturable,
            differentiable=differentiable, fused=fused,
            decoupled_weight_decay=decoupled_weight_decay))

    def _update(self, param, grad, state, group):
        p = param._data
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        if not state:
            state["step"] = new_step()
            state["exp_avg"] = new_state(param)
            state["exp_avg_sq"] = new_state(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = new_state(param)
        step = self._count_step(state)
        grad = decayed(p, grad, group)
        exp_avg, exp_avg_sq = update_moments(state, grad, beta1, beta2)
        second = exp_avg_sq
        if group["amsgrad"]:
            second = state["max_exp_avg_sq"]._data
            np.maximum(second, exp_avg_sq, out=second)
        step_size = lr / (1 - beta1 ** step)
        denom = np.sqrt(second) / math.sqrt(1 - beta2 ** step) + eps
        p -= step_size * exp_avg / denom


class AdamW(Adam):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)
