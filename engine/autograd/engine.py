"""The backward pass, as a generator that executes one graph node per step.

``iter_backward`` is the only implementation: ``Tensor.backward()`` and ``autograd.grad``
run it to the end, and the visualizer's stepper consumes it one step at a time, so what
the stepper shows is exactly what backward does. Nodes run in PyTorch's order: a node is
ready once every node that feeds it has run, and among ready nodes the most recently
created goes first. No recursion: graphs of any depth work.
"""
import heapq
import warnings
from dataclasses import dataclass

import numpy as np

from engine.autograd import node as _node
from engine.autograd.grad_mode import _state as _grad_mode
from engine.autograd.node import FREED_MESSAGE, AccumulateGrad, accumulator_of


@dataclass
class BackwardStep:
    """One executed node: the gradient that flowed in, the gradients that flowed out to
    each ``next_functions`` slot, and, for a leaf, its ``.grad`` after accumulating."""

    index: int
    node: object
    grad_outputs: tuple
    grad_inputs: tuple
    accumulated: object = None

    @property
    def node_id(self):
        return node_id(self.node)


def node_id(node):
    return f"n{node._seq}"


def _root_grads(tensors, grad_tensors):
    Tensor = _node.Tensor
    grads = []
    for i, (t, g) in enumerate(zip(tensors, grad_tensors)):
        if not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
        if g is None:
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not t.dtype.is_floating_point:
                raise RuntimeError("grad can be implicitly created only for real scalar "
                                   f"outputs but got {t.dtype!r}")
            g = Tensor._make(np.ones_like(t._data))
        if g.shape != t.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape!r} "
                               f"and output[{i}] has a shape of {t.shape!r}.")
        grads.append(g)
    return grads


def _count_dependencies(roots):
    deps, seen, stack = {}, set(roots), list(roots)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps


def _priority(node):
    return float("inf") if isinstance(node, AccumulateGrad) else node._seq


def iter_backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
                  capture=None):
    """Run backward from ``tensors`` one node at a time, yielding a ``BackwardStep`` each.

    ``capture``, used by ``autograd.grad``, maps nodes to the list the gradient arriving
    there is appended to; leaves are then not accumulated into.
    """
    Tensor = _node.Tensor
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_tensors is None or isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors] * len(tensors) if grad_tensors is None else [grad_tensors]
    grads = _root_grads(tensors, grad_tensors)
    retain = create_graph if retain_graph is None else retain_graph

    buffers, roots = {}, []
    for t, g in zip(tensors, grads):
        node = t.grad_fn or accumulator_of(t)
        buffers[node] = buffers[node] + g if node in buffers else g
        if node not in roots:
            roots.append(node)
    deps = _count_dependencies(roots)
    ready = [(-_priority(n), -n._seq, n) for n in roots if deps.get(n, 0) == 0]
    heapq.heapify(ready)

    index = 0
    while ready:
        node = heapq.heappop(ready)[2]
        grad = buffers.pop(node, None)
        # Grad mode is set per node, never across a yield: a paused stepper must not leave
        # its thread's grad mode changed.
        outer_mode, _grad_mode.enabled = _grad_mode.enabled, create_graph
        try:
            step = _run_node(node, grad, index, retain, create_graph, capture)
            for (nxt, _), g in zip(node.next_functions, step.grad_inputs):
                if nxt is None:
                    continue
                if g is not None:
                    buffers[nxt] = buffers[nxt] + g if nxt in buffers else g
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    heapq.heappush(ready, (-_priority(nxt), -nxt._seq, nxt))
        finally:
            _grad_mode.enabled = outer_mode
        if grad is not None:
            yield step
            index += 1


def _run_node(node, grad, index, retain, create_graph, capture):
    if grad is None:  # nothing flowed here: pass nothing on
        return BackwardStep(index, node, (), (None,) * len(node.next_functions))
    grads = (grad,)
    for hook in node._pre_hooks:
        grads = hook(grads) or grads
    retained = node._retained
    if retained is not None and retained() is not None:
        _accumulate(retained(), grads[0], create_graph)
    if capture is not None and node in capture:
        capture[node].append(grads[0])
    if isinstance(node, AccumulateGrad):
        if capture is not None:
            return BackwardStep(index, node, grads, ())
        _accumulate(node.variable, grads[0], create_graph)
        return BackwardStep(index, node, grads, (), node.variable._grad)
    if node._freed:
        raise RuntimeError(FREED_MESSAGE)
    outs = input_grads(node, grads[0])
    for hook in node._post_hooks:
        outs = hook(outs, grads) or outs
    if not retain:
        node._release()
    return BackwardStep(index, node, grads, outs)


def input_grads(node, grad):
    """The node's backward, one gradient per input, each fitted to its input (None where
    no gradient flows)."""
    outs = list(node.backward(node, grad))
    outs += [None] * (len(node.next_functions) - len(outs))  # inputs that take no gradient
    for i, (nxt, _) in enumerate(node.next_functions):
        if nxt is None:
            outs[i] = None
        elif outs[i] is not None:
            outs[i] = _fit(outs[i], node._input_meta[i])
    return tuple(outs)


def _fit(grad, meta):
    """Reduce a broadcast gradient to its input's shape and cast it to the input's dtype."""
    shape, dtype = meta
    if not isinstance(grad, _node.Tensor):
        grad = _node.Tensor._make(grad)
    if grad._data.shape != shape:
        from engine.ops.movement import sum_to
        grad = sum_to(grad, shape)
    if grad.dtype is not dtype:
        grad = grad.to(dtype)
    return grad


def _accumulate(tensor, grad, create_graph):
    if create_graph:
        if tensor._grad is None:  # a differentiable copy, as PyTorch's CopyBackwards
            from engine.ops.movement import CopyBackwards
            tensor._grad = CopyBackwards.apply(grad)
        else:
            tensor._grad = tensor._grad + grad
    elif tensor._grad is None:
        tensor._grad = _node.Tensor._make(grad._data.copy())
    else:
        tensor._grad._data += grad._data


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """``torch.autograd.backward``: accumulate gradients into the graph's leaves."""
    if create_graph:
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the "
            "parameter and its gradient which can cause a memory leak. We recommend using "
            "autograd.grad when creating the graph to avoid this. If you have to use this "
            "function, make sure to reset the .grad fields of your parameters to None after use "
            "to break the cycle and avoid the leak.", UserWarning, stacklevel=3)
    if inputs is not None:
        raise NotImplementedError("backward(inputs=...) is not supported; use autograd.grad")
    for _ in iter_backward(tensors, grad_tensors, retain_graph, create_graph):
        pass


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, materialize_grads=False):
    """``torch.autograd.grad``: the gradients of ``outputs`` with respect to ``inputs``."""
    Tensor = _node.Tensor
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    for i, t in enumerate([outputs] if isinstance(outputs, Tensor) else outputs):
        if not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    capture = {}
    targets = [t.grad_fn or accumulator_of(t) for t in inputs]
    for node in targets:
        capture.setdefault(node, [])
    for _ in iter_backward(outputs, grad_outputs, retain_graph, create_graph, capture):
        pass
    result = []
    for i, (t, node) in enumerate(zip(inputs, targets)):
        arrived = capture[node]
        g = None
        for part in arrived:
            g = part if g is None else g + part
        if g is None and not (allow_unused or materialize_grads):
            raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been "
                               "used in the graph. Set allow_unused=True if this is the desired "
                               "behavior.")
        if g is None and materialize_grads:
            from engine.ops.elementwise import zeros_like
            g = zeros_like(t)
        result.append(g if g is None or create_graph else g.detach())
    return tuple(result)
