"""Stochastic gradient descent, with momentum, dampening, Nesterov and weight decay."""
from engine.optim.optimizer import Optimizer, check


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        check(not lr < 0, f"Invalid learning rate: {lr}")
        check(not momentum < 0, f"Invalid momentum value: {momentum}")
        check(not weight_decay < 0, f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, fused=fused))

    def _update(self, param, grad, state, group):
        p = param._data
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * p
        momentum = group["momentum"]
        if momentum:
            buf = state.get("momentum_buffer")
            if buf is None:  # NOTE: PyTorch starts the buffer at the first gradient
                buf = state["momentum_buffer"] = _tensor(grad.copy())
            else:
                buf._data *= momentum
                dampening = group["dampening"]
                buf._data += grad if dampening == 0 else (1 - dampening) * grad
            grad = grad + momentum * buf._data if group["nesterov"] else buf._data
        p -= group["lr"] * grad


def _tensor(array):
    from engine.tensor import Tensor
    return Tensor._make(array)
