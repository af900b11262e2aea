"""The backward pass, as a generator that executes one graph node per step.

``iter_backward`` is the only implementation: ``Tensor.backward()`` and ``autograd.grad``
run it to the end, and the visualizer's stepper consumes it one step at a time, so what
the stepper shows is exactly what backward does. Nodes run in PyTorch's order: a node is
ready once every node that feeds it has run, and among ready nodes the most recently
created goes first. No recursion: graphs of any depth work.
"""
import warnings
from dataclasses import dataclass
from heapq import heapify, heappop, heappush

import numpy as np
from numpy import ndarray  # np.ndarray is a slower lookup: numpy's module has __getattr__

from engine import backend
from engine.autograd import node as _node
from engine.autograd.grad_mode import _state as _grad_mode
from engine.autograd.node import AccumulateGrad, OutputGrads, accumulator_of


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


def _root_grads(tensors, grad_tensors, on_arrays):
    """``{root node: gradient}``: where backward starts, with the gradient flowing in there
    (an array ``on_arrays``, else a tensor)."""
    Tensor = _node.Tensor
    tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
    if grad_tensors is None:
        grad_tensors = (None,) * len(tensors)
    else:
        grad_tensors = (grad_tensors,) if isinstance(grad_tensors, Tensor) else \
            tuple(grad_tensors)
    buffers = {}
    i = -1  # counted by hand, and zipped by hand: enumerate(zip()) costs more than the rest
    for g in grad_tensors[:len(tensors)]:
        i += 1
        t = tensors[i]
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
        if g is None:
            g = _implicit_grad(t)
            if not on_arrays:
                g = Tensor._make(g)
        elif g._data.shape != t._data.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape!r} "
                               f"and output[{i}] has a shape of {t.shape!r}.")
        elif on_arrays:
            g = g._data
        node = t.grad_fn or accumulator_of(t)
        if t._output_nr:
            g = OutputGrads.at(t._output_nr, g)
        buffers[node] = buffers[node] + g if node in buffers else g
    return buffers


def _implicit_grad(t):
    """The gradient of a scalar output that backward starts from when none is given: 1."""
    data = t._data
    if data.size != 1:
        raise RuntimeError("grad can be implicitly created only for scalar outputs")
    if not t.dtype.is_floating_point:
        raise RuntimeError("grad can be implicitly created only for real scalar outputs but "
                           f"got {t.dtype!r}")
    # np.ones_like costs several times more than this for the usual 0-dim CPU loss
    return np.array(1, data.dtype) if type(data) is ndarray and not data.ndim else \
        np.ones_like(data)


def _count_dependencies(roots):
    """How many edges lead into each node reachable from ``roots`` (a dict or set)."""
    deps, stack = {}, list(roots)
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is None:
                continue
            if nxt in deps:
                deps[nxt] += 1
            else:  # first seen: walk on from it (roots are walked already)
                deps[nxt] = 1
                if nxt not in roots:
                    stack.append(nxt)
    return deps


def _leading_to(roots, targets):
    """The nodes reachable from ``roots`` through which a gradient still flows on to one of
    ``targets``: ``autograd.grad`` runs only these, as PyTorch does, and leaves the rest of
    the graph (below its inputs) unrun and unfreed."""
    seen, stack = set(), list(roots)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(nxt for nxt, _ in node.next_functions if nxt is not None)
    leading = set()
    for node in sorted(seen, key=lambda n: n._seq):  # a node is made after its inputs' nodes
        if any(nxt in targets or nxt in leading for nxt, _ in node.next_functions):
            leading.add(node)
    return leading


