"""Adadelta: steps scaled by the ratio of running RMS of past updates to that of gradients."""
import numpy as np

from engine.optim.optimizer import Optimizer, check, check_nonnegative, new_state, new_step


class Adadelta(Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        check(0.0 <= lr, f"Invalid learning rate: {lr}")
        check(0.0 <= rho <= 1.0, f"Invalid rho value: {rho}")
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        check_nonnegative("weight_decay", weight_decay)
        super().__init__(params, dict(
            lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
            capturable=capturable, foreach=foreach, differentiable=differentiable))

    def _update(self, param, grad, state, group):
        p = param._data
        rho, eps = group["rho"], group["eps"]
        if not state:
            state["step"] = new_step()
            state["square_avg"] = new_state(param)
            state["acc_delta"] = new_state(param)
        self._count_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p
        square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
        square_avg *= rho
        square_avg += (1 - rho) * grad * grad
        delta = np.sqrt(acc_delta + eps) / np.sqrt(square_avg + eps) * grad
        acc_delta *= rho
        acc_delta += (1 - rho) * delta * delta
        p -= group["lr"] * delta
