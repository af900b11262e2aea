"""Adagrad and RMSprop: steps scaled by running sums of squared gradients."""
import numpy as np

from engine.optim.optimizer import Optimizer, check, check_nonnegative, new_state, new_step


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0,
                 initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False,
                 differentiable=False, fused=None):
        check(0.0 <= lr, f"Invalid learning rate: {lr}")
        check_nonnegative("lr_decay", lr_decay)
        check_nonnegative("weight_decay", weight_decay)
        check_nonnegative("initial_accumulator_value", initial_accumulator_value)
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        super().__init__(params, dict(
            lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value, foreach=foreach,
            maximize=maximize, differentiable=differentiable, fused=fused))
        for group in self.param_groups:  # NOTE: unlike the others, created up front
            for p in group["params"]:
                self.state[p]["step"] = new_step()
                self.state[p]["sum"] = new_state(p, group["initial_accumulator_value"])

    def _update(self, param, grad, state, group):
        p = param._data
        step = self._count_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        total = state["sum"]._data
        total += grad * grad
        p -= clr * grad / (np.sqrt(total) + group["eps"])


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check(0.0 <= lr, f"Invalid learning rate: {lr}")
        check(0.0 <= eps, f"Invalid epsilon value: {eps}")
        check_nonnegative("momentum", momentum)
        check_nonnegative("weight_decay", weight_decay)
        check_nonnegative("alpha", alpha)
        super().__init__(params, dict(
            lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
            weight_decay=weight_decay, capturable=capturable, foreach=foreach,
            maximize=maximize, differentiable=differentiable))

    def _update(self, param, grad, state, group):
        p = param._data
        alpha = group["alpha"]
        if not state:
            state["step"] = new_step()
            state["square_avg"] = new_state(param)
            if group["momentum"] > 0:
                state["momentum_buffer"] = new_state(param)
            if group["centered"]:
                state["grad_avg"] = new_state(param)
        self._count_step(state)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p
        square_avg = state["square_avg"]._data
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state["grad_avg"]._data
            grad_avg += (grad - grad_avg) * (1 - alpha)
            avg = np.sqrt(square_avg - grad_avg * grad_avg) + group["eps"]
        else:
            avg = np.sqrt(square_avg) + group["eps"]
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]._data
            buf *= group["momentum"]
            buf += grad / avg
            p -= group["lr"] * buf
        else:
            p -= group["lr"] * grad / avg