def iter_backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
                  capture=None, *, steps=True):
    """Run backward from ``tensors`` one node at a time, yielding a ``BackwardStep`` each.

    ``capture``, used by ``autograd.grad``, maps nodes to the list the gradient arriving
    there is appended to; leaves are then not accumulated into. With ``steps=False``
    (``backward()`` and ``autograd.grad``, where nothing watches the steps) the same pass
    runs without building ``BackwardStep``s and yields nothing.

    Without ``create_graph`` nothing is recorded, so gradients flow between nodes as plain
    arrays, made tensors only where someone sees them (hooks, ``.grad``, the steps).
    """
    on_arrays = not create_graph
    buffers = _root_grads(tensors, grad_tensors, on_arrays)
    retain = create_graph if retain_graph is None else retain_graph
    # autograd.grad runs only the nodes ``through`` which a gradient reaches its inputs; the
    # others pass nothing on, so the nodes below them never become ready
    through = None if capture is None else _leading_to(buffers, capture)
    deps = _count_dependencies(buffers)
    ready = [n for n in buffers if n not in deps]
    node = None  # the next node, when it is known without the heap
    if len(ready) == 1:  # the usual single loss
        node = ready.pop()
    else:
        ready = [_ready_entry(n) for n in ready]
        heapify(ready)

    # Backward runs in grad mode ``create_graph``, with numpy's warnings off (formulas on
    # arrays call numpy directly). While a stepper holds the generator paused, its thread
    # has its own grad mode and numpy settings back, whatever thread resumes it next.
    index, paused = 0, False
    outer_mode = _grad_mode.enabled
    _grad_mode.enabled = create_graph
    quiet = backend.entered_quiet()
    try:
        while node is not None or ready:
            if node is None:
                node = heappop(ready)[2]
            grad = buffers.pop(node, None)
            if grad is None:  # nothing flowed here: pass nothing on
                outs = (None,) * len(node.next_functions) if through is None or \
                    node in through else ()
            else:
                watched = node._watched
                if watched or capture is not None:
                    grad = _before_node(node, grad, on_arrays, capture)
                if type(node) is AccumulateGrad:
                    if capture is None:
                        _accumulate(node.variable, grad, on_arrays)
                    outs = ()
                elif through is not None and node not in through:
                    outs = ()  # no gradient asked for below here
                else:
                    outs = input_grads(node, grad, on_arrays)
                    if watched and node._post_hooks:
                        outs = _run_post_hooks(node, grad, outs, on_arrays)
                    if not retain and node._holds_saved:
                        node._release()
            following = None  # the one node made ready, while no other is waiting
            i = -1  # counted by hand: zip() costs more than the rest of this loop
            for nxt, nr in node.next_functions if outs else ():
                i += 1
                if nxt is None:
                    continue
                g = outs[i]
                if g is not None:
                    if nr:  # output ``nr`` of a node with several outputs
                        g = OutputGrads.at(nr, g)
                    buffers[nxt] = buffers[nxt] + g if nxt in buffers else g
                left = deps[nxt] = deps[nxt] - 1
                if left:
                    continue
                if not ready and following is None:
                    following = nxt
                    continue
                if following is not None:
                    heappush(ready, _ready_entry(following))
                    following = None
                heappush(ready, _ready_entry(nxt))
            if grad is not None and steps:
                accumulated = node.variable._grad if (
                    capture is None and isinstance(node, AccumulateGrad)) else None
                step = BackwardStep(index, node, _per_output(node, grad, on_arrays),
                                    tuple(_seen(g, on_arrays) for g in outs), accumulated)
                index += 1
                _grad_mode.enabled, paused = outer_mode, True
                if quiet is not None:
                    quiet.__exit__()
                yield step
                outer_mode, paused = _grad_mode.enabled, False
                _grad_mode.enabled = create_graph
                quiet = backend.entered_quiet()
            node = following
    finally:
        if not paused:
            _grad_mode.enabled = outer_mode
            if quiet is not None:
                quiet.__exit__()


def _ready_entry(node):
    """A ready node's place in the heap: leaves' accumulators first, then the most recently
    created node."""
    return node._ready_rank, -node._seq, node


def _seen(grad, on_arrays):
    """A gradient as hooks, ``autograd.grad`` and the steps see it: a tensor (None stays
    None). ``on_arrays``, gradients flow between nodes as arrays; else as tensors."""
    if type(grad) is OutputGrads:
        return OutputGrads([_seen(g, on_arrays) for g in grad.parts])
    return _node.Tensor._make(grad) if on_arrays and grad is not None else grad


def _flowing(grad, on_arrays):
    """The reverse of ``_seen``: a gradient someone returned, as it flows on."""
    return grad._data if on_arrays and grad is not None else grad


def _per_output(node, grad, on_arrays):
    """The gradient reaching ``node`` as hooks and steps see it: a tensor per output."""
    if node._n_outputs == 1:
        return (_seen(grad, on_arrays),)
    return tuple(_seen(g, on_arrays) for g in OutputGrads.parts_of(grad, node._n_outputs))


def _joined(node, grads, on_arrays):
    """The reverse of ``_per_output``."""
    if node._n_outputs == 1:
        return _flowing(grads[0], on_arrays)
    return OutputGrads([_flowing(g, on_arrays) for g in grads])


def _before_node(node, grad, on_arrays, capture):
    """What happens to the gradient reaching ``node`` before it runs: its pre-hooks (which
    may replace it), retain_grad, and ``autograd.grad``'s capture. Returns the gradient."""
    if node._pre_hooks:
        grads = _per_output(node, grad, on_arrays)
        for hook in node._pre_hooks:
            grads = _call_hook(hook, (grads,), grads)
        grad = _joined(node, grads, on_arrays)
    if node._retained is not None:
        parts = OutputGrads.parts_of(grad, node._n_outputs)
        for nr, ref in node._retained.items():
            tensor = ref()
            if tensor is not None and parts[nr] is not None:
                _accumulate(tensor, parts[nr], on_arrays)
    if capture is not None and node in capture:
        capture[node].append(_per_output(node, grad, on_arrays))
    return grad


