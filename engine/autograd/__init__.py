"""Autograd: graph nodes, grad modes, the backward generator, jacobian/hessian, trace."""
from engine.autograd import functional
from engine.autograd.engine import BackwardStep, backward, grad, iter_backward, node_id
from engine.autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,
                                       set_grad_enabled)
from engine.autograd.node import AccumulateGrad, Function, Node
from engine.autograd.trace import summarize, trace

__all__ = ["AccumulateGrad", "BackwardStep", "Function", "Node", "backward", "enable_grad",
           "functional", "grad", "inference_mode", "is_grad_enabled", "iter_backward",
           "no_grad", "node_id", "set_grad_enabled", "summarize", "trace"]