def _run_post_hooks(node, grad, outs, on_arrays):
    grads = _per_output(node, grad, on_arrays)
    outs = tuple(_seen(g, on_arrays) for g in outs)
    for hook in node._post_hooks:
        outs = _call_hook(hook, (outs, grads), outs)
    return tuple(_flowing(g, on_arrays) for g in outs)


def _call_hook(hook, args, grads):
    """The gradients a node hook gives back in place of ``grads`` (None keeps them),
    checked as PyTorch checks them."""
    new = hook(*args)
    if new is None:
        return grads
    if not isinstance(new, tuple):
        raise TypeError(f"expected tuple, but hook returned '{type(new).__name__}'")
    name = getattr(hook, "__name__", repr(hook))
    if len(new) != len(grads):
        raise RuntimeError(f"hook '{name}' has returned an incorrect number of values "
                           f"(got {len(new)}, but expected {len(grads)})")
    for old, g in zip(grads, new):
        if old is None or g is None:
            continue
        if not isinstance(g, _node.Tensor):
            raise TypeError(f"expected Variable, but hook returned '{type(g).__name__}'")
        if g.shape != old.shape:
            raise RuntimeError(f"hook '{name}' has changed the size of value")
        if g.dtype is not old.dtype:
            raise RuntimeError(f"hook '{name}' has changed the type of value (was "
                               f"torch.{old.dtype.tensor_type} got torch.{g.dtype.tensor_type})")
    return new


def input_grads(node, grad, on_arrays=False):
    """The node's backward: one gradient per input, each fitted to its input's shape and
    dtype (None where no gradient flows). ``on_arrays`` (no graph of the gradients is
    wanted), gradients come and go as plain arrays, and a formula that allows it runs on
    them directly."""
    if on_arrays and not node.array_backward:
        outs = [_flowing(g, True) for g in node.backward(node, _seen(grad, True))]
    else:
        node._on_arrays = on_arrays  # what ``unpack`` gives saved tensors as
        outs = node.backward(node, grad)
    fitted = [None] * len(node.next_functions)
    for i, shape, dtype in node._input_meta:  # the inputs that take a gradient
        g = outs[i]
        if g is None:
            continue
        if not on_arrays:
            if g._data.shape != shape or g.dtype is not dtype:
                g = _fit(g, shape, dtype)
        elif type(g) is not ndarray or g.shape != shape or g.dtype is not dtype.np:
            g = _fit_array(g, shape, dtype)
        fitted[i] = g
    return fitted


def _fit(grad, shape, dtype):
    """Reduce a broadcast gradient to its input's shape and cast it to the input's dtype."""
    if grad._data.shape != shape:
        from engine.ops.movement import sum_to
        grad = sum_to(grad, shape)
    return grad if grad.dtype is dtype else grad.to(dtype)


def _fit_array(grad, shape, dtype):
    """``_fit`` for a gradient computed on arrays; a numpy scalar becomes a 0-dim array."""
    if grad.shape != shape:
        from engine.ops.formula import sum_to_array
        grad = sum_to_array(grad, shape)
    if grad.dtype != dtype.np:
        grad = grad.astype(dtype.np)
    return backend.as_array(grad)


def _accumulate(tensor, grad, on_arrays):
    """Add ``grad`` (an array ``on_arrays``, else a tensor) into ``tensor.grad``."""
    if on_arrays:
        if tensor._grad is None:
            tensor._grad = _node.Tensor._make(grad.copy())
        else:
            tensor._grad._data += grad
    elif tensor._grad is None:  # a differentiable copy, as PyTorch's CopyBackwards
        from engine.ops.movement import CopyBackwards
        tensor._grad = CopyBackwards.apply(_node.Tensor._make(grad._data), grad)
    else:
        tensor._grad = tensor._grad + grad


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
    for _ in iter_backward(tensors, grad_tensors, retain_graph, create_graph, steps=False):
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
    capture = {}  # node: the gradients that reached it, a tuple (one per output) each time
    targets = [t.grad_fn or accumulator_of(t) for t in inputs]
    for node in targets:
        capture.setdefault(node, [])
    for _ in iter_backward(outputs, grad_outputs, retain_graph, create_graph, capture,
                           steps=False):
        pass
    result = []
    for i, (t, node) in enumerate(zip(inputs, targets)):
        g = None
        for per_output in capture[node]:
            part = per_output[t._output_nr]
            if part is not None:
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
